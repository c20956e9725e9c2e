/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Types shared by the BPF programs and user space: fixed width only. */
#ifndef SCLENS_H
#define SCLENS_H

#ifndef __VMLINUX_H__
#include <linux/types.h> /* user space; BPF code gets these from vmlinux.h */
#endif

#define SCLENS_COMM_LEN 16
#define SCLENS_CGROUP_LEAF_LEN 128
/* path arguments of a denied call, read from the process at exit */
#define SCLENS_STR_LEN 64
#define SCLENS_MAX_STRS 3

/* AUDIT_ARCH_* values, as seccomp_data.arch carries them */
#define SCLENS_ARCH_X86_64 0xc000003eU
#define SCLENS_ARCH_I386 0x40000003U
#define SCLENS_ARCH_AARCH64 0xc00000b7U
#define SCLENS_ARCH_ARM 0x40000028U
/* x32 calls use the x86_64 audit arch with this bit set in the number */
#define SCLENS_X32_SYSCALL_BIT 0x40000000U

enum sclens_event_type {
	SCLENS_EV_DENIAL = 1,
	/* a seccomp()/prctl() call that installed a filter returned */
	SCLENS_EV_FILTER_INSTALL = 2,
	/* a USER_NOTIF call its supervisor answered with success: the call
	 * did not run, ret is the answer; not a denial */
	SCLENS_EV_NOTIFICATION = 3,
	/* shadow mode: a call the candidate profile would deny (verdict holds
	 * its SECCOMP_RET_*); the call ran */
	SCLENS_EV_WOULD_DENY = 4,
};

/* What the kernel did with the call, inferred from what it left behind. */
enum sclens_action {
	SCLENS_ACT_UNKNOWN = 0,
	SCLENS_ACT_ALLOW,
	SCLENS_ACT_ERRNO,
	SCLENS_ACT_KILL_PROCESS,
	SCLENS_ACT_KILL_THREAD,
	SCLENS_ACT_TRAP,
	SCLENS_ACT_TRACE,
	SCLENS_ACT_USER_NOTIF,
	SCLENS_ACT_LOG,
};

/* sclens_event.flags */
#define SCLENS_F_HAS_ERRNO (1U << 0)	/* err holds the errno the call returned */
#define SCLENS_F_NOTIF_FILTER (1U << 1) /* a filter of the stack has a listener */
#define SCLENS_F_PTRACED (1U << 2)	/* the task was being ptraced */
#define SCLENS_F_LOG_FILTER (1U << 3)	/* a filter of the stack has the LOG flag */
#define SCLENS_F_ENOSYS_AMBIGUOUS (1U << 4) /* -ENOSYS: ERRNO(38) or TRACE with no tracer */
/* verdict holds what the kernel's copy of the filter stack returns for the
 * call (evaluated in BPF): the action is the filter's, not a guess */
#define SCLENS_F_VERDICT (1U << 5)
/* a KILL action ended the whole process (KILL_PROCESS, or KILL_THREAD on
 * the last thread); without it, a KILL_THREAD ended one thread */
#define SCLENS_F_PROCESS_KILLED (1U << 6)
/* killed by strict mode (SECCOMP_MODE_STRICT: read, write, _exit and
 * sigreturn only), which the kernel logs as KILL_THREAD */
#define SCLENS_F_STRICT (1U << 7)
/* the kernel's own seccomp kill (the task marked dead, exiting of SIGSYS)
 * whose filters were released before they could be run: the action is
 * the kill's, the deciding filter unknown */
#define SCLENS_F_KILLED_BY_SECCOMP (1U << 8)

