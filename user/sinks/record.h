/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The recorder (sclens record, and sclens daemon --record): a sink of the
 * watch pipeline plus the kernel's record maps, written as a recording
 * file (docs/tuning.md). */
#ifndef SCLENS_RECORD_H
#define SCLENS_RECORD_H

#include <stdbool.h>
#include <stdint.h>
#include "observer.h"
#include "sink.h"
#include "watch.h"

struct recorder;

/* Records the containers w selects (sets w->filters.record); output NULL:
 * stdout. NULL when out of memory. */
struct recorder *recorder_new(struct watch_opts *w, const char *output);
struct sink *recorder_sink(struct recorder *r);
/* The watch loop's moments: attached, about once a second, stopping */
int recorder_started(struct recorder *r, struct observer *obs);
void recorder_tick(struct recorder *r, struct observer *obs);
/* final: the last write, when every cgroup is decided */
void recorder_write(struct recorder *r, struct observer *obs, bool final);
/* Forgets the cgroups that were not recorded and are gone (a daemon
 * sees thousands come and go) */
void recorder_prune(struct recorder *r);
/* Is this cgroup recorded (its cache entries are needed for the file)? */
bool recorder_keeps(struct recorder *r, uint64_t cgroup_id);
int recorder_error(const struct recorder *r);
int recorder_check_output(const char *path);
void recorder_free(struct recorder *r);

#endif
