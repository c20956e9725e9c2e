/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The closing summary of watch and daemon, as a sink: it counts the
 * records handed on and, when the run stops, prints what was reported and
 * the kernel's exact per-call counts (a JSON line on stdout with --json,
 * else lines on stderr) */
#ifndef SCLENS_SUMMARY_H
#define SCLENS_SUMMARY_H

#include "sink.h"

struct watch_opts;

struct sink *summary_sink_new(const struct watch_opts *o);
void summary_sink_free(struct sink *s);

#endif
