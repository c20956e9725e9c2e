/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The kernel side's life cycle: open, set filters, load, attach, seed,
 * poll, counters, detach. Used by `watch` and `run`. */
#ifndef SCLENS_OBSERVER_H
#define SCLENS_OBSERVER_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/types.h>
#include "sclens.h"

struct observer_filters {
	uint32_t tgid;		  /* 0: any */
	int32_t nr;		  /* -1: any (native arch number) */
	int32_t nr_compat;	  /* the same call's number in the compat table (i386), when nr >= 0 */
	const char *comm;	  /* NULL: any */
	const uint64_t *cgroups;  /* report only these cgroup ids */
	int n_cgroups;		  /* 0: any cgroup */
	bool cgroup_filter;	  /* filter on cgroups even if n_cgroups == 0 */
	bool undecided_cgroups_pass; /* cgroups not yet in the map are reported */
	bool bench_floor;	  /* also load the empty reference program */
	bool bench_floor_only;	  /* load nothing but it: the floor of one hook */
	bool bench_hooks_floor_only; /* load nothing but empty sys_enter and sys_exit programs */
	bool bench_fexit_floor;	  /* also load an empty fexit on __seccomp_filter */
	bool bench_fexit_floor_only; /* load nothing but it: the floor of fexit */
	unsigned int buffer_mb;	  /* ring buffer size, a power of two; 0: 16 */
	int method;		  /* SCLENS_METHOD_*, or -1: the best this kernel allows */
	bool no_kernel_filters;	  /* do not copy filters in the kernel (tests the ptrace fallback) */
	bool record;		  /* also record every call of the cgroups decided to be recorded */
	bool record_ioctl;	  /* with ioctl's request values */
	bool shadow;		  /* run a candidate profile on the calls of shadowed cgroups */
	/* each cgroup's denial events: at most this many a second after a
	 * burst of events_burst (0: no limit); the first of each kind and
	 * every count are kept whatever the rate */
	uint32_t events_per_s;
	uint32_t events_burst;
};

/* A filter program the kernel side copied (see struct sclens_filter_rec) */
typedef void (*observer_filter_fn)(const struct sclens_filter_rec *rec, void *arg);

struct observer;

struct observer_counts {
	uint64_t denials;	  /* seen in the kernel, before filters */
	uint64_t emitted;	  /* written to the ring buffer */
	uint64_t lost;		  /* could not be reserved: ring buffer full */
	uint64_t filter_installs;
	uint64_t count_overflow;  /* denials the per-call map had no room to count */
	uint64_t filters_captured; /* filter programs copied by the kernel side */
	uint64_t filters_lost;	  /* copies that found the ring buffer full (copied again later) */
	uint64_t eval_failed;	  /* stacks the kernel side could not evaluate */
	uint64_t record_overflow; /* recorded calls the record map had no room for */
	uint64_t record_args_overflow; /* argument values the record map had no room for */
	uint64_t suppressed;	  /* denials counted but not sent: their cgroup's event rate was spent */
	const char *method;	  /* observer_method_name() of the method in use */
};

/* Every per-(cgroup, call, action, errno) count the kernel keeps: fn for
 * each (non-zero stops). Returns how many, or a negative errno. */
typedef int (*observer_count_fn)(const struct sclens_count_key *k, uint64_t n, void *arg);
int observer_denial_counts(struct observer *o, observer_count_fn fn, void *arg);
/* Of one key's denials, those whose event never went into the ring
 * buffer (paced, or lost; not those --pid and such drop): 0 or -ENOENT. And a
 * cgroup's events held back by its rate so far (0: no budget entry) */
int observer_denial_unsent(struct observer *o, const struct sclens_count_key *k, uint64_t *n);
uint64_t observer_cgroup_suppressed(struct observer *o, uint64_t cgid);
/* Recording: decides whether a cgroup is recorded (an undecided one is);
 * walks the recorded calls and argument values; forgets a cgroup's. */
