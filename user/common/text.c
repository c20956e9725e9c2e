// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>
#include "text.h"

void sb_init(struct sbuf *b)
{
	memset(b, 0, sizeof(*b));
}

void sb_free(struct sbuf *b)
{
	free(b->s);
	sb_init(b);
}

void sb_reset(struct sbuf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = 0;
}

int sb_grow_slow(struct sbuf *b, size_t extra)
{
	size_t want = b->len + extra + 1;
	char *n;

	if (b->oom)
		return -1;
	if (want <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < want)
		cap *= 2;
	n = realloc(b->s, cap);
	if (!n) {
		b->oom = 1;
		return -1;
	}
	b->s = n;
	b->cap = cap;
	return 0;
}

void sb_puts(struct sbuf *b, const char *s)
{
	size_t n = strlen(s);

	if (sb_grow(b, n))
		return;
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
}

void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	/* one pass when it fits, which is nearly always */
	if (sb_grow(b, 64))
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= b->cap - b->len) {
		if (sb_grow(b, n))
			return;
		va_start(ap, fmt);
		vsnprintf(b->s + b->len, n + 1, fmt, ap);
		va_end(ap);
	}
	b->len += n;
}

void sb_put_u64(struct sbuf *b, uint64_t v)
{
	char tmp[24];
	int i = sizeof(tmp);

	/* two digits a division: half the divisions of one at a time */
	static const char pairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
				    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
				    "8081828384858687888990919293949596979899";
	while (v >= 100) {
		unsigned d = (v % 100) * 2;
		v /= 100;
		tmp[--i] = pairs[d + 1];
		tmp[--i] = pairs[d];
	}
	if (v >= 10) {
		tmp[--i] = pairs[v * 2 + 1];
		tmp[--i] = pairs[v * 2];
	} else {
		tmp[--i] = '0' + v;
	}
	if (sb_grow(b, sizeof(tmp) - i))
		return;
	memcpy(b->s + b->len, tmp + i, sizeof(tmp) - i);
	b->len += sizeof(tmp) - i;
	b->s[b->len] = 0;
}

void sb_put_escaped(struct sbuf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n && s[i]; i++) {
		unsigned char c = s[i];

		if (c == '\\')
			sb_puts(b, "\\\\");
		else if (c >= 0x20 && c < 0x7f)
			sb_putc(b, c);
		else
			sb_printf(b, "\\x%02x", c);
	}
}

/* Length of a valid UTF-8 sequence at s (max n bytes), 0 if invalid. */
size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	uint32_t cp;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	len = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	if (len > n)
		return 0;
	cp = s[0] & (0x7f >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* Plain printable ASCII that JSON takes as it is */
static inline bool json_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

void sb_put_json_str(struct sbuf *b, const char *s, size_t n)
{
	size_t end = 0;

	while (end < n && s[end])
		end++;
	sb_putc(b, '"');
	for (size_t i = 0; i < end;) {
		/* runs of plain characters in one copy: the common case */
		size_t run = i;
		while (run < end && json_plain((unsigned char)s[run]))
			run++;
		if (run > i) {
			if (sb_grow(b, run - i))
				return;
			memcpy(b->s + b->len, s + i, run - i);
			b->len += run - i;
			b->s[b->len] = 0;
			i = run;
			continue;
		}
		unsigned char c = s[i];
		size_t u;

		switch (c) {
		case '"': sb_puts(b, "\\\""); i++; continue;
		case '\\': sb_puts(b, "\\\\"); i++; continue;
		case '\n': sb_puts(b, "\\n"); i++; continue;
		case '\t': sb_puts(b, "\\t"); i++; continue;
		case '\r': sb_puts(b, "\\r"); i++; continue;
		}
		if (c < 0x20 || c == 0x7f) {
			sb_printf(b, "\\u%04x", c);
			i++;
		} else if ((u = utf8_len((const unsigned char *)s + i, end - i))) {
			if (sb_grow(b, u))
				return;
			memcpy(b->s + b->len, s + i, u);
			b->len += u;
			b->s[b->len] = 0;
			i += u;
		} else {
			sb_printf(b, "\\u%04x", c);
			i++;
		}
	}
	sb_putc(b, '"');
}

int parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno == ERANGE)
		return -ERANGE;
	if (*end || end == s)
		return -EINVAL;
	*out = v;
	return 0;
}

int parse_int(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (!s || !*s)
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 0);
	if (errno == ERANGE)
		return -ERANGE;
	if (*end || end == s)
		return -EINVAL;
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int parse_syscall_arg(const char *s, uint64_t args[6])
{
	const char *eq = strchr(s, '=');
	char idx_text[8];
	long idx;

	if (!eq || eq == s || eq - s >= (long)sizeof(idx_text))
		return -EINVAL;
	memcpy(idx_text, s, eq - s);
	idx_text[eq - s] = 0;
	if (parse_int(idx_text, 0, 5, &idx))
		return -ERANGE;
	return parse_u64(eq + 1, &args[idx]);
}

