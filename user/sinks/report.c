// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <seccomp.h>
#include "explain_cache.h"
#include "fix.h"
#include "names.h"
#include "observer.h"
#include "report.h"
#include "sink.h"
#include "sclens.h"
#include "array.h"

struct fix_seen {
	char *key;
	uint64_t count;
};

void reporter_init(struct reporter *r, bool json)
{
	memset(r, 0, sizeof(*r));
	r->json = json;
	sb_init(&r->line);
}

void reporter_free(struct reporter *r)
{
	for (int i = 0; i < r->n_seen; i++)
		free(r->seen[i].key);
	free(r->seen);
	sb_free(&r->line);
	sb_free(&r->memo.json);
	free(r->memo.title);
	explain_cache_free(r->cache);
}

/* Occurrence number of key (1 for the first) */
/* (container, call) pairs remembered for the once-per-fix rule: past this,
 * a long-running daemon forgets them all and tells each fix once more */
#define SEEN_MAX 16384

static uint64_t seen_bump(struct reporter *r, const char *key)
{
	for (int i = 0; i < r->n_seen; i++)
		if (!strcmp(r->seen[i].key, key))
			return ++r->seen[i].count;
	if (r->n_seen == SEEN_MAX) {
		for (int i = 0; i < r->n_seen; i++)
			free(r->seen[i].key);
		r->n_seen = 0;
	}
	if (ARRAY_GROW(r->seen, r->cap_seen, r->n_seen, 32))
		return 1;
	r->seen[r->n_seen].key = strdup(key);
	r->seen[r->n_seen].count = 1;
	if (!r->seen[r->n_seen].key)
		return 1;
	r->n_seen++;
	return 1;
}

void reporter_drop_explanations(struct reporter *r)
{
	explain_cache_free(r->cache);
	r->cache = NULL;
	r->memo.x = NULL;
	sb_reset(&r->memo.json);
}

