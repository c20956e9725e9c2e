/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Safe text out of untrusted bytes (command names, paths, JSON values). */
#ifndef SCLENS_TEXT_H
#define SCLENS_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Growable string buffer; on allocation failure it stays truncated and
 * sets .oom, so printers never need to check every append. */
struct sbuf {
	char *s;
	size_t len, cap;
	int oom;
};

void sb_init(struct sbuf *b);
void sb_free(struct sbuf *b);
void sb_reset(struct sbuf *b);
int sb_grow_slow(struct sbuf *b, size_t extra);
/* the hot path of every append: room is nearly always there */
static inline int sb_grow(struct sbuf *b, size_t extra)
{
	if (__builtin_expect(b->len + extra + 1 <= b->cap, 1))
		return 0;
	return sb_grow_slow(b, extra);
}

static inline void sb_putc(struct sbuf *b, char c)
{
	if (sb_grow(b, 1))
		return;
	b->s[b->len++] = c;
	b->s[b->len] = 0;
}
/* n bytes as they are */
static inline void sb_putn(struct sbuf *b, const char *s, size_t n)
{
	if (sb_grow(b, n))
		return;
	__builtin_memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}
void sb_puts(struct sbuf *b, const char *s);
void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* decimal, without printf: the hot path of JSON output */
void sb_put_u64(struct sbuf *b, uint64_t v);

/* Appends bytes (stopping at NUL or n) so that no control character and
 * no invalid byte reaches a terminal: printable ASCII stays, backslash
 * becomes "\\", the rest "\xNN". */
void sb_put_escaped(struct sbuf *b, const char *s, size_t n);
/* sb_put_escaped of a whole string (NULL appends nothing) */
void sb_put_esc(struct sbuf *b, const char *s);
/* sb_put_esc of s, wrapped at spaces so that no line passes width
 * columns: the first line goes on from column col (where the buffer's
 * line is now), the next ones start with indent spaces. A word longer
 * than a line stays whole. */
void sb_put_wrapped(struct sbuf *b, const char *s, int col, int indent, int width);
/* The width plain output wraps at: the terminal's (TIOCGWINSZ) when
 * stdout is one, else $COLUMNS when set; 0 (no wrapping: lines stay
 * whole for grep and logs) otherwise. sb_put_wrapped takes 0 as that. */
int output_width(void);
/* Appends text with every line longer than width wrapped at spaces: a
 * line's continuation is indented under its text (past a leading "label:"
 * of an indented line, else by 4). width 0: text as it is. */
void sb_put_lines_wrapped(struct sbuf *b, const char *text, size_t len, int width);
/* Appends a JSON string literal (with quotes). Bytes >= 0x80 that do not
 * form valid UTF-8 become "\u00NN" so the output is always valid JSON. */
void sb_put_json_str(struct sbuf *b, const char *s, size_t n);

/* Flushes f and says whether anything written to it was lost (a full
 * disk, a closed descriptor): the error is printed once, on stderr, as
 * "sclens: writing WHAT failed: ...". A closed pipe is not reported: the
 * reader left, and SIGPIPE (or EPIPE) ends sclens quietly, as filters do.
 * Returns 0, or the negative errno. */
int output_failed(FILE *f, const char *what);

/* Colour on a terminal only: --color=auto (the default: stdout is a
 * terminal and NO_COLOR is unset), always, never. */
extern int sclens_color;
int color_mode_set(const char *mode); /* -EINVAL for another word */
/* ANSI sequences, or "" when colour is off */
const char *color_on(const char *seq); /* seq: "31" red, "32" green, "1" bold */
const char *color_off(void);

/* Parses a whole unsigned number (decimal, 0x hex, 0 octal); -EINVAL if
 * anything else is in the string, -ERANGE if it does not fit. */
int parse_u64(const char *s, uint64_t *out);
int parse_int(const char *s, long min, long max, long *out);
/* "N=VALUE" of --arg: sets args[N] (N from 0 to 5); -EINVAL or -ERANGE */
int parse_syscall_arg(const char *s, uint64_t args[6]);

/* Length of the valid UTF-8 sequence (2 to 4 bytes) at s, reading at most
 * n bytes; 0 if s does not start one (ASCII included). */
size_t utf8_len(const unsigned char *s, size_t n);

#endif
