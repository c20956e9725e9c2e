/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Which cgroups the kernel records (sclens record, daemon --record): the
 * kernel counts every new cgroup's calls from its first instruction until
 * the pipeline decides, once its runtime has named it, whether it is one
 * the user selected; unselected ones are then dropped from the maps. The
 * recorder sink reads the decisions to write the file. */
#ifndef SCLENS_RECORDING_H
#define SCLENS_RECORDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct observer;
struct watch_opts;

/* A cgroup the pipeline decided for recording */
struct recorded_cgroup {
	uint64_t id;
	bool recorded;	 /* selected: its calls are in the file */
	bool from_start; /* started while recording: recorded from its first instruction */
	char *who;	 /* its container's JSON members, named when decided (NULL: none) */
};

struct recording;

/* Records the containers w selects (sets w->filters.record). 0 or -ENOMEM */
int recording_new(struct recording **out, struct watch_opts *w);
void recording_free(struct recording *r);
/* The programs are attached: what runs now is decided at once (recorded
 * from now on, not from its start) */
void recording_started(struct recording *r, struct observer *obs);
/* Before start: a cgroup made for a command that waits, before its first
 * instruction, for the programs to be attached (record -- COMMAND): it is
 * decided as a new one, recorded from its start */
void recording_hold(struct recording *r, uint64_t cgroup_id);
/* Between events: decides the cgroups the kernel has been recording
 * undecided; final: also those still waiting for a name */
void recording_decide_new(struct recording *r, bool final);
/* Between events: decides a cgroup an event came from, while it runs
 * (unless its runtime has not named it yet) */
void recording_decide(struct recording *r, uint64_t cgroup_id);
/* The decision for a cgroup, or NULL while it waits for a name */
const struct recorded_cgroup *recording_find(const struct recording *r, uint64_t id);
/* Every decision, for writing: i from 0 while non-NULL */
const struct recorded_cgroup *recording_at(const struct recording *r, size_t i);
/* Forgets the cgroups not recorded that are gone (a daemon sees thousands) */
void recording_prune(struct recording *r);
/* The selection, as the recording file states it */
const struct watch_opts *recording_selection(const struct recording *r);

#endif
