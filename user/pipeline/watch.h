/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The watch pipeline, shared by `sclens watch` and `sclens daemon`: the
 * options that select and explain denials, and the loop that turns kernel
 * events into records for the sinks (sink.h). */
#ifndef SCLENS_WATCH_H
#define SCLENS_WATCH_H

#include <argp.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include "containers.h"
#include "observer.h"
#include "selection.h"
#include "sink.h"

#define MAX_PROFILES 32

struct profile_opt {
	const char *container; /* NULL: every event */
	const char *path;
	struct profile *profile;
};

struct watch_opts {
	struct observer_filters filters;
	struct container_roots roots;
	struct profile_opt profiles[MAX_PROFILES];
	int n_profiles;
	/* source profiles with conditional entries (Docker's default, Podman's,
	 * containerd's RuntimeDefault): recognised in containers that run them
	 * converted, so capability fixes can be named */
	const char *sources[MAX_PROFILES];
	int n_sources;
	struct str_list containers, pods, namespaces, images;
	bool host_only;
	struct str_list syscall_args; /* resolved after parsing, when --json is known */
	struct syscall_set syscalls;
	struct str_list pids, comms;
	const char *cgroup_path;
	uint64_t cgroup_id;
	long duration_s;
	long max_count;
	bool json;
	bool verbose;
	bool installs; /* also print filter installs */
	bool no_replay;
	const char *shadow_path;	/* --shadow: the candidate profile */
	struct profile *shadow;		/* loaded */
};


#define WATCH_MAX_SINKS 8

/* What the daemon adds to the loop. Every hook runs on the loop's thread
 * with lock held (the metrics server's thread takes it to read the same
 * caches). */
struct watch_hooks {
	struct sink **sinks;
	int n_sinks;
	bool no_stdout;	/* the events go to a log file, not stdout */
	bool no_summary; /* stdout carries something else (a recording) */
	pthread_mutex_t *lock;
	/* after the programs are attached: start serving; 0 or -errno */
	int (*started)(void *arg, struct observer *o);
	/* about once a second, and once more at the end */
	void (*tick)(void *arg, struct observer *o, uint64_t now_ns);
	/* should the caches keep this gone cgroup (its series are still
	 * served)? NULL: no. before_prune runs first, once per pruning. */
	void (*before_prune)(void *arg);
	bool (*keep_cgroup)(void *arg, uint64_t cgroup_id);
	/* SIGHUP, after the sinks reopened */
	void (*reload)(void *arg, struct observer *o);
	/* before the observer closes */
	void (*stopping)(void *arg, struct observer *o);
	void *arg;
};

static inline void hooks_lock(const struct watch_hooks *h)
{
	if (h->lock)
		pthread_mutex_lock(h->lock);
}

static inline void hooks_unlock(const struct watch_hooks *h)
{
	if (h->lock)
		pthread_mutex_unlock(h->lock);
}

extern const struct argp watch_argp;
/* Does the container match the --container/--pod/--namespace/--image/--host given? */
bool watch_container_wanted(const struct watch_opts *o, const struct container *c);
void watch_opts_init(struct watch_opts *o);
/* Runs the pipeline until SIGINT/SIGTERM, --duration or --count; hooks may
 * be NULL (watch). Returns the exit code. */
int watch_run(struct watch_opts *o, const struct watch_hooks *hooks);

#endif