struct sclens_event {
	__u64 ts_ns;	 /* CLOCK_MONOTONIC (bpf_ktime_get_ns) */
	__u64 cgroup_id; /* cgroup v2 id of the task */
	__u64 filter_key; /* kernel address of the newest filter: user space maps it to an opaque id */
	__u64 args[6];
	__u64 ip;	 /* user instruction pointer at the call */
	__u64 cap_eff;	 /* effective capabilities */
	__s64 ret;	 /* the value the call returned (sys_exit), 0 otherwise */
	__u32 type;	 /* enum sclens_event_type */
	__u32 action;	 /* enum sclens_action */
	__u32 pid;	 /* tgid */
	__u32 tid;
	__u32 ppid;	 /* tgid of the real parent */
	__u32 uid;
	__u32 gid;
	__u32 mntns;
	__u32 pidns;
	__u32 arch;	 /* AUDIT_ARCH_* */
	__s32 nr;	 /* syscall number, x32 bit cleared */
	__s32 err;	 /* errno (if SCLENS_F_HAS_ERRNO), or TRAP/KILL data */
	__u32 flags;	 /* SCLENS_F_* */
	__u32 filter_count; /* filters stacked on the task */
	__u32 verdict;	 /* SECCOMP_RET_* of the stack, if SCLENS_F_VERDICT */
	__u32 verdict_filter; /* which filter decided: 0 is the newest */
	char comm[SCLENS_COMM_LEN];
	/* last component of the task's cgroup v2 path, captured in the kernel
	 * so that a cgroup removed before user space looks is still named */
	char cgroup_leaf[SCLENS_CGROUP_LEAF_LEN];
	/* bit i: argument i is a path, read into strs[] in argument order */
	__u8 str_args;
	char strs[SCLENS_MAX_STRS][SCLENS_STR_LEN];
};

/* Indexes of the per-CPU counter array "counters" */
enum sclens_counter {
	SCLENS_CNT_DENIALS = 0,	   /* denials seen, before user filters */
	SCLENS_CNT_EMITTED,	   /* events written to the ring buffer */
	SCLENS_CNT_LOST,	   /* events that could not be reserved */
	SCLENS_CNT_FILTER_INSTALLS,
	SCLENS_CNT_COUNT_OVERFLOW, /* denials not counted per call: "denial_counts" was full */
	SCLENS_CNT_FILTERS_CAPTURED, /* filter programs copied to user space */
	SCLENS_CNT_FILTERS_LOST,   /* filter copies that found no room in the ring buffer */
	SCLENS_CNT_EVAL_FAILED,	   /* stacks the BPF evaluator could not run (no copy, bad program) */
	SCLENS_CNT_RECORD_OVERFLOW, /* recorded calls "record_counts" had no room for */
	SCLENS_CNT_RECORD_ARGS_OVERFLOW, /* argument values "record_args" had no room for */
	SCLENS_CNT_SUPPRESSED,	   /* denials counted, but not sent: their cgroup's event rate was spent */
	SCLENS_CNT_MAX,
};

/* Key of the "denial_counts" map: every denial counted in the kernel, per
 * cgroup and call, exact whatever the ring buffer lost. The action is the
 * kernel's view (ERRNO(38) and TRACE with no tracer count alike). */
struct sclens_count_key {
	__u64 cgroup_id;
	__u32 arch;   /* AUDIT_ARCH_* */
	__s32 nr;     /* as the filter saw it (x32 flag kept) */
	__u32 action; /* enum sclens_action */
	__s32 err;    /* errno, or TRAP/KILL data */
};
#define SCLENS_COUNT_ENTRIES 65536
/* Budgets per tenant in the counts: a cgroup holds at most this many keys;
 * its denials beyond are counted in its own over-budget count, so that a
 * flood loses precision only for the cgroup that floods. Numbers no arch
 * has (>= SCLENS_COUNT_NR_LIMIT, x32's flag aside) share one key
 * (SCLENS_COUNT_NR_UNKNOWN) and errnos without a name (above
 * SCLENS_COUNT_ERRNO_NAMED) count as 4095. */
