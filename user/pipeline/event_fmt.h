/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Plain and JSON forms of a kernel event. */
#ifndef SCLENS_EVENT_FMT_H
#define SCLENS_EVENT_FMT_H

#include <stdint.h>
#include <linux/types.h>
#include "sclens.h"
#include "json_writer.h"
#include "text.h"
#include "actions.h"
#include "clock.h"

struct container;
struct replay_result;

/* What user space adds to an event before printing it. */
struct event_ctx {
	uint32_t filter_id;	 /* opaque, small, stable for the run */
	const char *cgroup_path; /* below the v2 root; NULL if unknown */
	uint32_t action;	 /* final action (may refine the kernel's guess) */
	const char *where;	 /* container or host label (raw); NULL: the cgroup leaf */
	const struct container *container;  /* NULL: not resolved */
	const struct replay_result *replay; /* NULL: not replayed */
	const char *replay_plain;   /* a note for the human line, or NULL */
	/* Hooks for later stages; each prints nothing when NULL. */
	void (*extra_plain)(struct sbuf *b, const struct sclens_event *e, void *arg);
	void (*extra_json)(struct jw *w, const struct sclens_event *e, void *arg);
	void *extra_arg;
};


/* One line, no newline, every process string escaped. */
void event_format_plain(struct sbuf *b, const struct sclens_event *e, const struct event_ctx *c);
void event_format_json(struct sbuf *b, const struct sclens_event *e, const struct event_ctx *c);
/* Header line for the plain form. */
void event_format_plain_header(struct sbuf *b);

#endif
