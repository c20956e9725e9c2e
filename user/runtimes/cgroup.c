// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
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

/* Exact and O(1): a cgroup v2 id is a kernfs file handle (FILEID_KERNFS)
 * on the hierarchy's mount; open it and read back its path. Needs
 * CAP_DAC_READ_SEARCH; the walk below is the fallback. */
static int path_by_handle(uint64_t id, char *out, size_t n)
{
	static int mount_fd = -1;
	struct {
		struct file_handle fh;
		uint64_t id;
	} h = { .fh = { .handle_bytes = sizeof(uint64_t), .handle_type = 0xfe } };
	char link[64];
	ssize_t len;
	size_t rl;
	int fd;

	if (mount_fd < 0 && cgroup2_root())
		mount_fd = open(cgroup2_root(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (mount_fd < 0)
		return -ENOENT;
	memcpy(h.fh.f_handle, &id, sizeof(id));
	fd = open_by_handle_at(mount_fd, &h.fh, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	len = readlink(link, out, n - 1);
	close(fd);
	if (len < 0)
		return -errno;
	out[len] = 0;
	/* the link is absolute; keep the part below the root */
	rl = strlen(cgroup2_root());
	if (strncmp(out, cgroup2_root(), rl))
		return -EINVAL;
	memmove(out, out + rl, len - rl + 1);
	if (!out[0])
		strcpy(out, "/");
	return 0;
}

bool cgroup_alive(uint64_t id)
{
	char path[4096];
	int err = path_by_handle(id, path, sizeof(path));

	/* without CAP_DAC_READ_SEARCH the handle cannot tell: say alive */
	return !err || (err != -ESTALE && err != -ENOENT);
}

void cgroup_retain(bool (*keep)(uint64_t id, void *arg), void *arg)
{
	struct entry *old = table;
	size_t old_cap = table_cap;

	table = NULL;
	table_cap = table_len = 0;
	for (size_t i = 0; i < old_cap; i++) {
		if (!old[i].path)
			continue;
		if (keep(old[i].id, arg))
			table_put(old[i].id, old[i].path);
		free(old[i].path);
	}
	free(old);
}

size_t cgroup_cached(void)
{
	return table_len;
}

const char *cgroup_path_of_id(uint64_t id)
{
	struct entry *e = table_get(id);
	const char *r;
	char path[4096];
	time_t now = time(NULL);

	if (e)
		return e->path;
	if (!path_by_handle(id, path, sizeof(path))) {
		table_put(id, path);
		e = table_get(id);
		return e ? e->path : NULL;
	}
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
