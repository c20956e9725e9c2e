/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The pipeline: each kernel event made a finished record once (sink.h) and
 * handed to every sink.
 *
 *   observer (ring buffer) -> name the container (containers.c)
 *     -> select (the options, or run's own filter) -> replay through the
 *     real filter (replay.c) -> explain against its profile (explainer.c)
 *     -> every sink's record()
 *
 * Between events, never inside a sink, the pipeline makes the kernel-side
 * decisions: which cgroups the kernel filters for --container and friends,
 * shadows, or records (recording.c). `watch`, `daemon` and `record` run
 * the whole loop (pipeline_run); `run` feeds its own child's events through
 * the same stages (pipeline_new, pipeline_event).
 */
#ifndef SCLENS_PIPELINE_H
#define SCLENS_PIPELINE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include "containers.h"
#include "explainer.h"
#include "observer.h"
#include "selector.h"
#include "sink.h"

#define PIPELINE_MAX_SINKS 8

/* Where pipeline_run's records go */
struct pipeline_outputs {
	struct sink *sinks[PIPELINE_MAX_SINKS];
	int n_sinks;
	/* held while events are handled and sinks called, except stopping():
	 * a server thread (the metrics) takes it to read the same caches;
	 * NULL: none */
	pthread_mutex_t *lock;
	/* the cgroups to record (sclens record, daemon --record), or NULL */
	struct recording *recording;
	/* a daemon: caches of gone cgroups pruned, SIGHUP re-reads the
	 * runtimes and reopens the sinks' files; once started, it keeps only
	 * the capabilities it still uses (privileges.h) */
	bool long_running;
};

/* Runs until SIGINT/SIGTERM, --duration or --count. Returns the exit code. */
int pipeline_run(struct watch_opts *o, struct pipeline_outputs *out);

/* ---- the stages alone, for a caller with its own loop (run) ---- */

struct pipeline_stages {
	/* every event's cgroup, first (naming: its runtime has not named it
	 * yet); NULL: nothing. watch queues its kernel decisions here */
	void (*noticed)(void *arg, uint64_t cgroup_id, const struct container *ct, bool naming);
	/* is e, of container ct, reported (an install: is its filter read)? */
	bool (*wanted)(void *arg, const struct sclens_event *e, const struct container *ct);
	/* then, installs read: is e reported? NULL: every wanted one */
	bool (*selected)(void *arg, const struct sclens_event *e);
	/* what a denial of ct is explained against; false: nothing */
	bool (*explain_src)(void *arg, const struct sclens_event *e, const struct container *ct,
			    struct explain_src *src, char *title, size_t title_len);
	void *arg;
	bool installs; /* filter installs are records too */
	bool replay;   /* replay denials through their filters */
	bool kernel_copies; /* ... with the filter copies the kernel side sends */
	uint64_t max_count; /* stop after this many denials; 0: never */
};

struct pipeline;

int pipeline_new(struct pipeline **out, const struct pipeline_stages *st, struct sink **sinks, int n_sinks);
/* The observer the events come from (replay reads its filter copies) */
void pipeline_attach(struct pipeline *p, struct observer *obs);
/* The observer's callback: one event through the stages and to the sinks.
 * -ECANCELED once max_count denials were reported (the poll stops). */
int pipeline_event(const struct sclens_event *e, void *pipeline);
/* Denials and would-denies handed to the sinks so far */
uint64_t pipeline_reported(const struct pipeline *p);
/* The repeats (repeats.h) since the last call, to every sink's repeat() */
void pipeline_repeats(struct pipeline *p, uint64_t now_ns);
/* Forgets the repeats' keys of cgroups keep() says no to */
void pipeline_repeats_retain(struct pipeline *p, bool (*keep)(uint64_t cgroup_id, void *arg), void *arg);
void pipeline_free(struct pipeline *p);

#endif
