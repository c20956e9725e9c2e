/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The sink of `watch` and `run`: each record as a line on stdout (plain,
 * with its explanation and fix, or JSON lines), or through a write
 * function (the daemon's log). Also the closing summary line. */
#ifndef SCLENS_REPORT_H
#define SCLENS_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include "event_fmt.h"
#include "sink.h"
#include "text.h"

/* Where a reporter's lines go: 0 or a negative errno */
typedef int (*reporter_write_fn)(void *arg, const char *line, size_t len);

struct reporter {
	bool json;
	reporter_write_fn write; /* NULL: stdout (flushed by the poll loops) */
	void *write_arg;
	int write_err;		 /* the first failed write */
	bool header_done;
	int width; /* plain lines wrap at it; 0: they do not (not a terminal) */
	struct sbuf line, wrapped;
	struct explanation_memo memo;
};

void reporter_init(struct reporter *r, bool json);
/* Sends the lines elsewhere than stdout (the daemon's log). */
void reporter_set_output(struct reporter *r, reporter_write_fn fn, void *arg);
void reporter_free(struct reporter *r);
/* Renders one repeat record (repeats.h) and writes it */
struct repeat_record;
void reporter_repeat(struct reporter *r, const struct repeat_record *rr);
/* Renders one record and writes it */
void reporter_record(struct reporter *r, const struct denial_record *rec);

/* The reporter as a sink, on stdout */
struct report_sink {
	struct sink base;
	struct reporter rep;
};

void report_sink_init(struct report_sink *s, bool json);
void report_sink_free(struct report_sink *s);

/* The closing {"type":"summary",...} line of watch and run, on stdout:
 * the same keys for both; exit_status < 0 and error NULL leave theirs out. */
struct observer_counts;
void print_summary_json(uint64_t reported, const struct observer_counts *c, const char *error, int exit_status,
			void (*extra)(struct jw *w, void *arg), void *arg);

#endif