int sclens_color = -1; /* -1: auto, decided on first use */

int color_mode_set(const char *mode)
{
	if (!strcmp(mode, "auto"))
		sclens_color = -1;
	else if (!strcmp(mode, "always"))
		sclens_color = 1;
	else if (!strcmp(mode, "never"))
		sclens_color = 0;
	else
		return -EINVAL;
	return 0;
}

static bool color_enabled(void)
{
	if (sclens_color < 0) {
		const char *no = getenv("NO_COLOR");
		sclens_color = isatty(STDOUT_FILENO) && !(no && *no);
	}
	return sclens_color;
}

const char *color_on(const char *seq)
{
	static __thread char buf[16];

	if (!color_enabled())
		return "";
	snprintf(buf, sizeof(buf), "\033[%sm", seq);
	return buf;
}

const char *color_off(void)
{
	return color_enabled() ? "\033[0m" : "";
}

int output_failed(FILE *f, const char *what)
{
	static int reported;
	int err = 0, before = errno;

	/* right after a failed printf, errno still says why */
	errno = 0;
	if (fflush(f) == EOF)
		err = errno ? -errno : -EIO;
	else if (ferror(f))
		err = before ? -before : -EIO;
	if (err && err != -EPIPE && !reported) {
		reported = 1;
		fprintf(stderr, "sclens: writing %s failed: %s\n", what, strerror(-err));
	}
	return err;
}

void sb_put_esc(struct sbuf *b, const char *s)
{
	if (s)
		sb_put_escaped(b, s, strlen(s));
}

void sb_put_wrapped(struct sbuf *b, const char *s, int col, int indent, int width)
{
	struct sbuf esc;
	const char *p;
	bool first = true;

	sb_init(&esc);
	sb_put_esc(&esc, s);
	p = esc.s ? esc.s : "";
	while (*p == ' ')
		p++;
	while (*p) {
		const char *end = strchr(p, ' ');
		int len = end ? (int)(end - p) : (int)strlen(p);
		if (width > 0 && col > indent && col + !first + len > width) {
			sb_putc(b, '\n');
			for (col = 0; col < indent; col++)
				sb_putc(b, ' ');
		} else if (!first) {
			sb_putc(b, ' ');
			col++;
		}
		sb_printf(b, "%.*s", len, p);
		col += len;
		first = false;
		p += len;
		while (*p == ' ')
			p++;
	}
	sb_free(&esc);
}

int output_width(void)
{
	struct winsize ws;
	const char *env = getenv("COLUMNS");
	long v;

	if (isatty(STDOUT_FILENO) && !ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_col >= 40)
		return ws.ws_col;
	if (env && !parse_int(env, 40, 1000, &v))
		return (int)v;
	return 0;
}

/* Where a wrapped line's continuation starts: under the text after a
 * "label:" (letters and spaces, up to 16) and its spaces ("    why:  " ->
 * 10), else 4 past the line's own indent */
static int continuation(const char *line, size_t len)
{
	size_t i = 0, k;

	while (i < len && line[i] == ' ')
		i++;
	for (k = i; k < len && k < i + 16 && ((line[k] >= 'a' && line[k] <= 'z') || line[k] == ' '); k++)
		;
	if (k == i || k >= len || line[k] != ':' || k + 1 >= len || line[k + 1] != ' ')
		return (int)i + 4;
	for (k++; k < len && line[k] == ' '; k++)
		;
	return (int)k;
}

void sb_put_lines_wrapped(struct sbuf *b, const char *text, size_t len, int width)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		size_t n = (nl ? nl : end) - p;
		if (width <= 0 || (int)n <= width) {
			sb_printf(b, "%.*s", (int)n, p);
		} else {
			int indent = continuation(p, n), col = 0;
			const char *q = p, *stop = p + n;
			while (q < stop) {
				/* the spaces before a word (columns keep theirs), then the word */
				const char *gap = q;
				while (q < stop && *q == ' ')
					q++;
				const char *sp = memchr(q, ' ', stop - q);
				size_t w = (sp ? sp : stop) - q, g = q - gap;
				if (col > indent && col + (int)g + (int)w > width) {
					sb_printf(b, "\n%*s", indent, "");
					col = indent;
				} else {
					sb_printf(b, "%.*s", (int)g, gap);
					col += g;
				}
				sb_printf(b, "%.*s", (int)w, q);
				col += w;
				q += w;
			}
		}
		if (!nl)
			break;
		sb_putc(b, '\n');
		p = nl + 1;
	}
}
