// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <linux/types.h>
#include "sclens.h"
#include "seed.h"

int seed_parse_syscall_line(const char *line, int *out)
{
	char *end;
	long nr;

	/* "running": on a CPU now, in user space or about to be; "-1 sp pc":
	 * blocked but not in a syscall; "nr a1..a6 sp pc": blocked in nr */
	if (!strncmp(line, "running", 7)) {
		*out = SCLENS_SEED_IN_USER;
		return 0;
	}
	errno = 0;
	nr = strtol(line, &end, 10);
	if (end == line || errno || (*end && !isspace((unsigned char)*end)))
		return -EINVAL;
	*out = nr < 0 ? SCLENS_SEED_IN_USER : (int)nr;
	return 0;
}

static int read_small(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "re");
	size_t got;

	if (!f)
		return -errno;
	got = fread(buf, 1, n - 1, f);
	fclose(f);
	buf[got] = 0;
	return 0;
}

int seed_status_filter_mode(const char *status)
{
	const char *p = !strncmp(status, "Seccomp:", 8) ? status - 1 : strstr(status, "\nSeccomp:");
	char *end;
	long mode;

	if (!p)
		return -ENOENT;
	errno = 0;
	mode = strtol(p + 9, &end, 10);
	if (end == p + 9 || errno)
		return -EINVAL;
	return mode == 2;
}

/* The whole status file: a task with thousands of supplementary groups
 * pushes "Seccomp:" far past the first page. */
int seed_task_in_filter_mode(const char *status_path)
{
	FILE *f = fopen(status_path, "re");
	char *buf = NULL;
	size_t cap = 0, len = 0;
	int ret;

	if (!f)
		return -errno;
	for (;;) {
		if (cap - len < 4096) {
			char *n = cap < (4u << 20) ? realloc(buf, cap ? cap * 2 : 8192) : NULL;
			if (!n) {
				free(buf);
				fclose(f);
				return -ENOMEM;
			}
			buf = n;
			cap = cap ? cap * 2 : 8192;
		}
		size_t got = fread(buf + len, 1, cap - len - 1, f);
		len += got;
		if (!got)
			break;
	}
	ret = ferror(f) ? -EIO : 0;
	fclose(f);
	buf[len] = 0;
	if (!ret)
		ret = seed_status_filter_mode(buf);
	free(buf);
	return ret;
}

static int is_number(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

int seed_filtered_threads(int seed_map_fd)
{
	DIR *proc = opendir("/proc"), *tasks;
	struct dirent *p, *t;
	char path[600], buf[512];
	int seeded = 0;

	if (!proc)
		return -errno;
	while ((p = readdir(proc))) {
		if (!is_number(p->d_name))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/task", p->d_name);
		tasks = opendir(path);
		if (!tasks)
			continue; /* gone: nothing to seed */
		while ((t = readdir(tasks))) {
			__u32 tid;
			int val;

			if (!is_number(t->d_name))
				continue;
			snprintf(path, sizeof(path), "/proc/%s/task/%s/status", p->d_name, t->d_name);
			if (seed_task_in_filter_mode(path) != 1)
				continue;
			snprintf(path, sizeof(path), "/proc/%s/task/%s/syscall", p->d_name, t->d_name);
			if (read_small(path, buf, sizeof(buf)) || seed_parse_syscall_line(buf, &val))
				continue;
			tid = strtoul(t->d_name, NULL, 10);
			if (!bpf_map_update_elem(seed_map_fd, &tid, &val, BPF_ANY))
				seeded++;
		}
		closedir(tasks);
	}
	closedir(proc);
	return seeded;
}
