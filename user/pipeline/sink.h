/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The pipeline's output (Tetragon's exporters): the pipeline (pipeline.c)
 * makes each kernel event a finished record once (its container named,
 * replayed against the real filter, explained with its fix) and hands it
 * to every sink: the terminal or JSON lines on stdout (report.c), the
 * daemon's rotated log (sink_log.c), the Prometheus metrics (metrics.c),
 * the recorder (recorder.c). Sinks only render and write: they never change
 * a record, call back into the pipeline, or decide anything in the kernel;
 * they may read the kernel's counters (observer_counts) for what they show.
 */
#ifndef SCLENS_SINK_H
#define SCLENS_SINK_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/types.h>
#include "fix.h"
#include "sclens.h"

struct container;
struct observer;
struct replay_result;

/* A denial's explanation, made once by the pipeline's explainer */
struct explained {
	const struct explanation *x;	/* its engine, profile_ref and profile_title set */
	const struct profile *profile;	/* what it was explained against */
	struct sc_call call;
	uint64_t occurrence;		/* 1 for the first of this call in this scope, then 2, ... */
	uint64_t id;			/* the same while x and its words are: renderers memo on it */
};

/* One processed event. Valid only during the sink's record() call. */
struct denial_record {
	const struct sclens_event *e;	/* denial, would-deny, notification or filter install */
	uint32_t action;		/* final action (replay may refine the kernel's guess) */
	uint32_t filter_id;		/* small, per run (wraps at 65536) */
	const char *cgroup_path;	/* below the v2 root; NULL if unknown */
	const char *where;		/* the container, or "host" with its unit; NULL: the cgroup leaf */
	const struct container *container; /* NULL: not resolved */
	const struct replay_result *replay; /* NULL: not replayed */
	const char *replay_note;	/* for the human line ("filter 1/1 insn 12"), or NULL */
	const struct explained *explained; /* NULL: nothing to explain it against */
	const char *scope;		/* the container (or cgroup), for once-per-fix */
};

/* Denials the kernel counted but did not send (paced, or lost), for one
 * key since its last repeat (repeats.h). Valid during the call. */
struct repeat_record {
	const struct sclens_count_key *key;
	const struct container *container; /* NULL: not resolved */
	uint64_t count;			   /* not shown */
	uint64_t written;		   /* shown in the same interval */
	double interval_s;		   /* since the key's last repeat, or its first event */
	uint64_t since_ns;		   /* CLOCK_MONOTONIC, the interval's start */
};

struct sink {
	const char *name;
	/* after the programs are attached, before any record: 0 or -errno (the run stops) */
	int (*started)(struct sink *s, struct observer *obs);
	void (*record)(struct sink *s, const struct denial_record *r);
	/* optional: a repeat (repeats.h) */
	void (*repeat)(struct sink *s, const struct repeat_record *r);
	/* about once a second, and at the end (final = true) */
	void (*tick)(struct sink *s, struct observer *obs, uint64_t now_ns, bool final);
	/* SIGHUP: reopen files, write snapshots. 0 or a negative errno */
	int (*reopen)(struct sink *s, struct observer *obs);
	/* before the observer closes (no lock held: a server thread may be
	 * joined); error: why the run failed, NULL if it did not */
	void (*stopping)(struct sink *s, struct observer *obs, const char *error);
	/* the first write error seen, 0 if none */
	int (*error)(struct sink *s);
	/* cached containers were freed: drop what points into them */
	void (*containers_dropped)(struct sink *s);
	/* pruning the caches of gone cgroups: pruning() once, then keeps() for
	 * each (true: its container is still shown, keep its name) */
	void (*pruning)(struct sink *s);
	bool (*keeps)(struct sink *s, uint64_t cgroup_id);
};

#endif
