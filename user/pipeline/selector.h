/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* What the user selected and how to explain it: the options watch, daemon
 * and record share, and the tests of a container and an event against
 * them (used by the pipeline, the recording and the summary). */
#ifndef SCLENS_SELECTOR_H
#define SCLENS_SELECTOR_H

#include <stdbool.h>
#include <stdint.h>
#include "containers.h"
#include "observer.h"
#include "selection.h"

#define MAX_PROFILES 32

struct profile_opt {
	const char *container; /* NULL: every event */
	const char *path;
	struct profile *profile;
};

#define WATCH_GIVEN_JSON 1u
#define WATCH_GIVEN_COLOR 2u
#define WATCH_GIVEN_INSTALLS 4u

/* What watch, daemon and record select and explain (their shared options) */
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
	/* which options for the terminal's report were given (WATCH_GIVEN_*):
	 * record and daemon write no such report, and refuse them */
	unsigned terminal_given;
	bool verbose;
	bool installs; /* also report filter installs */
	bool no_replay;
	const char *shadow_path;	/* --shadow: the candidate profile */
	struct profile *shadow;		/* loaded */
};

void watch_opts_init(struct watch_opts *o);
/* Does the container match the --container/--pod/--namespace/--image/--host given? */
bool watch_container_wanted(const struct watch_opts *o, const struct container *c);
/* The same, and --cgroup: for what is kept per cgroup (the summary's
 * counts, the recording) */
bool watch_cgroup_wanted(const struct watch_opts *o, uint64_t cgroup_id, const struct container *c);
/* Is any of --container, --pod, --namespace, --image given? */
bool watch_container_filtering(const struct watch_opts *o);
/* -p, -c and -s, checked in user space (the kernel prefilters one value
 * at most); names settle arches */
bool watch_event_selected(const struct watch_opts *o, const struct sclens_event *e);
/* Frees what parsing and loading allocated */
void watch_opts_free(struct watch_opts *o);

#endif
