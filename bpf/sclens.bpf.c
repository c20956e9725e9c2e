// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The kernel side of sclens: seccomp denials seen as they happen, with
 * every field, counted exactly per cgroup and call (see
 * docs/architecture.md). User space picks one capture method before load
 * (observer.c: set_autoload), the first this kernel allows:
 *
 *  - fexit: on __seccomp_filter's return (handle_seccomp_fexit), its own
 *    verdict; only filtered calls pay.
 *  - one-hook: sys_exit only (handle_sys_exit_cached); the newest filter's
 *    verdict cache lets allowed calls return at once, the others are
 *    judged by running the task's filters on the call (judge_exit).
 *  - two-hooks, the fallback: sys_enter and sys_exit. The kernel runs
 *    seccomp before the sys_enter tracepoint and fires sys_enter only for
 *    allowed calls, while sys_exit fires for skipped calls too: a thread in
 *    filter mode that exits a call it never entered had it skipped by
 *    seccomp. "In syscall" is a byte per thread id in an array map, the hot
 *    path; task-local storage says a thread is "armed" (its history is
 *    known) and holds the marks that must follow the task rather than its
 *    tid (execve, filter installs, SIGSYS).
 *
 * Every method: TRAP and KILL end in SIGSYS (signal_generate, checked
 * against the verdict so a forged SIGSYS is nothing); KILL_THREAD of a
 * thread that is not the last ends in do_exit(SIGSYS) (sched_process_exit).
 * Filter installs are seen on seccomp(2) and prctl(2); the recorder and
 * the shadow programs are at the end.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "sclens.h"
/* The calls the kernel side must tell apart, in every arch's tables
 * (call_kind() of each arch header) */
enum call_kind {
	CALL_OTHER,
	CALL_CLONE,   /* clone, fork, vfork, clone3: the child returns without entering */
	CALL_SECCOMP, /* seccomp(2) */
	CALL_PRCTL,   /* prctl(2) */
};

#if defined(__TARGET_ARCH_x86)
#include "arch_x86.bpf.h"
#elif defined(__TARGET_ARCH_arm64)
#include "arch_arm64.bpf.h"
#else
#error "no bpf/arch_<arch>.bpf.h for this arch"
#endif

#define SECCOMP_MODE_FILTER 2
#define SECCOMP_MODE_DEAD (SECCOMP_MODE_FILTER + 1)
#define SIGSYS 31
#define SIGKILL 9
#define SYS_SECCOMP 1
#define ENOSYS 38
#define ERESTARTSYS 512
#define ERESTART_RESTARTBLOCK 516
#define MAX_ERRNO 4095
#define MAX_FILTER_WALK 16
#define SECCOMP_SET_MODE_FILTER 1
#define PR_SET_SECCOMP 22

/* Set by user space before load. The method is chosen by which programs
 * it loads (handle_sys_exit_cached alone, or handle_sys_enter and
 * handle_sys_exit). */
const volatile __u32 targ_tgid = 0;
const volatile __s32 targ_nr = -1;
/* the same call in the compat table: a prefilter that passes both numbers
 * (user space compares names, which settles the arch) */
const volatile __s32 targ_nr_compat = -1;
const volatile bool filter_comm = false;
const volatile char targ_comm[SCLENS_COMM_LEN] = {};
const volatile bool filter_cgroup = false;
/* container filters: a cgroup user space has not decided on yet passes,
 * so that a new container's first denials reach user space, which then
 * writes its decision (0 or 1) into cgroup_filter */
const volatile bool undecided_cgroups_pass = false;
/* Copy filters and evaluate them in the kernel (prog->orig_prog exists):
 * off only to test the ptrace fallback. */
const volatile bool read_filters = true;
/* Each cgroup's events, after a burst: one per event_interval_ns at most
 * (0: no limit). A tenant's storm spends its own rate, never the ring
 * buffer's room for another tenant; the first denial of each (call,
 * action, errno) of a cgroup is always sent, and every denial counted. */
const volatile __u64 event_interval_ns = 0;
const volatile __u64 event_burst_ns = 0;

#define ST_IN_SYSCALL (1U << 0)
#define ST_SIGSYS_REPORTED (1U << 1)

struct task_state {
	__u32 flags;
	__s32 nr; /* of the call entered, valid while ST_IN_SYSCALL */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_state);
} task_states SEC(".maps");

/* The hot "inside a syscall" marker: one byte per thread id, eight per
 * element, so that the common path is an inlined array access instead of
 * a task-storage lookup. Sized from pid_max by user space. Only filtered
 * threads set it; their exit clears it (sched_process_exit), so a reused
 * tid starts clean. Calls that may change the tid (execve from a non-leader
 * thread) or install a filter use task storage instead. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, (4194304 + 7) / 8);
	__type(key, __u32);
	__type(value, __u64);
} in_syscall SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 * 1024 * 1024); /* user space may change it */
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SCLENS_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* cgroup id -> 1 report, 0 drop, when filter_cgroup is set. LRU: on a host
 * with more cgroups than entries, an evicted decision is undecided again and
 * user space decides once more; cgroups that are gone age out. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, __u8);
} cgroup_filter SEC(".maps");

/* Threads filtered before we attached: tid -> SCLENS_SEED_IN_USER or the
 * syscall they were blocked in (from /proc/<pid>/task/<tid>/syscall). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, __s32);
} seed_tids SEC(".maps");

static __always_inline void count(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&counters, &idx);

	if (v)
		*v += 1;
}

struct {
	__uint(type, BPF_MAP_TYPE_HASH); /* not LRU: a count is never evicted silently */
	__uint(max_entries, SCLENS_COUNT_ENTRIES);
	__type(key, struct sclens_count_key);
	__type(value, __u64);
} denial_counts SEC(".maps");

/* Of each key's denials, those whose event never went into the ring
 * buffer (over its cgroup's rate, or no room): user space says them as
 * repeats. Counted when the event is refused, so an event in flight is
 * never among them: exact whenever it is read */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SCLENS_COUNT_ENTRIES);
	__type(key, struct sclens_count_key);
	__type(value, __u64);
} denial_unsent SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SCLENS_COUNT_CGROUPS);
	__type(key, __u64);
	__type(value, struct sclens_count_budget);
} count_budgets SEC(".maps");

