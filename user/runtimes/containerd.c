// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "clock.h"
#include "containerd.h"
#include "files.h"

#define CONFIG_MAX_BYTES (1u << 20)
#define MAX_DAEMONS 16
#define REDISCOVER_NS (5 * 1000000000ULL)
#define TASK_DIR "/io.containerd.runtime.v2.task"

int containerd_toml_top_string(const char *toml, const char *key, char *out, size_t n)
{
	size_t klen = strlen(key);
	const char *line = toml;

	while (line && *line) {
		const char *p = line, *eol = strchr(line, '\n');
		line = eol ? eol + 1 : NULL;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '[')
			break; /* tables from here on: not top-level */
		if (strncmp(p, key, klen))
			continue;
		p += klen;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p++ != '=')
			continue;
		while (*p == ' ' || *p == '\t')
			p++;
		char quote = *p;
		if (quote != '"' && quote != '\'')
			continue;
		const char *end = strchr(++p, quote);
		if (!end || (eol && end > eol))
			continue;
		if ((size_t)(end - p) >= n)
			return -ENAMETOOLONG;
		memcpy(out, p, end - p);
		out[end - p] = 0;
		return 0;
	}
	return -ENOENT;
}

/* --name VALUE, --name=VALUE or -short VALUE */
static const char *flag_value(const char *const *argv, int argc, const char *name, const char *short_name)
{
	size_t len = strlen(name);

	for (int i = 1; i < argc; i++) {
		if (!strncmp(argv[i], name, len) && argv[i][len] == '=')
			return argv[i] + len + 1;
		if ((!strcmp(argv[i], name) || (short_name && !strcmp(argv[i], short_name))) && i + 1 < argc)
			return argv[i + 1];
	}
	return NULL;
}

int containerd_state_of(const char *const *argv, int argc, char *(*read_config)(const char *path, void *arg), void *arg,
			char *out, size_t n)
{
	const char *state = flag_value(argv, argc, "--state", NULL);
	const char *config = flag_value(argv, argc, "--config", "-c");
	int err = -ENOENT;

	if (state) {
		if (snprintf(out, n, "%s", state) >= (int)n)
			return -ENAMETOOLONG;
		return 0;
	}
	char *toml = read_config(config ? config : "/etc/containerd/config.toml", arg);
	if (toml)
		err = containerd_toml_top_string(toml, "state", out, n);
	free(toml);
	if (err == -ENOENT && snprintf(out, n, "/run/containerd") < (int)n)
		err = 0;
	return err;
}

/* A config path from a daemon's command line is the daemon's own: read
 * through its root (the same as ours for a host daemon) */
static char *read_host_config(const char *path, void *arg)
{
	char *text;
	size_t len;

	return file_read_all(path, CONFIG_MAX_BYTES, FILE_NONBLOCK | FILE_REGULAR, &text, &len) ? NULL : text;
}

/* A containerd of the host: its binary is named containerd, it runs as
 * root in the host's mount namespace (pid 1's), so its paths are the
 * host's and no container made it */
static bool host_containerd(int pid)
{
	char path[64], exe[PATH_MAX], ns[64], init_ns[64];
	struct stat st;
	ssize_t len;

	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	if ((len = readlink(path, exe, sizeof(exe) - 1)) <= 0)
		return false;
	exe[len] = 0;
	const char *base = strrchr(exe, '/') ? strrchr(exe, '/') + 1 : exe;
	if (strcmp(base, "containerd"))
		return false;
	snprintf(path, sizeof(path), "/proc/%d", pid);
	if (stat(path, &st) || st.st_uid != 0)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", pid);
	if ((len = readlink(path, ns, sizeof(ns) - 1)) <= 0)
		return false;
	ns[len] = 0;
	/* pid 1's, or ours where pid 1 is not ours to look at (a VM's init
	 * that refuses ptrace access): sclens then runs in the host's */
	if ((len = readlink("/proc/1/ns/mnt", init_ns, sizeof(init_ns) - 1)) <= 0 &&
	    (len = readlink("/proc/self/ns/mnt", init_ns, sizeof(init_ns) - 1)) <= 0)
		return false;
	init_ns[len] = 0;
	return !strcmp(ns, init_ns);
}

static int daemon_state(int pid, char *out, size_t n)
{
	char path[64], *cmdline, *argv[64];
	size_t len;
	int argc = 0, err;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	if ((err = file_read_all(path, 1 << 16, 0, &cmdline, &len)))
		return err;
	for (size_t off = 0; off < len && argc < 64; off += strlen(cmdline + off) + 1)
		argv[argc++] = cmdline + off;
	err = containerd_state_of((const char *const *)argv, argc, read_host_config, NULL, out, n);
	free(cmdline);
	return err;
}

const char *const *containerd_task_roots(int *n)
{
	static char roots[MAX_DAEMONS][PATH_MAX];
	static const char *list[MAX_DAEMONS + 1];
	static int count;
	static uint64_t looked_ns;
	uint64_t now = event_clock_now_ns();

	if (looked_ns && now - looked_ns < REDISCOVER_NS) {
		*n = count;
		return list;
	}
	looked_ns = now;
	count = 0;
	DIR *proc = opendir("/proc");
	struct dirent *de;
	while (proc && (de = readdir(proc)) && count < MAX_DAEMONS) {
		int pid = atoi(de->d_name);
		char state[PATH_MAX - sizeof(TASK_DIR)];
		if (pid <= 0 || !isdigit((unsigned char)de->d_name[0]) || !host_containerd(pid) ||
		    daemon_state(pid, state, sizeof(state)) || state[0] != '/')
			continue;
		snprintf(roots[count], sizeof(roots[count]), "%s%s", state, TASK_DIR);
		bool dup = false;
		for (int i = 0; i < count && !dup; i++)
			dup = !strcmp(roots[i], roots[count]);
		if (!dup) {
			list[count] = roots[count];
			count++;
		}
	}
	if (proc)
		closedir(proc);
	list[count] = NULL;
	*n = count;
	return list;
}
