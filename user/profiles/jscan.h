/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* A small scanner over JSON text that cJSON already accepted, for what
 * cJSON drops: the line of each value and the exact text of numbers
 * (cJSON keeps doubles, which cannot hold every 64-bit value). */
#ifndef SCLENS_JSCAN_H
#define SCLENS_JSCAN_H

#include <stddef.h>

#define JSCAN_MAX_DEPTH 64

/* One step of a path: a key of an object, or an index of an array. */
struct jscan_step {
	const char *key; /* NULL for array elements; not NUL-terminated */
	size_t key_len;
	int index;
};

struct jscan_value {
	const struct jscan_step *path; /* path[0..depth-1] leads to the value */
	int depth;
	int line;	 /* 1-based */
	char kind;	 /* '{', '[', '"', 'n' (number), 'l' (literal) */
	const char *raw; /* the value's text (numbers, literals, strings with quotes) */
	size_t raw_len;
};

/* Calls fn for every value, in document order; values deeper than
 * JSCAN_MAX_DEPTH are skipped but scanned over. Returns 0, or -EINVAL if
 * the text is not JSON after all. */
int jscan(const char *text, size_t len, void (*fn)(const struct jscan_value *v, void *arg), void *arg);

/* Does step i of v's path name key? */
int jscan_key_is(const struct jscan_value *v, int i, const char *key);

/* Line and column (1-based) of a byte offset */
void jscan_line_col(const char *text, size_t off, int *line, int *col);

#endif
