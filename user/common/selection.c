// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "names.h"
#include "selection.h"
#include "sclens.h"
#include "text.h"

/* strace's classes (its -e trace=%CLASS), by the calls they hold; names
 * an arch lacks are simply never seen on it */
static const struct {
	const char *name;
	const char *const *calls;
} classes[] = {
	{ "%clock", (const char *const[]){ "adjtimex", "clock_adjtime", "clock_adjtime64", "clock_getres", "clock_getres_time64",
					   "clock_gettime", "clock_gettime64", "clock_settime", "clock_settime64", "gettimeofday",
					   "settimeofday", "stime", "time", NULL } },
	{ "%creds", (const char *const[]){ "capget", "capset", "getegid", "getegid32", "geteuid", "geteuid32", "getgid", "getgid32",
					   "getgroups", "getgroups32", "getresgid", "getresgid32", "getresuid", "getresuid32", "getuid",
					   "getuid32", "setfsgid", "setfsgid32", "setfsuid", "setfsuid32", "setgid", "setgid32",
					   "setgroups", "setgroups32", "setregid", "setregid32", "setresgid", "setresgid32", "setresuid",
					   "setresuid32", "setreuid", "setreuid32", "setuid", "setuid32", NULL } },
	{ "%file", (const char *const[]){ "access", "acct", "chdir", "chmod", "chown", "chown32", "chroot", "creat", "execve", "execveat",
					  "faccessat", "faccessat2", "fanotify_mark", "fchmodat", "fchmodat2", "fchownat", "fsconfig",
					  "fspick", "fstatat64", "futimesat", "getcwd", "getxattr", "inotify_add_watch", "lchown",
					  "lchown32", "lgetxattr", "link", "linkat", "listxattr", "llistxattr", "lremovexattr",
					  "lsetxattr", "lstat", "lstat64", "mkdir", "mkdirat", "mknod", "mknodat", "mount",
					  "mount_setattr", "move_mount", "name_to_handle_at", "newfstatat", "oldlstat", "oldstat",
					  "open", "open_tree", "openat", "openat2", "pivot_root", "quotactl", "readlink", "readlinkat",
					  "removexattr", "rename", "renameat", "renameat2", "rmdir", "setxattr", "stat", "stat64",
					  "statfs", "statfs64", "statx", "swapoff", "swapon", "symlink", "symlinkat", "truncate",
					  "truncate64", "umount", "umount2", "unlink", "unlinkat", "uselib", "utime", "utimensat",
					  "utimensat_time64", "utimes", NULL } },
	{ "%ipc", (const char *const[]){ "ipc", "msgctl", "msgget", "msgrcv", "msgsnd", "semctl", "semget", "semop", "semtimedop",
					 "semtimedop_time64", "shmat", "shmctl", "shmdt", "shmget", NULL } },
	{ "%memory", (const char *const[]){ "brk", "get_mempolicy", "madvise", "mbind", "membarrier", "memfd_secret", "migrate_pages",
					    "mincore", "mlock", "mlock2", "mlockall", "mmap", "mmap2", "move_pages", "mprotect",
					    "mremap", "msync", "munlock", "munlockall", "munmap", "pkey_mprotect", "process_madvise",
					    "remap_file_pages", "set_mempolicy", "set_mempolicy_home_node", "subpage_prot", NULL } },
	{ "%network", (const char *const[]){ "accept", "accept4", "bind", "connect", "getpeername", "getsockname", "getsockopt",
					     "listen", "recv", "recvfrom", "recvmmsg", "recvmmsg_time64", "recvmsg", "send",
					     "sendmmsg", "sendmsg", "sendto", "setsockopt", "shutdown", "socket", "socketcall",
					     "socketpair", NULL } },
	{ "%process", (const char *const[]){ "clone", "clone3", "execve", "execveat", "exit", "exit_group", "fork", "kill",
					     "pidfd_open", "pidfd_send_signal", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "tgkill",
					     "tkill", "vfork", "wait4", "waitid", "waitpid", NULL } },
	{ "%signal", (const char *const[]){ "kill", "pause", "pidfd_send_signal", "rt_sigaction", "rt_sigpending", "rt_sigprocmask",
					    "rt_sigqueueinfo", "rt_sigreturn", "rt_sigsuspend", "rt_sigtimedwait",
					    "rt_sigtimedwait_time64", "rt_tgsigqueueinfo", "sigaction", "sigaltstack", "signal",
					    "signalfd", "signalfd4", "sigpending", "sigprocmask", "sigreturn", "sigsuspend", "tgkill",
					    "tkill", NULL } },
};