#define SCLENS_COUNT_KEYS_PER_CGROUP 256
#define SCLENS_COUNT_CGROUPS 16384
#define SCLENS_COUNT_NR_LIMIT 1024
#define SCLENS_COUNT_NR_UNKNOWN (-1)
#define SCLENS_COUNT_NR_OVER_BUDGET (-2) /* user space's row for a cgroup's over-budget count */
#define SCLENS_COUNT_ERRNO_NAMED 133	  /* EHWPOISON, the last errno with a name */
struct sclens_count_budget {
	__u32 keys; /* keys the cgroup holds in denial_counts */
	__u32 pad;
	__u64 over; /* its denials that found its budget spent */
	/* its events' rate (event_interval_ns, event_burst_ns): the time its
	 * next event is due (GCRA), and the events not sent for it */
	__u64 due_ns;
	__u64 suppressed;
};

/* A filter program as the process installed it (the kernel's orig_prog),
 * copied once per filter into the same ring buffer as the events, before
 * any event that names it. Told apart from events by its size. */
#define SCLENS_FILTER_MAX_INSNS 4096 /* BPF_MAXINSNS */
struct sclens_insn { /* struct sock_filter */
	__u16 code;
	__u8 jt;
	__u8 jf;
	__u32 k;
};
#define SCLENS_FF_LOG (1U << 0)	     /* installed with SECCOMP_FILTER_FLAG_LOG */
#define SCLENS_FF_LISTENER (1U << 1) /* has a USER_NOTIF listener */
#define SCLENS_FF_NO_COPY (1U << 2)  /* the kernel kept no program: read it another way */
struct sclens_filter_rec {
	__u64 key;   /* kernel address of the filter (sclens_event.filter_key) */
	__u64 prev;  /* the filter it stacks on; 0 for the oldest */
	__u32 len;   /* instructions */
	__u32 flags; /* SCLENS_FF_* */
	struct sclens_insn insns[SCLENS_FILTER_MAX_INSNS];
};

/* Recording (sclens record): the calls each recorded cgroup makes, counted
 * at sys_enter (so calls that never return, exit and a successful execve,
 * are there), per arch. */
struct sclens_rec_key {
	__u64 cgroup_id;
	__u32 arch;	/* AUDIT_ARCH_* */
	__s32 nr;	/* as the filter sees it (x32 flag kept) */
	__u32 filtered; /* 1: the task had a filter (the call is the profile's
			 * business); 0: before it (the runtime setting up) */
	__u32 pad;
};
#define SCLENS_RECORD_ENTRIES 65536
/* The argument values profiles condition on: clone's flags, socket's
 * family, personality's persona, and (when asked) ioctl's request */
struct sclens_rec_arg_key {
	__u64 cgroup_id;
	__u32 arch;
	__s32 nr;
	__u32 arg; /* index */
	__u32 filtered; /* as in sclens_rec_key */
	__u64 value;
};
#define SCLENS_RECORD_ARG_ENTRIES 16384
/* record_cgroups values */
#define SCLENS_RECORD_NO 0
#define SCLENS_RECORD_YES 1

/* Shadow mode: the candidate profile's program, compiled by libseccomp,
 * one slot per capability set of the containers shadowed (Docker's
 * entries depend on it); shadow_cgroups holds slot + 1, 0 for off */
#define SCLENS_SHADOW_SLOTS 8
struct sclens_shadow_prog {
	__u32 len;
	__u32 pad;
	struct sclens_insn insns[SCLENS_FILTER_MAX_INSNS];
};

/* Capture methods, chosen once at start-up by the programs user space loads */
enum sclens_method {
	SCLENS_METHOD_TWO_HOOKS = 0, /* sys_enter + sys_exit: a skipped call never entered */
	SCLENS_METHOD_ONE_HOOK = 1,  /* sys_exit only: the kernel's verdict cache, then the filter */
	SCLENS_METHOD_FEXIT = 2,     /* fexit on __seccomp_filter: only filtered tasks pay */
};

/* Values of the "seed_tids" map, written by user space at start-up for
 * threads that were already filtered before the programs were attached. */
#define SCLENS_SEED_IN_USER (-1)	/* not inside a syscall: arm it */
/* any other value: the syscall the thread was blocked in */

#endif /* SCLENS_H */
