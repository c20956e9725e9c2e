/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* sclens top's view: denials per container from the kernel's counts,
 * refreshed every interval, with each container's last call and its fix
 * from the pipeline's records. A sink: it only renders. */
#ifndef SCLENS_TOP_VIEW_H
#define SCLENS_TOP_VIEW_H

#include <stdbool.h>
#include <stdio.h>

struct sink;

struct top_opts {
	double interval_s; /* between refreshes */
	long iterations;   /* refreshes before the run ends; 0: until stopped */
	bool screen;	   /* a terminal: redraw in place; else a snapshot each time */
	int width;	   /* columns (0: whole lines) */
	int rows;	   /* lines of the screen (0: every container) */
	FILE *out;
};

struct sink *top_sink_new(const struct top_opts *o);
void top_sink_free(struct sink *s);
/* refreshes done */
long top_sink_refreshes(const struct sink *s);

#endif
