// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#define _GNU_SOURCE
#include <errno.h>
#include <ftw.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <linux/magic.h>
#include "cgroup.h"

static char root[4096];
static int root_state; /* 0 unknown, 1 found, -1 none */

const char *cgroup2_root(void)
{
	FILE *f;
	struct mntent *m;

	if (root_state)
		return root_state > 0 ? root : NULL;
	root_state = -1;
	f = setmntent("/proc/self/mounts", "r");
	if (!f)
		return NULL;
	while ((m = getmntent(f))) {
		if (!strcmp(m->mnt_type, "cgroup2")) {
			snprintf(root, sizeof(root), "%s", m->mnt_dir);
			root_state = 1;
			break;
		}
	}
	endmntent(f);
	return root_state > 0 ? root : NULL;
}

int cgroup_id_of_path(const char *path, uint64_t *id)
{
	struct statfs sfs;
	struct stat st;

	if (statfs(path, &sfs))
		return -errno;
	if (sfs.f_type != CGROUP2_SUPER_MAGIC)
		return -EMEDIUMTYPE;
	if (stat(path, &st))
		return -errno;
	*id = st.st_ino;
	return 0;
}

/* open-addressing map id -> path */
struct entry {
	uint64_t id;
	char *path;
};
static struct entry *table;
static size_t table_cap, table_len;
static time_t last_scan;

static void table_put(uint64_t id, const char *path)
{
	if ((table_len + 1) * 2 > table_cap) {
		size_t ncap = table_cap ? table_cap * 2 : 1024;
		struct entry *n = calloc(ncap, sizeof(*n));

		if (!n)
			return;
		for (size_t i = 0; i < table_cap; i++) {
			if (!table[i].path)
				continue;
			size_t j = table[i].id & (ncap - 1);
			while (n[j].path)
				j = (j + 1) & (ncap - 1);
			n[j] = table[i];
		}
		free(table);
		table = n;
		table_cap = ncap;
	}
	size_t j = id & (table_cap - 1);
	while (table[j].path && table[j].id != id)
		j = (j + 1) & (table_cap - 1);
	if (table[j].path) {
		if (!strcmp(table[j].path, path))
			return;
		free(table[j].path);
	} else {
		table_len++;
	}
	table[j].id = id;
	table[j].path = strdup(path);
}

static struct entry *table_get(uint64_t id)
{
	if (!table_cap)
		return NULL;
	for (size_t j = id & (table_cap - 1); table[j].path; j = (j + 1) & (table_cap - 1))
		if (table[j].id == id)
			return &table[j];
	return NULL;
}

static size_t root_len;

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)ftw;
	if (type != FTW_D)
		return 0;
	table_put(st->st_ino, path[root_len] ? path + root_len : "/");
	return 0;
}

const char *cgroup_path_of_id(uint64_t id)
{
	struct entry *e = table_get(id);
	const char *r;
	time_t now = time(NULL);

	if (e)
		return e->path;
	r = cgroup2_root();
	if (!r || now == last_scan)
		return NULL;
	last_scan = now;
	root_len = strlen(r);
	/* FTW_PHYS: never follow symlinks; FTW_MOUNT: stay in this hierarchy */
	nftw(r, visit, 32, FTW_PHYS | FTW_MOUNT);
	e = table_get(id);
	return e ? e->path : NULL;
}
