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
	unsigned int buffer_mb;	  /* ring buffer size, a power of two; 0: 16 */
};

struct observer;

struct observer_counts {
	uint64_t denials;	  /* seen in the kernel, before filters */
	uint64_t emitted;	  /* written to the ring buffer */
	uint64_t lost;		  /* could not be reserved: ring buffer full */
	uint64_t filter_installs;
	uint64_t count_overflow;  /* denials the per-call map had no room to count */
};

/* Every per-(cgroup, call, action, errno) count the kernel keeps: fn for
 * each (non-zero stops). Returns how many, or a negative errno. */
typedef int (*observer_count_fn)(const struct sclens_count_key *k, uint64_t n, void *arg);
int observer_denial_counts(struct observer *o, observer_count_fn fn, void *arg);

typedef int (*observer_event_fn)(const struct sclens_event *e, void *arg);

struct observer;

/* Checks privileges, BTF and seccomp support; each failure returns a
 * negative errno after printing one line that says what to do. */
int observer_preflight(void);
/* Does sclens hold this capability (effective)? */
bool observer_has_cap(int cap);
int observer_open(struct observer **out, const struct observer_filters *f, bool verbose,
		  observer_event_fn fn, void *arg);
/* Records the decision for a cgroup id in the in-kernel filter map. */
int observer_cgroup_filter_set(struct observer *o, uint64_t cgid, bool report);
/* Polls once (timeout_ms); returns events handled or a negative errno;
 * -EINTR is a clean exit. A callback's non-zero return stops the poll. */
int observer_poll(struct observer *o, int timeout_ms);
int observer_counts(struct observer *o, struct observer_counts *c);
/* Opaque per-run id of a kernel filter address: never print the address. */
uint32_t observer_filter_id(struct observer *o, uint64_t filter_key);
/* The BPF programs' run time accounting (needs stats enabled). */
struct observer_prog_stats {
	const char *name;
	uint64_t run_cnt, run_time_ns;
};
int observer_prog_stats(struct observer *o, struct observer_prog_stats *s, int max);
void observer_close(struct observer *o);

#endif