const char *syscall_class_word(char *const *names, int n)
{
	static const char *const words[] = { "time", "credential", "file", "IPC", "memory", "network", "process", "signal" };
	int best = -1, best_count = 0;

	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
		int count = 0;
		for (int k = 0; k < n; k++)
			for (const char *const *c = classes[i].calls; *c; c++)
				if (!strcmp(*c, names[k])) {
					count++;
					break;
				}
		if (count > best_count) {
			best_count = count;
			best = i;
		}
	}
	return best >= 0 && best_count * 2 >= n ? words[best] : NULL;
}

const char *const syscall_class_names[] = { "%clock", "%creds", "%file", "%ipc", "%memory", "%network", "%process", "%signal", NULL };

static int add_name(struct syscall_set *set, const char *name)
{
	if (syscall_set_has(set, name))
		return 0;
	char **v = realloc(set->names, (set->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	set->names = v;
	if (!(v[set->n] = strdup(name)))
		return -ENOMEM;
	set->n++;
	return 0;
}

static int add_one(struct syscall_set *set, const char *item, char *err, size_t err_len)
{
	if (item[0] == '%') {
		const char *cls = !strcmp(item, "%net") ? "%network" : item;
		for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
			if (strcmp(classes[i].name, cls))
				continue;
			for (const char *const *c = classes[i].calls; *c; c++)
				if (add_name(set, *c))
					return -ENOMEM;
			return 0;
		}
		snprintf(err, err_len, "unknown syscall class '%s' (classes: %%clock, %%creds, %%file, %%ipc, %%memory, %%network, %%process, %%signal)",
			 item);
		return -ENOENT;
	}
	if (item[0] >= '0' && item[0] <= '9') {
		long nr;
		const char *name;
		if (parse_int(item, 0, 4095, &nr) || !(name = syscall_name(SCLENS_ARCH_X86_64, nr))) {
			snprintf(err, err_len, "no x86_64 syscall has the number '%s'", item);
			return -ENOENT;
		}
		return add_name(set, name);
	}
	if (!syscall_known(item)) {
		const char *near = syscall_suggest(item);
		snprintf(err, err_len, "unknown syscall '%s'%s%s%s", item, near ? " (did you mean " : "", near ? near : "",
			 near ? "?)" : " (names as in libseccomp's tables, e.g. clock_settime)");
		return -ENOENT;
	}
	return add_name(set, item);
}

int syscall_set_add(struct syscall_set *set, const char *arg, char *err, size_t err_len)
{
	char *copy = strdup(arg), *save = NULL;
	int rc = 0;

	if (!copy)
		return -ENOMEM;
	for (char *item = strtok_r(copy, ",", &save); item && !rc; item = strtok_r(NULL, ",", &save))
		rc = add_one(set, item, err, err_len);
	free(copy);
	return rc;
}

bool syscall_set_has(const struct syscall_set *set, const char *name)
{
	for (int i = 0; name && i < set->n; i++)
		if (!strcmp(set->names[i], name))
			return true;
	return false;
}

void syscall_set_free(struct syscall_set *set)
{
	for (int i = 0; i < set->n; i++)
		free(set->names[i]);
	free(set->names);
	memset(set, 0, sizeof(*set));
}