int observer_record_decide(struct observer *o, uint64_t cgid, bool record);
/* Drops the decision for a cgroup that is gone (the map is bounded) */
int observer_record_undecide(struct observer *o, uint64_t cgid);
typedef int (*observer_rec_fn)(const struct sclens_rec_key *k, uint64_t n, void *arg);
typedef int (*observer_rec_arg_fn)(const struct sclens_rec_arg_key *k, uint64_t n, void *arg);
int observer_record_counts(struct observer *o, observer_rec_fn fn, void *arg);
int observer_record_args(struct observer *o, observer_rec_arg_fn fn, void *arg);
int observer_record_forget(struct observer *o, uint64_t cgid);
/* Shadow mode: the candidate's program (as libseccomp compiled it for
 * one capability set) in slot 0..SCLENS_SHADOW_SLOTS-1, and which slot a
 * cgroup's calls are run through (-1: none) */
struct sock_filter;
int observer_shadow_program(struct observer *o, int slot, const struct sock_filter *insns, size_t len);
int observer_shadow_cgroup(struct observer *o, uint64_t cgid, int slot);
/* Deletes every count of a cgroup (gone past the metrics' retention). */
int observer_denial_counts_forget(struct observer *o, uint64_t cgroup_id);

typedef int (*observer_event_fn)(const struct sclens_event *e, void *arg);

struct observer;

/* Checks privileges, BTF and seccomp support; each failure returns a
 * negative errno after printing one line that says what to do. */
int observer_preflight(void);
/* Does sclens hold this capability (effective)? */
bool observer_has_cap(int cap);
int observer_open(struct observer **out, const struct observer_filters *f, bool verbose,
		  observer_event_fn fn, void *arg);
/* Receives the filter copies (before any event naming them). */
void observer_on_filter(struct observer *o, observer_filter_fn fn, void *arg);
/* Can this kernel's BTF name what the fexit method attaches to? (Whether
 * it lets tracing programs load is only known by loading them.) */
bool observer_fexit_supported(void);
/* The name of the method in use */
const char *observer_method(const struct observer *o);
/* Why `auto` did not choose fexit, or NULL when it did or was not asked */
const char *observer_method_note(const struct observer *o);
/* The name of a capture method ("fexit", "one_hook", "two_hooks") */
const char *observer_method_name(int method);
/* "auto" -1, "fexit", "one-hook", "two-hooks"; -2 for anything else */
int observer_method_parse(const char *s);
/* Can this kernel run the one-hook method (the verdict cache and the
 * filters' programs are readable)? Decided from the kernel's BTF. */
bool observer_one_hook_supported(void);
/* Records the decision for a cgroup id in the in-kernel filter map. */
int observer_cgroup_filter_set(struct observer *o, uint64_t cgid, bool report);
/* Polls once (timeout_ms); returns events handled or a negative errno;
 * -EINTR is a clean exit. A callback's non-zero return stops the poll. */
int observer_poll(struct observer *o, int timeout_ms);
/* The same in two steps, so that a lock is held only while events are
 * handled: waits until events are ready (1), timeout_ms passed (0) or a
 * signal came (-EINTR); then handles every ready event. */
int observer_wait(struct observer *o, int timeout_ms);
int observer_consume(struct observer *o);
int observer_counts(struct observer *o, struct observer_counts *c);
/* Opaque per-run id of a kernel filter address (never print the address):
 * from 1, growing; past 65,536 filters the table starts again, so a filter
 * seen before then gets a new id. */
uint32_t observer_filter_id(struct observer *o, uint64_t filter_key);
/* The BPF programs' run time accounting (needs stats enabled). */
struct observer_prog_stats {
	const char *name;
	uint64_t run_cnt, run_time_ns;
};
int observer_prog_stats(struct observer *o, struct observer_prog_stats *s, int max);
void observer_close(struct observer *o);

struct filter_stack;
/* Reads a task's whole filter stack with a BPF program run once in our
 * own context (no ptrace: works on stopped and traced tasks, past any
 * depth). 0, -ESRCH, -EMEDIUMTYPE (no filter), -ENODATA (the kernel kept
 * no program), or the error that kept the program from loading. */
int observer_read_task_filters(int tid, struct filter_stack *s);

#endif