/* Counts one denial per (cgroup, call, action, errno), before any user
 * filter and whether or not its event finds room: exact under storms.
 * Every cgroup has a budget of keys (its tenant chooses the numbers and
 * errnos): past it, its denials are counted in its own over-budget count,
 * never in another's room. A full map is counted too, never a silent loss.
 * Returns the cgroup's budget, whose event rate decides whether the event
 * is sent, or NULL when it must be: the first of its key, or no budget. */
static __always_inline struct sclens_count_budget *count_denial(__u64 cgid, __u32 arch, __s32 nr, __u32 action,
								 __s32 err, struct sclens_count_key *counted)
{
	struct sclens_count_key k = { .cgroup_id = cgid, .arch = arch, .nr = nr, .action = action, .err = err };
	struct sclens_count_budget *b, fresh = {};
	__u64 one = 1, *v;

	counted->cgroup_id = 0; /* set below when the key has a count of its own */
	if (nr < 0 || (nr & ~SCLENS_X32_SYSCALL_BIT) >= SCLENS_COUNT_NR_LIMIT)
		k.nr = SCLENS_COUNT_NR_UNKNOWN;
	if (err > SCLENS_COUNT_ERRNO_NAMED && action != SCLENS_ACT_TRAP && action != SCLENS_ACT_KILL_PROCESS &&
	    action != SCLENS_ACT_KILL_THREAD)
		k.err = MAX_ERRNO;
	v = bpf_map_lookup_elem(&denial_counts, &k);
	if (v) {
		__sync_fetch_and_add(v, 1);
		*counted = k;
		return event_interval_ns ? bpf_map_lookup_elem(&count_budgets, &cgid) : NULL;
	}
	b = bpf_map_lookup_elem(&count_budgets, &cgid);
	if (!b) {
		bpf_map_update_elem(&count_budgets, &cgid, &fresh, BPF_NOEXIST);
		b = bpf_map_lookup_elem(&count_budgets, &cgid);
		if (!b) {
			count(SCLENS_CNT_COUNT_OVERFLOW);
			return NULL;
		}
	}
	if (b->keys >= SCLENS_COUNT_KEYS_PER_CGROUP) {
		__sync_fetch_and_add(&b->over, 1);
		return b;
	}
	if (!bpf_map_update_elem(&denial_counts, &k, &one, BPF_NOEXIST)) {
		__sync_fetch_and_add(&b->keys, 1);
		*counted = k;
		return NULL; /* the first of its key */
	}
	v = bpf_map_lookup_elem(&denial_counts, &k); /* created meanwhile by another CPU */
	if (v) {
		__sync_fetch_and_add(v, 1);
		*counted = k;
	} else {
		__sync_fetch_and_add(&b->over, 1);
		count(SCLENS_CNT_COUNT_OVERFLOW);
	}
	return b;
}

/* The cgroup's event rate (GCRA): true when this event may be sent. Two
 * CPUs may both pass at the edge: a rate, not an exact count (the counts
 * are in denial_counts). What is not sent is counted, per cgroup too. */
static __always_inline bool event_due(struct sclens_count_budget *b)
{
	__u64 now, due;

	if (!b || !event_interval_ns)
		return true;
	now = bpf_ktime_get_ns();
	due = b->due_ns > now ? b->due_ns : now;
	if (due - now > event_burst_ns) {
		__sync_fetch_and_add(&b->suppressed, 1);
		count(SCLENS_CNT_SUPPRESSED);
		return false;
	}
	b->due_ns = due + event_interval_ns;
	return true;
}

#include "filters.bpf.h"

static __always_inline struct task_state *state_get(struct task_struct *task, bool create)
{
	return bpf_task_storage_get(&task_states, task, 0,
				    create ? BPF_LOCAL_STORAGE_GET_F_CREATE : 0);
}

/* The byte of tid in in_syscall, or NULL when tid is beyond pid_max as it
 * was at start-up (those threads use task storage). */
static __always_inline __u8 *in_syscall_byte(__u32 tid)
{
	__u32 idx = tid >> 3;
	__u64 *word = bpf_map_lookup_elem(&in_syscall, &idx);

	if (!word)
		return NULL;
	return (__u8 *)word + (tid & 7);
}

static __always_inline bool comm_matches(const char *comm)
{
	for (int i = 0; i < SCLENS_COMM_LEN; i++) {
		if (comm[i] != targ_comm[i])
			return false;
		if (!comm[i])
			return true;
	}
	return true;
}

/* Filters the user asked for, applied before anything is reserved. */
static __always_inline bool wanted(struct task_struct *task, __s32 nr, __u64 cgid)
{
	if (targ_tgid && BPF_CORE_READ(task, tgid) != targ_tgid)
		return false;
	if (targ_nr >= 0 && nr != targ_nr && nr != targ_nr_compat)
		return false;
	if (filter_cgroup) {
		__u8 *decision = bpf_map_lookup_elem(&cgroup_filter, &cgid);

		if (decision ? !*decision : !undecided_cgroups_pass)
			return false;
	}
	if (filter_comm) {
		char comm[SCLENS_COMM_LEN];

		bpf_get_current_comm(comm, sizeof(comm));
		if (!comm_matches(comm))
			return false;
	}
	return true;
}

/* Flags and key describing the task's filter stack. */
static __always_inline void read_filter_stack(struct task_struct *task, struct sclens_event *e)
{
	struct seccomp_filter *f = BPF_CORE_READ(task, seccomp.filter);

	e->filter_key = (__u64)f;
	e->filter_count = BPF_CORE_READ(task, seccomp.filter_count.counter);
	for (int i = 0; i < MAX_FILTER_WALK && f; i++) {
		if (BPF_CORE_READ(f, notif))
			e->flags |= SCLENS_F_NOTIF_FILTER;
		if (BPF_CORE_READ(f, log))
			e->flags |= SCLENS_F_LOG_FILTER;
		f = BPF_CORE_READ(f, prev);
	}
}

