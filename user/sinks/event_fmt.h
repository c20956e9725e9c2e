/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The plain and JSON forms of a record (sink.h), for every sink that
 * writes lines. */
#ifndef SCLENS_EVENT_FMT_H
#define SCLENS_EVENT_FMT_H

#include <stdint.h>
#include <linux/types.h>
#include "sclens.h"
#include "json_writer.h"
#include "text.h"

struct denial_record;

/* The last explanation rendered as JSON members: a storm of one denial
 * renders it once, then copies it */
struct explanation_memo {
	uint64_t id; /* the explained's id; 0: none */
	struct sbuf json;
};

void explanation_memo_free(struct explanation_memo *m);

/* One line, no newline, every process string escaped; the explanation
 * (if any) after it: whole the first time, one line after */
void event_format_plain(struct sbuf *b, const struct denial_record *r);
/* One JSON object, with the whole explanation on every line: consumers
 * filter lines, so none may depend on an earlier one */
void event_format_json(struct sbuf *b, const struct denial_record *r, struct explanation_memo *memo);
/* The value of the "explanation" member of event_format_json, alone */
struct explained;
void event_format_explanation(struct sbuf *b, const struct explained *ex);
/* Header line for the plain form. */
void event_format_plain_header(struct sbuf *b);
/* A repeat record (repeats.h): a JSON object with "type": "repeat", or
 * the human line */
struct repeat_record;
void event_format_repeat_json(struct sbuf *b, const struct repeat_record *r);
void event_format_repeat_plain(struct sbuf *b, const struct repeat_record *r);

#endif