void reporter_set_output(struct reporter *r, reporter_write_fn fn, void *arg)
{
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

struct explain_ctx {
	struct explanation x;
	const struct explanation *cached; /* the cache's, which x copies */
	struct reporter *reporter;
	const struct profile *profile;
	struct sc_call call;
	uint64_t occurrence;
	bool ok;
};

static void extra_plain(struct sbuf *b, const struct sclens_event *e, void *arg)
{
	struct explain_ctx *ec = arg;

	(void)e;
	if (!ec->ok)
		return;
	if (ec->occurrence > 1) {
		sb_puts(b, "  ");
		explanation_summary(b, &ec->x, ec->profile, &ec->call);
		sb_printf(b, " (explained above; occurrence %llu)", (unsigned long long)ec->occurrence);
		return;
	}
	sb_putc(b, '\n');
	explanation_plain(b, &ec->x, ec->profile, &ec->call, "    ");
	if (b->len && b->s[b->len - 1] == '\n')
		b->s[--b->len] = 0;
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static void extra_json(struct jw *w, const struct sclens_event *e, void *arg)
{
	struct explain_ctx *ec = arg;
	struct reporter *r = ec->reporter;

	(void)e;
	if (!ec->ok)
		return;
	jw_key(w, "explanation");
	jw_obj_begin(w);
	/* the whole explanation on every event: JSON consumers filter lines,
	 * so none may depend on an earlier one (only the human form says it
	 * once). Rendered once per explanation, then copied. */
	uint64_t gen = explain_cache_generation(r->cache);
	if (r->memo.x != ec->cached || r->memo.generation != gen || !same_str(r->memo.engine, ec->x.engine) ||
	    !same_str(r->memo.ref, ec->x.profile_ref) || !same_str(r->memo.title, ec->x.profile_title)) {
		struct jw m;
		sb_reset(&r->memo.json);
		jw_init(&m, &r->memo.json);
		jw_obj_begin(&m);
		jw_kv_str(&m, "profile", ec->profile->label);
		jw_kv_str_opt(&m, "profile_runs_as", ec->x.profile_title);
		jw_kv_str_opt(&m, "profile_ref", ec->x.profile_ref);
		explanation_json(&m, &ec->x, ec->profile, &ec->call);
		r->memo.x = ec->cached;
		r->memo.generation = gen;
		r->memo.engine = ec->x.engine;
		r->memo.ref = ec->x.profile_ref;
		free(r->memo.title);
		r->memo.title = ec->x.profile_title ? strdup(ec->x.profile_title) : NULL;
	}
	/* the members between the memo's own braces */
	if (r->memo.json.len >= 2 && !r->memo.json.oom)
		jw_raw_members(w, r->memo.json.s + 1, r->memo.json.len - 1 - (r->memo.json.s[r->memo.json.len - 1] == '}'));
	jw_kv_u64(w, "occurrence", ec->occurrence);
	jw_obj_end(w);
}

static uint32_t scmp_arch_of(const struct sclens_event *e)
{
	if (e->arch == SCLENS_ARCH_X86_64 && e->nr >= 0 && (e->nr & SCLENS_X32_SYSCALL_BIT))
		return SCMP_ARCH_X32;
	return e->arch;
}

void reporter_event(struct reporter *r, const struct sclens_event *e, struct event_ctx *c,
		    const struct explain_src *src, const char *scope)
{
	struct explain_ctx ec = { .profile = src ? src->profile : NULL };
	struct sbuf *b = &r->line;

	sb_reset(b);
	if (src && src->profile && (e->type == SCLENS_EV_DENIAL || e->type == SCLENS_EV_WOULD_DENY) &&
	    (ec.call.name = syscall_name(e->arch, e->nr))) {
		const struct explanation *x;
		char key[256];

		ec.call.arch = scmp_arch_of(e);
		memcpy(ec.call.args, e->args, sizeof(ec.call.args));
		/* Docker converts the profile for the container's bounding set;
		 * the process's own set is the next best guess */
		if (!r->cache && explain_cache_new(&r->cache))
			r->cache = NULL;
		x = r->cache ? explain_cached(r->cache, src->profile, src->has_caps ? src->caps : e->cap_eff, &ec.call) : NULL;
		if (x) {
			ec.x = *x; /* the cache owns what it points to */
			ec.cached = x;
			ec.reporter = r;
			ec.x.engine = src->engine;
			ec.x.profile_ref = src->profile_ref;
			ec.x.profile_title = src->title;
			ec.ok = true;
			snprintf(key, sizeof(key), "%s/%s", scope ? scope : "", ec.call.name);
			ec.occurrence = seen_bump(r, key);
			if (ec.occurrence == 1)
				r->explained++;
			c->extra_plain = extra_plain;
			c->extra_json = extra_json;
			c->extra_arg = &ec;
		}
	}
	if (r->json) {
		event_format_json(b, e, c);
	} else {
		if (!r->header_done) {
			event_format_plain_header(b);
			sb_putc(b, '\n');
			r->header_done = true;
		}
		event_format_plain(b, e, c);
	}
	sb_putc(b, '\n');
	emit(r, b);
	c->extra_plain = NULL;
	c->extra_json = NULL;
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
	jw_kv_u64(&w, "denials_reported", reported);
	jw_kv_u64(&w, "denials_seen", c->denials);
	jw_kv_u64(&w, "events_lost", c->lost);
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

static void report_sink_event(struct sink *s, const struct denial_record *r)
{
	reporter_event(&((struct report_sink *)s)->rep, r->e, r->c, r->src, r->scope);
}

static void report_sink_containers_dropped(struct sink *s)
{
	reporter_drop_explanations(&((struct report_sink *)s)->rep);
}

void report_sink_init(struct report_sink *s, bool json)
{
	reporter_init(&s->rep, json);
	s->base = (struct sink){ .name = "stdout", .event = report_sink_event,
				 .containers_dropped = report_sink_containers_dropped };
}

void report_sink_free(struct report_sink *s)
{
	reporter_free(&s->rep);
}