static __always_inline void fill_task(struct task_struct *task, struct sclens_event *e)
{
	struct pid *tp;
	struct upid up = {};
	unsigned int level;
	__u64 ugid = bpf_get_current_uid_gid();

	e->ts_ns = bpf_ktime_get_ns();
	e->pid = BPF_CORE_READ(task, tgid);
	e->tid = BPF_CORE_READ(task, pid);
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->uid = (__u32)ugid;
	e->gid = ugid >> 32;
	e->mntns = BPF_CORE_READ(task, nsproxy, mnt_ns, ns.inum);
	tp = BPF_CORE_READ(task, thread_pid);
	level = BPF_CORE_READ(tp, level);
	bpf_core_read(&up, sizeof(up), &tp->numbers[level & 31]);
	e->pidns = BPF_CORE_READ(up.ns, ns.inum);
	/* kernel_cap_t is one u64 since 6.3 and u32[2] before: same bytes */
	bpf_core_read(&e->cap_eff, sizeof(e->cap_eff), &task->cred->cap_effective);
	if (BPF_CORE_READ(task, ptrace))
		e->flags |= SCLENS_F_PTRACED;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_probe_read_kernel_str(e->cgroup_leaf, sizeof(e->cgroup_leaf),
				  BPF_CORE_READ(task, cgroups, dfl_cgrp, kn, name));
	read_filter_stack(task, e);
}

/*
 * Reserves and fills an event for the current task's syscall. The caller
 * sets action, err and flags, then submits. NULL when unwanted, over its
 * cgroup's event rate (budget, from count_denial), or lost.
 */
/* A counted denial whose event was held back (its cgroup's rate) or found
 * no room: user space says it as a repeat. One the user's own filters do
 * not want is not counted here: it was not asked for */
static __always_inline void count_unsent(const struct sclens_count_key *k)
{
	__u64 one = 1, *v;

	if (!k->cgroup_id)
		return;
	v = bpf_map_lookup_elem(&denial_unsent, k);
	if (v)
		__sync_fetch_and_add(v, 1);
	else if (bpf_map_update_elem(&denial_unsent, k, &one, BPF_NOEXIST) &&
		 (v = bpf_map_lookup_elem(&denial_unsent, k)))
		__sync_fetch_and_add(v, 1); /* made meanwhile by another CPU */
}

static __always_inline struct sclens_event *new_call_event(struct task_struct *task, struct pt_regs *regs,
							   __u32 type, struct sclens_count_budget *budget,
							   const struct sclens_count_key *counted)
{
	struct sclens_event *e;
	__u64 cgid = bpf_get_current_cgroup_id();
	__s32 nr = (__s32)syscall_nr(regs) & ~SCLENS_X32_SYSCALL_BIT;

	if (type == SCLENS_EV_FILTER_INSTALL) {
		count(SCLENS_CNT_FILTER_INSTALLS);
	} else {
		if (type == SCLENS_EV_DENIAL)
			count(SCLENS_CNT_DENIALS);
		if (!wanted(task, nr, cgid))
			return NULL;
		if (!event_due(budget)) {
			if (counted)
				count_unsent(counted);
			return NULL;
		}
	}
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count(SCLENS_CNT_LOST);
		if (counted)
			count_unsent(counted);
		return NULL;
	}
	__builtin_memset(e, 0, sizeof(*e));
	e->type = type;
	e->cgroup_id = cgid;
	read_syscall_regs(task, regs, e);
	fill_task(task, e);
	return e;
}


static __always_inline void submit(struct sclens_event *e)
{
	count(SCLENS_CNT_EMITTED);
	bpf_ringbuf_submit(e, 0);
}

/* Tells what action left a skipped call with this return value. */
static __always_inline void infer_from_return(struct sclens_event *e, long ret)
{
	e->ret = ret;
	if (e->flags & SCLENS_F_NOTIF_FILTER) {
		/* A listener answered (error or spoofed value). An ERRNO rule in
		 * a stack with a listener looks the same: replay settles it. */
		e->action = SCLENS_ACT_USER_NOTIF;
		if (ret < 0 && ret >= -MAX_ERRNO) {
			e->err = -ret;
			e->flags |= SCLENS_F_HAS_ERRNO;
		}
		return;
	}
	if (ret <= 0 && ret >= -MAX_ERRNO) {
		e->action = SCLENS_ACT_ERRNO;
		e->err = -ret; /* ERRNO(0) returns 0 */
		e->flags |= SCLENS_F_HAS_ERRNO;
		if (ret == -ENOSYS)
			e->flags |= SCLENS_F_ENOSYS_AMBIGUOUS;
		return;
	}
	e->action = SCLENS_ACT_UNKNOWN;
}

/* The path arguments of a denied call, as the process passed them: its
 * memory is still there at exit. Only denials pay for it. */
static __always_inline void read_path_args(struct sclens_event *e)
{
	__u8 mask;
	int k = 0;

	if (e->arch != SCLENS_ARCH_NATIVE || e->nr < 0)
		return;
	mask = path_args_native(e->nr);
#pragma unroll
	for (int i = 0; i < 6; i++) {
		if (!(mask & (1 << i)) || k >= SCLENS_MAX_STRS)
			continue;
		const void *p = (const void *)e->args[i];
		if (k == 0)
			bpf_probe_read_user_str(e->strs[0], SCLENS_STR_LEN, p);
		else if (k == 1)
			bpf_probe_read_user_str(e->strs[1], SCLENS_STR_LEN, p);
		else
			bpf_probe_read_user_str(e->strs[2], SCLENS_STR_LEN, p);
		e->str_args |= 1 << i;
		k++;
	}
}

/* include/linux/sched/jobctl.h: a stop, a ptrace trap or the cgroup
 * freezer woke the task (bits unchanged since 5.2) */
#define JOBCTL_WAKERS ((1UL << 17) | (1UL << 19) | (1UL << 20) | (1UL << 23))

/* A USER_NOTIF wait cut by a signal (or a stop, or the freezer) returns
 * -ERESTART* with it still pending, and the kernel restarts the call (or
 * says EINTR) on the way out; with nothing pending, -ERESTARTSYS is a
 * supervisor's own answer and the caller gets errno 512: a denial like any
 * other. Pending is read from the signal sets and job control, not from
 * TIF_SIGPENDING, whose bit differs between kernels (6.18 renumbered x86's). */
