/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The daemon's JSON lines log: every line whole, in one write(2), so that a
 * crash loses only what was in flight; rotated by size into gzip files
 * (PATH.1.gz newest ... PATH.KEEP.gz), compressed off the event thread;
 * volume control that writes the first
 * N events per (container, call, action) per interval and sums the rest into
 * "repeat" lines; losses and events over a cgroup's rate said once a
 * second as they happen ("lost", "suppressed" lines). */
#ifndef SCLENS_SINK_LOG_H
#define SCLENS_SINK_LOG_H

#include <stdint.h>
#include "sink.h"

struct log_sink_opts {
	const char *path;	/* NULL: stdout, no rotation */
	uint64_t max_bytes;	/* rotate past this; 0: never */
	int keep;		/* rotated files kept */
	unsigned int first;	/* events written per key and interval; 0: all */
	unsigned int interval_s;
};

struct log_sink;

/* Opens (and recovers a rotation a crash interrupted). 0 or -errno. */
int log_sink_open(struct log_sink **out, const struct log_sink_opts *o);
struct sink *log_sink_base(struct log_sink *l);
int log_sink_close(struct log_sink *l);

#endif
