/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * One processed event, fanned out to sinks (Tetragon's exporters): the
 * pipeline (watch.c) turns a kernel event into a record once (container,
 * replay verdict, what to explain it against), and each sink renders it:
 * the terminal or stdout, the daemon's rotated JSON log, the metrics'
 * bookkeeping.
 */
#ifndef SCLENS_SINK_H
#define SCLENS_SINK_H

#include <stdint.h>
#include "event_fmt.h"
#include "report.h"

struct denial_record {
	const struct sclens_event *e;	/* denial, notification or filter install */
	struct event_ctx *c;		/* container, where, replay, filter id */
	const struct explain_src *src;	/* what to explain a denial against, or NULL */
	const char *scope;		/* the container (or cgroup), for once-per-fix */
};

struct sink {
	const char *name;
	void (*event)(struct sink *s, const struct denial_record *r);
	/* about once a second, and at the end (final = true): periodic lines */
	void (*tick)(struct sink *s, uint64_t now_ns, bool final);
	/* SIGHUP: reopen files. 0 or a negative errno */
	int (*reopen)(struct sink *s);
	/* the first write error seen, 0 if none */
	int (*error)(struct sink *s);
	/* cached containers were freed: drop what points into them */
	void (*containers_dropped)(struct sink *s);
};

/* The sink of `watch` and `run`: a reporter printing each record on
 * stdout (plain or JSON lines), with its explanation and fix */
struct report_sink {
	struct sink base;
	struct reporter rep;
};

void report_sink_init(struct report_sink *s, bool json);
void report_sink_free(struct report_sink *s);

#endif