static __always_inline bool restarted_by_signal(struct task_struct *task, long ret)
{
	if (ret > -ERESTARTSYS || ret < -ERESTART_RESTARTBLOCK)
		return false;
	unsigned long pending = BPF_CORE_READ(task, pending.signal.sig[0]) |
				BPF_CORE_READ(task, signal, shared_pending.signal.sig[0]);
	if (pending & ~BPF_CORE_READ(task, blocked.sig[0]))
		return true;
	return BPF_CORE_READ(task, jobctl) & JOBCTL_WAKERS;
}

/* Does a filter of the task's stack have a listener (USER_NOTIF)? */
static __always_inline bool stack_has_listener(struct task_struct *task)
{
	struct seccomp_filter *f = BPF_CORE_READ(task, seccomp.filter);

	for (int i = 0; i < MAX_FILTER_WALK && f; i++) {
		if (BPF_CORE_READ(f, notif))
			return true;
		f = BPF_CORE_READ(f, prev);
	}
	return false;
}

#define SECCOMP_RET_KILL_PROCESS_ 0x80000000U
#define SECCOMP_RET_KILL_THREAD_ 0x00000000U
#define SECCOMP_RET_TRAP_ 0x00030000U
#define SECCOMP_RET_ERRNO_ 0x00050000U
#define SECCOMP_RET_USER_NOTIF_ 0x7fc00000U
#define SECCOMP_RET_TRACE_ 0x7ff00000U
#define SECCOMP_RET_LOG_ 0x7ffc0000U

static __always_inline __u32 ret_action(__u32 verdict)
{
	switch (verdict & SECCOMP_RET_ACTION_FULL_) {
	case SECCOMP_RET_KILL_THREAD_: return SCLENS_ACT_KILL_THREAD;
	case SECCOMP_RET_TRAP_: return SCLENS_ACT_TRAP;
	case SECCOMP_RET_ERRNO_: return SCLENS_ACT_ERRNO;
	case SECCOMP_RET_USER_NOTIF_: return SCLENS_ACT_USER_NOTIF;
	case SECCOMP_RET_TRACE_: return SCLENS_ACT_TRACE;
	case SECCOMP_RET_LOG_: return SCLENS_ACT_LOG;
	case SECCOMP_RET_ALLOW_: return SCLENS_ACT_ALLOW;
	}
	return SCLENS_ACT_KILL_PROCESS; /* and unknown actions, as the kernel treats them */
}

enum judgement {
	J_NONE,		/* the call ran: nothing to report */
	J_DENIAL,
	J_NOTIFICATION, /* a supervisor answered with success (or CONTINUE) */
	J_UNSETTLED,	/* no verdict (no program copy): infer from the return */
};

struct judged {
	__u32 verdict, filter, action;
	__s32 err;
};

/*
 * Decides a call that returned ret without the kernel's verdict cache
 * allowing it: runs the stack as the kernel did and checks that ret is
 * what that verdict produces (a coincidence, say a call allowed by an
 * argument rule that failed with the filter's errno, is not a denial).
 */
static __always_inline enum judgement judge_exit(struct task_struct *task, struct pt_regs *regs, long ret,
						 struct judged *j)
{
	__u32 data;

	if (!read_filters)
		return J_UNSETTLED;
	capture_stack(task);
	if (!eval_stack(task, regs, &j->verdict, &j->filter))
		return J_UNSETTLED;
	j->action = ret_action(j->verdict);
	data = j->verdict & 0xffff;
	j->err = data;
	switch (j->action) {
	case SCLENS_ACT_ERRNO:
		j->err = data > MAX_ERRNO ? MAX_ERRNO : data;
		/* the kernel caps the errno at MAX_ERRNO */
		return ret == -(long)(data > MAX_ERRNO ? MAX_ERRNO : data) ? J_DENIAL : J_NONE;
	case SCLENS_ACT_TRACE:
		/* a tracer decides what becomes of the call; with none, ENOSYS */
		if (BPF_CORE_READ(task, ptrace))
			return J_NONE;
		j->err = ENOSYS;
		return ret == -ENOSYS ? J_DENIAL : J_NONE;
	case SCLENS_ACT_USER_NOTIF:
		/* no listener: ENOSYS; an error answer: a denial; else the answer */
		if (ret < 0 && ret >= -MAX_ERRNO) {
			j->err = -ret;
			return J_DENIAL;
		}
		return J_NOTIFICATION;
	}
	/* allow and log ran the call; TRAP is reported with its SIGSYS and
	 * KILL never returns */
	return J_NONE;
}

/* Marks e with the stack's verdict: the action is the filter's own. */
static __always_inline void set_verdict(struct sclens_event *e, const struct judged *j)
{
	e->flags |= SCLENS_F_VERDICT;
	e->flags &= ~SCLENS_F_ENOSYS_AMBIGUOUS;
	e->verdict = j->verdict;
	e->verdict_filter = j->filter;
	e->action = j->action;
}

static __always_inline void emit_denial(struct task_struct *task, struct pt_regs *regs, long ret)
{
	struct sclens_event *e;
	__u32 arch = task_in_compat_syscall(task) ? SCLENS_ARCH_COMPAT : SCLENS_ARCH_NATIVE;
	__s32 nr = (__s32)syscall_nr(regs);
	struct judged j = {};
	enum judgement how = judge_exit(task, regs, ret, &j);
	bool settled = how != J_UNSETTLED;

	if (how == J_NONE)
		return;
	if (!settled) {
		bool errno_ret = ret <= 0 && ret >= -MAX_ERRNO;
		bool notif = stack_has_listener(task);

		/* a supervisor's answer that is not an error: a notification,
		 * not a denial (ERRNO(0) under a listener looks the same) */
		how = notif && !(ret < 0 && ret >= -MAX_ERRNO) ? J_NOTIFICATION : J_DENIAL;
		j.action = notif ? SCLENS_ACT_USER_NOTIF : errno_ret ? SCLENS_ACT_ERRNO : SCLENS_ACT_UNKNOWN;
		j.err = errno_ret ? -ret : 0;
	}
	struct sclens_count_budget *budget = NULL;
	struct sclens_count_key counted = {};

	if (how == J_DENIAL)
		budget = count_denial(bpf_get_current_cgroup_id(), arch, nr, j.action, j.err, &counted);
	e = new_call_event(task, regs, how == J_NOTIFICATION ? SCLENS_EV_NOTIFICATION : SCLENS_EV_DENIAL, budget,
			   &counted);
	if (!e)
		return;
	infer_from_return(e, ret);
	if (settled)
		set_verdict(e, &j);
	read_path_args(e);
	submit(e);
}

