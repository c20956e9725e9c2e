// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <string.h>
#include <stdio.h>
#include "json_writer.h"

void jw_init(struct jw *w, struct sbuf *b)
{
	memset(w, 0, sizeof(*w));
	w->b = b;
	w->first[0] = true;
}

/* Before a key or a value: the comma, unless first or right after a key */
static void sep(struct jw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (!w->first[w->depth])
		sb_putc(w->b, ',');
	w->first[w->depth] = false;
}

static void open_(struct jw *w, char c)
{
	sep(w);
	sb_putc(w->b, c);
	if (w->depth < JW_MAX_DEPTH)
		w->depth++;
	w->first[w->depth] = true;
}

static void close_(struct jw *w, char c)
{
	sb_putc(w->b, c);
	if (w->depth > 0)
		w->depth--;
}

void jw_obj_begin(struct jw *w) { open_(w, '{'); }
void jw_obj_end(struct jw *w) { close_(w, '}'); }
void jw_arr_begin(struct jw *w) { open_(w, '['); }
void jw_arr_end(struct jw *w) { close_(w, ']'); }

void jw_key(struct jw *w, const char *key)
{
	size_t n = strlen(key);

	sep(w);
	/* keys are sclens's own snake_case literals: nothing to escape */
	sb_putc(w->b, '"');
	sb_putn(w->b, key, n);
	sb_putn(w->b, "\":", 2);
	w->after_key = true;
}

void jw_strn(struct jw *w, const char *s, size_t n)
{
	sep(w);
	sb_put_json_str(w->b, s, n);
}

void jw_str(struct jw *w, const char *s)
{
	if (!s) {
		jw_null(w);
		return;
	}
	jw_strn(w, s, strlen(s));
}

void jw_u64(struct jw *w, uint64_t v)
{
	sep(w);
	sb_put_u64(w->b, v);
}

void jw_i64(struct jw *w, int64_t v)
{
	sep(w);
	if (v < 0) {
		sb_putc(w->b, '-');
		sb_put_u64(w->b, (uint64_t)0 - (uint64_t)v);
	} else {
		sb_put_u64(w->b, v);
	}
}

void jw_bool(struct jw *w, bool v)
{
	sep(w);
	sb_puts(w->b, v ? "true" : "false");
}

void jw_null(struct jw *w)
{
	sep(w);
	sb_puts(w->b, "null");
}

void jw_hex(struct jw *w, uint64_t v, int width)
{
	sep(w);
	if (width > 0)
		sb_printf(w->b, "\"%0*llx\"", width, (unsigned long long)v);
	else
		sb_printf(w->b, "\"%#llx\"", (unsigned long long)v);
}

void jw_raw(struct jw *w, const char *json)
{
	sep(w);
	sb_puts(w->b, json);
}

void jw_raw_members(struct jw *w, const char *json, size_t len)
{
	if (!len)
		return;
	sep(w);
	sb_putn(w->b, json, len);
}

void jw_kv_str(struct jw *w, const char *key, const char *s) { jw_key(w, key); jw_str(w, s); }
void jw_kv_u64(struct jw *w, const char *key, uint64_t v) { jw_key(w, key); jw_u64(w, v); }
void jw_kv_i64(struct jw *w, const char *key, int64_t v) { jw_key(w, key); jw_i64(w, v); }
void jw_kv_bool(struct jw *w, const char *key, bool v) { jw_key(w, key); jw_bool(w, v); }

void jw_kv_str_opt(struct jw *w, const char *key, const char *s)
{
	if (s)
		jw_kv_str(w, key, s);
}

void jw_error(struct jw *w, const char *what, const char *detail)
{
	jw_obj_begin(w);
	jw_kv_str(w, "error", what);
	jw_kv_str_opt(w, "detail", detail);
	jw_obj_end(w);
}

void print_json_error(const char *what, const char *detail)
{
	struct sbuf b;
	struct jw w;

	sb_init(&b);
	jw_init(&w, &b);
	jw_error(&w, what, detail);
	sb_putc(&b, '\n');
	if (!b.oom)
		fputs(b.s, stdout);
	fflush(stdout);
	sb_free(&b);
}
