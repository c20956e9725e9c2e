/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The one JSON writer (bpftool's json_writer is the model): it places the
 * commas and escapes every string, so no caller assembles JSON by hand.
 * It writes into an sbuf, which callers print or pass on. */
#ifndef SCLENS_JSON_WRITER_H
#define SCLENS_JSON_WRITER_H

#include <stdbool.h>
#include <stdint.h>
#include "text.h"

#define JW_MAX_DEPTH 32

struct jw {
	struct sbuf *b;
	int depth;
	bool first[JW_MAX_DEPTH + 1]; /* nothing written yet at this depth */
	bool after_key;		      /* a key was written: its value comes next */
};

void jw_init(struct jw *w, struct sbuf *b);
void jw_obj_begin(struct jw *w);
void jw_obj_end(struct jw *w);
void jw_arr_begin(struct jw *w);
void jw_arr_end(struct jw *w);
/* A member's key, in an object; the value follows with a jw_* value call. */
void jw_key(struct jw *w, const char *key);

/* Values (array elements, or after jw_key) */
void jw_str(struct jw *w, const char *s);	/* NULL writes null */
void jw_strn(struct jw *w, const char *s, size_t n); /* stops at a NUL */
void jw_u64(struct jw *w, uint64_t v);
void jw_i64(struct jw *w, int64_t v);
void jw_bool(struct jw *w, bool v);
void jw_null(struct jw *w);
void jw_hex(struct jw *w, uint64_t v, int width); /* "0x1f" or zero-padded "%0*llx" when width > 0 */
/* A value already in JSON form (cJSON's output): written as is. */
void jw_raw(struct jw *w, const char *json);
/* Members already in JSON form ("a":1,"b":2), made by this writer
 * earlier: written as is, inside the open object. */
void jw_raw_members(struct jw *w, const char *json, size_t len);

/* Members: key and value in one call */
void jw_kv_str(struct jw *w, const char *key, const char *s);
void jw_kv_u64(struct jw *w, const char *key, uint64_t v);
void jw_kv_i64(struct jw *w, const char *key, int64_t v);
void jw_kv_bool(struct jw *w, const char *key, bool v);
/* only when s is not NULL */
void jw_kv_str_opt(struct jw *w, const char *key, const char *s);

/* {"error": what, "detail": detail} (bpftool style) */
void jw_error(struct jw *w, const char *what, const char *detail);

/* The JSON form of an error that stops a command (bpftool style), on
 * stdout: {"error": what, "detail": detail}; detail may be NULL. */
void print_json_error(const char *what, const char *detail);

#endif