static __always_inline void emit_install(struct task_struct *task, struct pt_regs *regs, long ret)
{
	struct sclens_event *e;

	if (read_filters)
		capture_newest(task); /* before the event that names it */
	e = new_call_event(task, regs, SCLENS_EV_FILTER_INSTALL, NULL, NULL);

	if (!e)
		return;
	e->ret = ret;
	e->action = SCLENS_ACT_ALLOW;
	submit(e);
}

/* A filter-installing call of a task that was already filtered (stacked):
 * seccomp(SECCOMP_SET_MODE_FILTER, ...) or prctl(PR_SET_SECCOMP, 2, ...) */
static __always_inline bool installs_filter(struct pt_regs *regs, __u32 arch, long nr)
{
	enum call_kind kind = call_kind(arch, nr);
	__u64 a0, a1;

	if (kind != CALL_SECCOMP && kind != CALL_PRCTL)
		return false;
	read_first_args(bpf_get_current_task_btf(), regs, &a0, &a1);
	if (kind == CALL_SECCOMP)
		return a0 == SECCOMP_SET_MODE_FILTER;
	return a0 == PR_SET_SECCOMP && a1 == SECCOMP_MODE_FILTER;
}

SEC("raw_tp/sys_enter")
int BPF_PROG(handle_sys_enter, struct pt_regs *regs, long id)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct task_state *st;
	__u8 *mark;

	/* the common case on a host: no filter, nothing to do */
	if (task->seccomp.mode != SECCOMP_MODE_FILTER)
		return 0;
	if (!needs_task_state(id)) {
		mark = in_syscall_byte(task->pid);
		if (mark) {
			*mark = 1;
			return 0;
		}
	}
	st = state_get(task, true);
	if (st) {
		st->flags |= ST_IN_SYSCALL;
		st->nr = id;
	}
	return 0;
}

SEC("raw_tp/sys_exit")
int BPF_PROG(handle_sys_exit, struct pt_regs *regs, long ret)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct task_state *st;
	__u32 arch;
	long nr;
	__s32 *seed;
	__u32 tid;
	__u8 *mark;

	if (task->seccomp.mode != SECCOMP_MODE_FILTER)
		return 0;
	/* the hot path: an allowed call of a filtered task */
	mark = in_syscall_byte(task->pid);
	if (mark && *mark) {
		*mark = 0;
		return 0;
	}
	st = state_get(task, false);
	if (st && (st->flags & ST_IN_SYSCALL)) {
		/* execve, seccomp, prctl (or a tid beyond pid_max) */
		st->flags &= ~ST_IN_SYSCALL;
		if (ret < 0 || !may_install(st->nr))
			return 0;
		arch = task_in_compat_syscall(task) ? SCLENS_ARCH_COMPAT : SCLENS_ARCH_NATIVE;
		if (installs_filter(regs, arch, st->nr))
			emit_install(task, regs, ret);
		return 0;
	}
	if (st && (st->flags & ST_SIGSYS_REPORTED)) {
		/* TRAP: reported when the SIGSYS was generated */
		st->flags &= ~ST_SIGSYS_REPORTED;
		return 0;
	}

	nr = syscall_nr(regs);
	if (nr == -1)
		return 0; /* cancelled by a tracer (or user dispatch): not seccomp */
	if (restarted_by_signal(task, ret))
		return 0; /* a USER_NOTIF wait cut by a signal: the kernel restarts the call */
	if (BPF_CORE_READ(task, ptrace) && sysemu_set(task))
		return 0; /* PTRACE_SYSEMU skips every call */

	if (st) {
		emit_denial(task, regs, ret);
		return 0;
	}

	/* First sight of this thread in filter mode: arm it from now on. */
	arch = task_in_compat_syscall(task) ? SCLENS_ARCH_COMPAT : SCLENS_ARCH_NATIVE;
	st = state_get(task, true);
	if (ret >= 0 && (call_kind(arch, nr) == CALL_SECCOMP || call_kind(arch, nr) == CALL_PRCTL)) {
		/* entered with mode 0, returns in filter mode: the install */
		emit_install(task, regs, ret);
		return 0;
	}
	if (ret == 0 && call_kind(arch, nr) == CALL_CLONE)
		return 0; /* a new child's first return */

	tid = BPF_CORE_READ(task, pid);
	seed = bpf_map_lookup_elem(&seed_tids, &tid);
	if (!seed)
		return 0; /* unknown history (raced our start-up): do not guess */
	__s32 blocked_in = *seed;
	bpf_map_delete_elem(&seed_tids, &tid);
	if (blocked_in == (__s32)nr)
		return 0; /* the call it was blocked in when we attached */
	emit_denial(task, regs, ret);
	return 0;
}

