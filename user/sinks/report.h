/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Prints kernel events, with the rule and fix when a profile is known;
 * a fix is printed once per (container, syscall), then counted. Shared by
 * `watch` and `run`. */
#ifndef SCLENS_REPORT_H
#define SCLENS_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include "event_fmt.h"
#include "profile.h"
#include "text.h"

struct fix_seen;
struct explain_cache;

/* Where a reporter's lines go: 0 or a negative errno */
typedef int (*reporter_write_fn)(void *arg, const char *line, size_t len);

struct reporter {
	bool json;
	reporter_write_fn write; /* NULL: stdout (flushed by the poll loops) */
	void *write_arg;
	int write_err;		 /* the first failed write */
	bool header_done;
	struct sbuf line;
	struct fix_seen *seen;
	int n_seen, cap_seen;
	uint64_t explained;
	struct explain_cache *cache;
	/* the last explanation rendered as JSON members: a storm of one
	 * denial renders it once */
	struct {
		const struct explanation *x;
		uint64_t generation;
		const char *engine, *ref;
		char *title;
		struct sbuf json;
	} memo;
};

/* What a denial is explained against */
struct explain_src {
	const struct profile *profile; /* Docker-format source, or an effective profile */
	uint64_t caps;		       /* the container's bounding set, if has_caps */
	bool has_caps;		       /* else the process's effective set is used */
	const char *engine;	       /* for the fix's words; NULL: every engine's */
	const char *profile_ref;       /* --profile argument that names it, or NULL */
	const char *title;	       /* what the container runs, said for people; NULL: the label */
};

void reporter_init(struct reporter *r, bool json);
/* Forgets explanations (their profiles belonged to containers now freed) */
void reporter_drop_explanations(struct reporter *r);
/* Sends the lines elsewhere than stdout (the daemon's log). */
void reporter_set_output(struct reporter *r, reporter_write_fn fn, void *arg);
void reporter_free(struct reporter *r);
/* Prints one event; src may be NULL (no explanation). scope names the
 * container (or cgroup) for the once-per-fix rule. */
void reporter_event(struct reporter *r, const struct sclens_event *e, struct event_ctx *c,
		    const struct explain_src *src, const char *scope);

/* The closing {"type":"summary",...} line of watch and run, on stdout:
 * the same keys for both; exit_status < 0 and error NULL leave theirs out. */
struct observer_counts;
void print_summary_json(uint64_t reported, const struct observer_counts *c, const char *error, int exit_status,
			void (*extra)(struct jw *w, void *arg), void *arg);

#endif
