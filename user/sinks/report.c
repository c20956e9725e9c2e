// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "clock.h"
#include "observer.h"
#include "report.h"

void reporter_init(struct reporter *r, bool json)
{
	memset(r, 0, sizeof(*r));
	r->json = json;
	r->width = json ? 0 : output_width();
	sb_init(&r->line);
	sb_init(&r->wrapped);
}

void reporter_free(struct reporter *r)
{
	sb_free(&r->line);
	sb_free(&r->wrapped);
	explanation_memo_free(&r->memo);
}

void reporter_set_output(struct reporter *r, reporter_write_fn fn, void *arg)
{
	r->width = 0; /* a file: lines stay whole */
	r->write = fn;
	r->write_arg = arg;
}

static void emit(struct reporter *r, struct sbuf *b)
{
	if (b->oom)
		return;
	if (r->write) {
		int err = r->write(r->write_arg, b->s, b->len);
		if (err && !r->write_err)
			r->write_err = err;
		return;
	}
	/* no flush per event: the poll loops flush once per batch */
	fwrite(b->s, 1, b->len, stdout);
}

/* The line ended and written; on a terminal, no line past its edge */
static void emit_wrapped(struct reporter *r, struct sbuf *b)
{
	sb_putc(b, '\n');
	if (r->width > 0 && !b->oom) {
		sb_reset(&r->wrapped);
		sb_put_lines_wrapped(&r->wrapped, b->s, b->len, r->width);
		b = &r->wrapped;
	}
	emit(r, b);
}

void reporter_record(struct reporter *r, const struct denial_record *rec)
{
	struct sbuf *b = &r->line;

	sb_reset(b);
	if (r->json) {
		event_format_json(b, rec, &r->memo);
	} else {
		if (!r->header_done) {
			event_format_plain_header(b);
			sb_putc(b, '\n');
			r->header_done = true;
		}
		event_format_plain(b, rec);
	}
	emit_wrapped(r, b);
}

void print_summary_json(uint64_t reported, const struct observer_counts *c, const char *error, int exit_status,
			void (*extra)(struct jw *w, void *arg), void *arg)
{
	struct sbuf b;
	struct jw w;

	sb_init(&b);
	jw_init(&w, &b);
	jw_obj_begin(&w);
	jw_kv_str(&w, "type", "summary");
	/* like every other line: when and where, for a collector of many nodes */
	char when[48];
	event_time_rfc3339(event_clock_now_ns(), when, sizeof(when));
	jw_kv_str(&w, "time", when);
	jw_kv_str(&w, "node", node_name());
	jw_kv_u64(&w, "denials_reported", reported);
	jw_kv_u64(&w, "denials_seen", c->denials);
	jw_kv_u64(&w, "events_lost", c->lost);
	jw_kv_u64(&w, "events_suppressed", c->suppressed);
	jw_kv_u64(&w, "filter_installs", c->filter_installs);
	jw_kv_str_opt(&w, "error", error);
	if (exit_status >= 0)
		jw_kv_i64(&w, "exit_status", exit_status);
	jw_kv_u64(&w, "counter_overflow", c->count_overflow);
	jw_kv_str_opt(&w, "method", c->method);
	jw_kv_u64(&w, "filters_captured", c->filters_captured);
	jw_kv_u64(&w, "filters_capture_lost", c->filters_lost);
	jw_kv_u64(&w, "eval_failed", c->eval_failed);
	if (extra)
		extra(&w, arg);
	jw_obj_end(&w);
	sb_putc(&b, '\n');
	if (!b.oom)
		fputs(b.s, stdout);
	sb_free(&b);
}

static void report_sink_record(struct sink *s, const struct denial_record *r)
{
	reporter_record(&((struct report_sink *)s)->rep, r);
}

void reporter_repeat(struct reporter *r, const struct repeat_record *rr)
{
	struct sbuf *b = &r->line;

	sb_reset(b);
	if (r->json)
		event_format_repeat_json(b, rr);
	else
		event_format_repeat_plain(b, rr);
	emit_wrapped(r, b);
}

static void report_sink_repeat(struct sink *s, const struct repeat_record *r)
{
	reporter_repeat(&((struct report_sink *)s)->rep, r);
}

static void report_sink_containers_dropped(struct sink *s)
{
	explanation_memo_free(&((struct report_sink *)s)->rep.memo);
}

void report_sink_init(struct report_sink *s, bool json)
{
	reporter_init(&s->rep, json);
	s->base = (struct sink){ .name = "stdout", .record = report_sink_record, .repeat = report_sink_repeat,
				 .containers_dropped = report_sink_containers_dropped };
}

void report_sink_free(struct report_sink *s)
{
	reporter_free(&s->rep);
}