/* TRAP, KILL_PROCESS and the last thread's KILL_THREAD: force_sig_seccomp() */
SEC("raw_tp/signal_generate")
int BPF_PROG(handle_signal_generate, int sig, struct kernel_siginfo *info,
	     struct task_struct *target, int group, int result)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct sclens_event *e;
	struct task_state *st;
	struct pt_regs *regs;
	struct judged j = {};
	bool settled = false;
	int mode;

	/* force_sig_seccomp() signals current; compare ids, not pointers, so
	 * that the compiler cannot swap the trusted pointer for the raw one */
	if (sig != SIGSYS || BPF_CORE_READ(target, pid) != (__u32)bpf_get_current_pid_tgid())
		return 0;
	if (BPF_CORE_READ(info, si_code) != SYS_SECCOMP)
		return 0;
	mode = task->seccomp.mode;
	if (mode != SECCOMP_MODE_FILTER && mode != SECCOMP_MODE_DEAD)
		return 0;
	regs = (struct pt_regs *)bpf_task_pt_regs(task);
	/* A task may send itself a SIGSYS with SYS_SECCOMP and any number
	 * (rt_sigqueueinfo to its own pid takes any positive si_code): only
	 * the kernel's own seccomp path counts, where the call in the
	 * registers is the one siginfo names and the filters' verdict on it
	 * is TRAP or KILL. A forged one is the sending call itself, which the
	 * filters allowed. */
	if ((__s32)syscall_nr(regs) != BPF_CORE_READ(info, _sifields._sigsys._syscall))
		return 0;
	/* the kernel leaves KILL_THREAD on the last thread looking like
	 * KILL_PROCESS: the filter's own verdict tells them apart */
	j.action = mode == SECCOMP_MODE_DEAD ? SCLENS_ACT_KILL_PROCESS : SCLENS_ACT_TRAP;
	if (read_filters) {
		capture_stack(task);
		settled = eval_stack(task, regs, &j.verdict, &j.filter);
		if (settled) {
			j.action = ret_action(j.verdict);
			if (j.action != SCLENS_ACT_TRAP && j.action != SCLENS_ACT_KILL_PROCESS &&
			    j.action != SCLENS_ACT_KILL_THREAD)
				return 0;
		}
	}
	st = state_get(task, true);
	if (st)
		st->flags |= ST_SIGSYS_REPORTED;
	struct sclens_count_key counted = {};
	struct sclens_count_budget *budget = count_denial(bpf_get_current_cgroup_id(), BPF_CORE_READ(info, _sifields._sigsys._arch),
			      BPF_CORE_READ(info, _sifields._sigsys._syscall), j.action, BPF_CORE_READ(info, si_errno),
			      &counted);
	e = new_call_event(task, regs, SCLENS_EV_DENIAL, budget, &counted);
	if (!e)
		return 0;
	/* siginfo holds what the filter saw: trust it over the registers */
	e->nr = BPF_CORE_READ(info, _sifields._sigsys._syscall);
	e->arch = BPF_CORE_READ(info, _sifields._sigsys._arch);
	e->err = BPF_CORE_READ(info, si_errno); /* the action's data */
	e->action = j.action;
	if (settled)
		set_verdict(e, &j);
	if (mode == SECCOMP_MODE_DEAD)
		e->flags |= SCLENS_F_PROCESS_KILLED;
	submit(e);
	return 0;
}

/* KILL_THREAD of a thread that is not the last: do_exit(SIGSYS) */
SEC("raw_tp/sched_process_exit")
int BPF_PROG(handle_sched_process_exit, struct task_struct *p)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct sclens_event *e;
	struct task_state *st;

	int mode = task->seccomp.mode;
	__u8 *mark;

	if (mode != SECCOMP_MODE_FILTER && mode != SECCOMP_MODE_DEAD)
		return 0;
	/* a thread may die inside a syscall (exit_group, a fatal signal):
	 * leave its tid's marker clean for whoever gets the tid next */
	mark = in_syscall_byte(task->pid);
	if (mark)
		*mark = 0;
	if (mode != SECCOMP_MODE_DEAD)
		return 0;
	st = state_get(task, false);
	if (st && (st->flags & ST_SIGSYS_REPORTED))
		return 0; /* the SIGSYS path reported it */
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(task);
	struct judged j = { .action = SCLENS_ACT_KILL_THREAD };
	bool settled = false;

	if (read_filters) {
		capture_stack(task);
		settled = eval_stack(task, regs, &j.verdict, &j.filter);
		if (settled)
			j.action = ret_action(j.verdict);
	}
	struct sclens_count_key counted = {};
	struct sclens_count_budget *budget = count_denial(bpf_get_current_cgroup_id(),
			      task_in_compat_syscall(task) ? SCLENS_ARCH_COMPAT : SCLENS_ARCH_NATIVE,
			      (__s32)syscall_nr(regs), j.action, j.verdict & 0xffff, &counted);
	e = new_call_event(task, regs, SCLENS_EV_DENIAL, budget, &counted);
	if (!e)
		return 0;
	e->action = j.action;
	e->err = j.verdict & 0xffff;
	if (settled)
		set_verdict(e, &j);
	/* do_exit(SIGKILL) is strict mode's kill, do_exit(SIGSYS) a
	 * filter's KILL_THREAD; the thread group's count, which still holds
	 * this thread until it is released, says whether the process ends
	 * with it */
	if (BPF_CORE_READ(task, exit_code) == SIGKILL)
		e->flags |= SCLENS_F_STRICT;
	else if (!settled)
		e->flags |= SCLENS_F_KILLED_BY_SECCOMP;
	if (BPF_CORE_READ(task, signal, nr_threads) <= 1)
		e->flags |= SCLENS_F_PROCESS_KILLED;
	submit(e);
	return 0;
}

/*
 * The one-hook method (SCLENS_METHOD_ONE_HOOK, chosen before load): sys_exit
 * only. A call whose number the newest filter's verdict cache allows was
 * allowed whatever its arguments: return at once. Any other call is
 * decided by running the stack on it (judge_exit), only when its return
 * value is one the stack could have produced. No entry mark, so no trap of
 * the two-hook method (clone children, threads blocked since before start,
 * execve's tid change) applies: the filter's own verdict decides.
 */
SEC("raw_tp/sys_exit")
int BPF_PROG(handle_sys_exit_cached, struct pt_regs *regs, long ret)
{
	struct task_struct *task = bpf_get_current_task_btf();
	bool compat;
	long nr;

	if (task->seccomp.mode != SECCOMP_MODE_FILTER)
		return 0;
	/* direct loads through the task's own pointers: the raw_tp argument
	 * regs is a plain number, readable only by bpf_probe_read_kernel;
	 * bpf_task_pt_regs gives the same registers as a typed pointer */
	nr = syscall_nr_direct(task);
	compat = task_in_compat_syscall_direct(task);
	if (may_install(nr) && ret >= 0) {
		__u32 arch = compat ? SCLENS_ARCH_COMPAT : SCLENS_ARCH_NATIVE;

		if (installs_filter(regs, arch, nr)) {
			emit_install(task, regs, ret);
			return 0;
		}
	}
	if (cache_allows(task, compat, nr))
		return 0;
	/* the slow path: calls the cache cannot vouch for */
	if (nr == -1)
		return 0; /* cancelled by a tracer (or user dispatch): not seccomp */
	if (restarted_by_signal(task, ret))
		return 0; /* a USER_NOTIF wait cut by a signal: the kernel restarts the call */
	if (!(ret <= 0 && ret >= -MAX_ERRNO) && !stack_has_listener(task))
		return 0; /* no action of the stack returns this */
	if (BPF_CORE_READ(task, ptrace) && sysemu_set(task))
		return 0; /* PTRACE_SYSEMU skips every call, seccomp unasked */
	/* TRAP needs no mark here: its verdict says it was reported with
	 * the SIGSYS */
	emit_denial(task, regs, ret);
	return 0;
}

