/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The seccomp filters the kernel really runs for a task: read with
 * PTRACE_SECCOMP_GET_FILTER, replayed with the cBPF interpreter, shown as
 * instructions and a per-syscall summary. */
#ifndef SCLENS_FILTER_H
#define SCLENS_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include "json_writer.h"
#include "text.h"

struct seccomp_prog {
	struct sock_filter *insns;
	size_t len;
	uint64_t flags; /* SECCOMP_FILTER_FLAG_* from PTRACE_SECCOMP_GET_METADATA */
	uint64_t hash;	/* of the instructions: the same filter shared by many tasks */
};

/* A task's stack, newest first (index 0), as the kernel orders it: every
 * filter, however many (the kernel's limit is on their instructions). */
struct filter_stack {
	struct seccomp_prog *progs;
	int n, cap;
	bool borrowed; /* the instructions belong to someone else: not freed */
};

/* Makes room for n filters in s (progs zeroed). 0 or -ENOMEM. */
int filter_stack_reserve(struct filter_stack *s, int n);

/* Attaches to tid (PTRACE_SEIZE + INTERRUPT), reads every filter, detaches.
 * Errors: -ESRCH (no such task, or it exited while read), -EINVAL (no
 * filter), -EPERM (needs CAP_SYS_ADMIN, or the task is traced already),
 * -ETIMEDOUT (it did not stop in time: frozen, or in an uninterruptible
 * wait), -EBUSY (still seized after such a timeout). */
int filter_stack_read(int tid, struct filter_stack *s);
/* How long a task may take to stop before filter_stack_read gives up (3 s;
 * 0: as long as it takes). A task given up on stays seized (a running
 * tracee cannot be detached) until filter_release_seized() sees it stop and
 * lets it go, or this process exits (the kernel detaches then). */
extern int filter_read_timeout_ms;
/* Detaches the tasks given up on that have stopped since; true while some
 * are still seized (call again later). */
bool filter_release_seized(void);
void filter_stack_free(struct filter_stack *s);
/* The process (tgid) a thread id belongs to now, or -ESRCH */
int task_tgid(int tid);
/* Has tid exited (a zombie, or gone)? */
bool filter_task_exited(int tid);
uint64_t filter_hash(const struct sock_filter *insns, size_t len);

struct stack_verdict {
	uint32_t ret;	 /* the SECCOMP_RET_* value that wins */
	int filter;	 /* index in the stack of the filter that decided */
	size_t insn;	 /* index of its returning instruction */
};

/* Runs d through every filter and combines them as the kernel does: the
 * action with the highest precedence wins; for equal ones, the newest. */
void filter_stack_eval(const struct filter_stack *s, const struct seccomp_data *d, struct stack_verdict *v);

/* "errno", "kill_process", ... and the data (errno) of a SECCOMP_RET value */
const char *seccomp_ret_action(uint32_t ret);
/* SCLENS_ACT_* of a SECCOMP_RET value */
uint32_t seccomp_ret_to_action(uint32_t ret);

/* One instruction in readable form ("jeq #227 (clock_settime) jt 5 jf 6") */
void filter_insn_format(struct sbuf *b, const struct sock_filter *f, size_t pc, uint32_t arch_hint, bool nr_loaded);
/* Human dump of a whole stack, with a summary per arch. */
void filter_stack_dump(struct sbuf *b, const struct filter_stack *s, bool json, bool insns);

#endif
