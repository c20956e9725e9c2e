// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Facts from the kernel's own permission checks (capable() calls in each
 * syscall's implementation) and from why container profiles block calls. */
#include <string.h>
#include "syscall_facts.h"

#define SYS_ADMIN 21
#define SYS_TIME 25
#define SYS_BOOT 22
#define SYS_MODULE 16
#define SYS_PTRACE 19
#define SYS_RAWIO 17
#define SYS_PACCT 20
#define SYS_TTY_CONFIG 26
#define SYSLOG_CAP 34
#define DAC_READ_SEARCH 2
#define SYS_NICE 23
#define BPF_CAP 39
#define PERFMON 38

static const struct syscall_fact facts[] = {
	{ "clock_settime", SYS_TIME, NULL, NULL, -1 },
	{ "setpriority", SYS_NICE, "to raise a priority (lower nice) or to change other users' processes", NULL, -1 },
	{ "nice", SYS_NICE, "to raise a priority", NULL, -1 },
	{ "sched_setscheduler", SYS_NICE, "for real-time policies or other users' processes", NULL, -1 },
	{ "sched_setparam", SYS_NICE, "for real-time priorities or other users' processes", NULL, -1 },
	{ "sched_setattr", SYS_NICE, "for real-time policies or other users' processes", NULL, -1 },
	{ "sched_setaffinity", SYS_NICE, "for other users' processes", NULL, -1 },
	{ "ioprio_set", SYS_NICE, "for the real-time class or other users' processes", NULL, -1 },
	{ "clock_settime64", SYS_TIME, NULL, NULL, -1 },
	{ "settimeofday", SYS_TIME, NULL, NULL, -1 },
	{ "stime", SYS_TIME, NULL, NULL, -1 },
	{ "adjtimex", SYS_TIME, "when it changes the clock", NULL, -1 },
	{ "clock_adjtime", SYS_TIME, "when it changes the clock", NULL, -1 },
	{ "clock_adjtime64", SYS_TIME, "when it changes the clock", NULL, -1 },
	{ "mount", SYS_ADMIN, NULL, "mounting lets a container reach host file systems and bypass its read-only root", -1 },
	{ "umount2", SYS_ADMIN, NULL, "unmounting can expose what the runtime masked (e.g. /proc paths)", -1 },
	{ "umount", SYS_ADMIN, NULL, "unmounting can expose what the runtime masked (e.g. /proc paths)", -1 },
	{ "pivot_root", SYS_ADMIN, NULL, "changes the root file system", -1 },
	{ "move_mount", SYS_ADMIN, NULL, "the new mount API: same as mount", -1 },
	{ "fsopen", SYS_ADMIN, NULL, "the new mount API: same as mount", -1 },
	{ "fsmount", SYS_ADMIN, NULL, "the new mount API: same as mount", -1 },
	{ "open_tree", SYS_ADMIN, NULL, "the new mount API: same as mount", -1 },
	{ "unshare", SYS_ADMIN, "for most namespace types", "new namespaces (user namespaces above all) open a large kernel attack surface", 0 },
	{ "setns", SYS_ADMIN, NULL, "joining other namespaces can leave the container's isolation", 1 },
	{ "clone", SYS_ADMIN, "with namespace flags", "namespace flags create new namespaces, user namespaces above all", 0 },
	{ "clone3", SYS_ADMIN, "with namespace flags", "its flags cannot be checked by seccomp (they sit in memory), so profiles answer ENOSYS", -1 },
	{ "bpf", BPF_CAP, NULL, "loading BPF programs reaches into the kernel of the whole host", 0 },
	{ "perf_event_open", PERFMON, "beyond the caller's own processes", "kernel profiling exposes host-wide data and has a history of kernel bugs", -1 },
	{ "ptrace", SYS_PTRACE, "for processes the caller does not own", "tracing other processes reads and changes their memory; before kernel 4.8 it bypassed seccomp", 0 },
	{ "process_vm_readv", SYS_PTRACE, "for processes the caller does not own", "reads other processes' memory", -1 },
	{ "process_vm_writev", SYS_PTRACE, "for processes the caller does not own", "writes other processes' memory", -1 },
	{ "kexec_load", SYS_BOOT, NULL, "replaces the running kernel of the whole host", -1 },
	{ "kexec_file_load", SYS_BOOT, NULL, "replaces the running kernel of the whole host", -1 },
	{ "reboot", SYS_BOOT, NULL, "reboots the host (from the initial pid namespace)", -1 },
	{ "init_module", SYS_MODULE, NULL, "loads kernel code into the host", -1 },
	{ "finit_module", SYS_MODULE, NULL, "loads kernel code into the host", -1 },
	{ "delete_module", SYS_MODULE, NULL, "unloads the host's kernel modules", -1 },
	{ "create_module", SYS_MODULE, NULL, "loads kernel code into the host", -1 },
	{ "keyctl", -1, NULL, "the kernel keyring is not namespaced: keys of other containers and the host", 0 },
	{ "add_key", -1, NULL, "the kernel keyring is not namespaced", -1 },
	{ "request_key", -1, NULL, "the kernel keyring is not namespaced", -1 },
	{ "userfaultfd", -1, NULL, "a classic tool for exploiting kernel race conditions", -1 },
	{ "iopl", SYS_RAWIO, NULL, "raw I/O port access to the host's hardware", -1 },
	{ "ioperm", SYS_RAWIO, NULL, "raw I/O port access to the host's hardware", -1 },
	{ "acct", SYS_PACCT, NULL, "process accounting for the whole host", -1 },
	{ "swapon", SYS_ADMIN, NULL, "host swap configuration", -1 },
	{ "swapoff", SYS_ADMIN, NULL, "host swap configuration", -1 },
	{ "quotactl", SYS_ADMIN, NULL, "host quota configuration", -1 },
	{ "lookup_dcookie", SYS_ADMIN, NULL, "kernel profiling internals", -1 },
	{ "open_by_handle_at", DAC_READ_SEARCH, NULL, "opens any file of a mounted file system by handle: the classic container escape", -1 },
	{ "name_to_handle_at", -1, NULL, "with open_by_handle_at, reaches files outside the container", -1 },
	{ "syslog", SYSLOG_CAP, NULL, "the kernel log exposes host addresses and messages", -1 },
	{ "vhangup", SYS_TTY_CONFIG, NULL, NULL, -1 },
	{ "fanotify_init", SYS_ADMIN, NULL, "watches file access across the host's mounts", -1 },
	{ "nfsservctl", SYS_ADMIN, NULL, NULL, -1 },
	{ "personality", -1, NULL, "some personalities (READ_IMPLIES_EXEC, ADDR_NO_RANDOMIZE) weaken memory protections", 0 },
	{ "socket", -1, NULL, NULL, 0 },
	{ "mbind", SYS_NICE, "to move other processes' pages", NULL, -1 },
	{ "move_pages", SYS_NICE, "to move other processes' pages", NULL, -1 },
	{ "set_mempolicy", -1, NULL, NULL, -1 },
	{ "io_uring_setup", -1, NULL, "io_uring has had many kernel bugs; many platforms block it", -1 },
};

const struct syscall_fact *syscall_fact(const char *name)
{
	for (size_t i = 0; i < sizeof(facts) / sizeof(facts[0]); i++)
		if (!strcmp(facts[i].name, name))
			return &facts[i];
	return NULL;
}