/*
 * The fexit method: programs on the seccomp decision itself. Only tasks in
 * filter mode call __seccomp_filter() (SYSCALL_WORK_SECCOMP), and no
 * syscall tracepoint is attached, so no other task is put on the slow
 * syscall path or runs a program. It returns 0 when the call runs and -1
 * when seccomp skipped it, with the call's return value already in the
 * registers (ERRNO, TRACE with no tracer, a USER_NOTIF answer). TRAP and
 * KILL end in SIGSYS or do_exit and are reported there, as in the other
 * methods (judge_exit leaves them alone). The recursive call made after a
 * tracer's stop decides its own verdict and is judged by itself.
 * The signature differs between kernels (5.10 has a seccomp_data argument):
 * bpf_get_func_ret reads the return value wherever it is.
 */
SEC("fexit/__seccomp_filter")
int handle_seccomp_fexit(__u64 *ctx)
{
	struct task_struct *task;
	struct pt_regs *regs;
	__u64 verdict = 0;
	long ret;

	if (bpf_get_func_ret(ctx, &verdict) || (int)verdict == 0)
		return 0; /* the call runs */
	task = bpf_get_current_task_btf();
	regs = (struct pt_regs *)bpf_task_pt_regs(task);
	ret = syscall_return_value(regs);
	if (restarted_by_signal(task, ret))
		return 0; /* a USER_NOTIF wait cut by a signal: the kernel restarts the call */
	emit_denial(task, regs, ret);
	return 0;
}

/* Filter installs in the fexit method: the syscalls' own entry points
 * (seccomp(2) and prctl(2), native and compat), which only those calls
 * reach. User space names the arch's functions before load
 * (__x64_sys_seccomp, __arm64_sys_prctl, ...) and loads those the kernel
 * has. The argument is the task's saved registers. */
static __always_inline int fexit_install(long ret)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct pt_regs *regs;
	__u32 arch;
	long nr;

	if (ret < 0 || task->seccomp.mode != SECCOMP_MODE_FILTER)
		return 0;
	regs = (struct pt_regs *)bpf_task_pt_regs(task);
	nr = syscall_nr(regs);
	arch = task_in_compat_syscall(task) ? SCLENS_ARCH_COMPAT : SCLENS_ARCH_NATIVE;
	if (installs_filter(regs, arch, nr))
		emit_install(task, regs, ret);
	return 0;
}

SEC("fexit")
int BPF_PROG(handle_install_seccomp, const struct pt_regs *r, long ret)
{
	return fexit_install(ret);
}

SEC("fexit")
int BPF_PROG(handle_install_prctl, const struct pt_regs *r, long ret)
{
	return fexit_install(ret);
}

SEC("fexit")
int BPF_PROG(handle_install_seccomp_compat, const struct pt_regs *r, long ret)
{
	return fexit_install(ret);
}

SEC("fexit")
int BPF_PROG(handle_install_prctl_compat, const struct pt_regs *r, long ret)
{
	return fexit_install(ret);
}

/*
 * Recording (`sclens record`): loaded only then. Every call of a recorded
 * cgroup is counted at entry, with the argument values profiles condition
 * on. A cgroup user space has not decided on yet is recorded (so a
 * container is recorded from its first instruction, before user space
 * knows it is one it wants); user space then decides, and drops what it
 * did not want. Every other task pays one map lookup.
 */
const volatile bool record_ioctl = false;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, __u8);
} record_cgroups SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SCLENS_RECORD_ENTRIES);
	__type(key, struct sclens_rec_key);
	__type(value, __u64);
} record_counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SCLENS_RECORD_ARG_ENTRIES);
	__type(key, struct sclens_rec_arg_key);
	__type(value, __u64);
} record_args SEC(".maps");

/* +1 on a map's counter, created if need be; a full map is counted */
static __always_inline void bump(void *map, const void *key, __u32 overflow_idx)
{
	__u64 one = 1, *v = bpf_map_lookup_elem(map, key);

	if (v) {
		__sync_fetch_and_add(v, 1);
		return;
	}
	if (!bpf_map_update_elem(map, key, &one, BPF_NOEXIST))
		return;
	v = bpf_map_lookup_elem(map, key);
	if (v)
		__sync_fetch_and_add(v, 1);
	else
		count(overflow_idx);
}

SEC("raw_tp/sys_enter")
int BPF_PROG(handle_record_enter, struct pt_regs *regs, long id)
{
	__u64 cgid = bpf_get_current_cgroup_id();
	__u8 *decided = bpf_map_lookup_elem(&record_cgroups, &cgid);
	struct task_struct *task;
	struct sclens_rec_key k;
	int arg;

	if (decided && *decided == SCLENS_RECORD_NO)
		return 0;
	task = bpf_get_current_task_btf();
	k.cgroup_id = cgid;
	k.arch = task_in_compat_syscall_direct(task) ? SCLENS_ARCH_COMPAT : SCLENS_ARCH_NATIVE;
	k.nr = id;
	k.filtered = task->seccomp.mode == SECCOMP_MODE_FILTER;
	k.pad = 0;
	bump(&record_counts, &k, SCLENS_CNT_RECORD_OVERFLOW);
	arg = recorded_arg(k.arch, id, record_ioctl);
	if (arg >= 0) {
		struct sclens_rec_arg_key ak = { .cgroup_id = cgid, .arch = k.arch, .nr = k.nr, .arg = arg,
						 .filtered = k.filtered };
		__u64 a0, a1;

		read_first_args(task, regs, &a0, &a1);
		ak.value = arg ? a1 : a0;
		bump(&record_args, &ak, SCLENS_CNT_RECORD_ARGS_OVERFLOW);
	}
	return 0;
}

/*
 * Shadow mode (`watch --shadow CANDIDATE`): each call of a shadowed cgroup
 * is run through the candidate profile as libseccomp compiled it, in the
 * kernel, exactly; a call it would not allow is reported, and runs.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SCLENS_SHADOW_SLOTS);
	__type(key, __u32);
	__type(value, struct sclens_shadow_prog);
} shadow_prog SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, __u8);
} shadow_cgroups SEC(".maps");

SEC("raw_tp/sys_enter")
int BPF_PROG(handle_shadow_enter, struct pt_regs *regs, long id)
{
	__u64 cgid = bpf_get_current_cgroup_id();
	__u8 *on = bpf_map_lookup_elem(&shadow_cgroups, &cgid);
	struct task_struct *task;
	struct sclens_event *e;
	__u32 slot, ret;

	if (!on || !*on)
		return 0;
	slot = *on - 1; /* the candidate compiled for this container's capabilities */
	task = bpf_get_current_task_btf();
	if (!eval_program(task, regs, bpf_map_lookup_elem(&shadow_prog, &slot), &ret))
		return 0;
	switch (ret & SECCOMP_RET_ACTION_FULL_) {
	case SECCOMP_RET_ALLOW_:
	case SECCOMP_RET_LOG_:
		return 0;
	}
	e = new_call_event(task, regs, SCLENS_EV_WOULD_DENY, NULL, NULL);
	if (!e)
		return 0;
	e->verdict = ret;
	e->action = ret_action(ret);
	e->err = ret & 0xffff;
	e->flags |= SCLENS_F_VERDICT;
	read_path_args(e);
	submit(e);
	return 0;
}

/*
 * `sclens filter dump|eval PID` without ptrace: run by user space with
 * BPF_PROG_TEST_RUN (never attached), in its own context. Finds the task
 * by walking the task list from the current one (under RCU, as test runs
 * are), then copies its filters, newest first, skipping the first args[2]
 * and at most DUMP_BATCH of them (the ring buffer's room). Returns how
 * many it copied, with DUMP_MORE set if the stack goes on, or -ESRCH.
 * Works on a stopped, frozen or traced task, past any depth.
 */
#define DUMP_BATCH 128
#define DUMP_MORE (1 << 30)
#define ESRCH 3
#define ENOSPC_ 28

struct find_ctx {
	struct task_struct *cur, *start;
	__u32 tgid, tid;
	struct task_struct *found;
	__u64 list_off;
	struct list_head *head; /* signal->thread_head: the list's head, no task */
};

static long find_process_step(__u64 i, struct find_ctx *c)
{
	struct task_struct *t = c->cur;
	struct list_head *next;

	if (BPF_CORE_READ(t, tgid) == c->tgid && BPF_CORE_READ(t, pid) == c->tgid) {
		c->found = t;
		return 1;
	}
	next = BPF_CORE_READ(t, tasks.next);
	c->cur = (struct task_struct *)((char *)next - c->list_off);
	return c->cur == c->start;
}

static long find_thread_step(__u64 i, struct find_ctx *c)
{
	struct task_struct *t = c->cur;
	struct list_head *next;

	if (BPF_CORE_READ(t, pid) == c->tid) {
		c->found = t;
		return 1;
	}
	next = BPF_CORE_READ(t, thread_node.next);
	if (next == c->head)
		next = BPF_CORE_READ(next, next);
	c->cur = (struct task_struct *)((char *)next - c->list_off);
	return c->cur == c->start;
}

struct dump_ctx {
	struct seccomp_filter *f;
	__u32 skip, copied;
	bool room;
};

static long dump_step(__u64 i, struct dump_ctx *d)
{
	struct seccomp_filter *f = d->f;

	if (!f)
		return 1;
	if (i >= d->skip) {
		if (d->copied == DUMP_BATCH)
			return 1;
		if (capture_one(f)) {
			d->room = false;
			return 1;
		}
		d->copied++;
	}
	d->f = BPF_CORE_READ(f, prev);
	return 0;
}

SEC("raw_tp")
int read_task_filters(struct bpf_raw_tracepoint_args *ctx)
{
	struct find_ctx c = {};
	struct dump_ctx d = {};

	c.tgid = ctx->args[0];
	c.tid = ctx->args[1];
	c.start = c.cur = bpf_get_current_task_btf();
	c.list_off = bpf_core_field_offset(struct task_struct, tasks);
	bpf_loop(1 << 22, find_process_step, &c, 0);
	if (c.found && c.tid != c.tgid) {
		struct task_struct *leader = c.found;

		if (!bpf_core_field_exists(struct task_struct, thread_node))
			return -ESRCH; /* before 6.7: threads by their own pid only */
		c.start = c.cur = leader;
		c.found = NULL;
		c.list_off = bpf_core_field_offset(struct task_struct, thread_node);
		c.head = (struct list_head *)((char *)BPF_CORE_READ(leader, signal) +
					      bpf_core_field_offset(struct signal_struct, thread_head));
		bpf_loop(1 << 16, find_thread_step, &c, 0);
	}
	struct task_struct *task = c.found;

	if (!task)
		return -ESRCH;
	d.f = BPF_CORE_READ(task, seccomp.filter);
	d.skip = ctx->args[2];
	d.room = true;
	bpf_loop(EVAL_MAX_STEPS, dump_step, &d, 0);
	if (!d.room)
		return -ENOSPC_;
	return d.copied | (d.f && d.copied == DUMP_BATCH ? DUMP_MORE : 0);
}

/* Not loaded by default: `make bench` loads them to measure the floor of
 * the kernel's run-time accounting (an empty program on the same hook) and
 * the bare early return every syscall pays (a copy of it). */
SEC("raw_tp/sys_exit")
int bench_floor(void *ctx)
{
	return 0;
}

/* with bench_floor, the floor of the recorder's two hooks */
SEC("raw_tp/sys_enter")
int bench_floor_enter(void *ctx)
{
	return 0;
}

/* the floor of the fexit method: an empty program on the same function */
SEC("fexit/__seccomp_filter")
int bench_fexit_floor(void *ctx)
{
	return 0;
}

SEC("raw_tp/sys_exit")
int bench_early_return(void *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();

	return task->seccomp.mode == SECCOMP_MODE_FILTER;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
