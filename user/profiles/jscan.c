// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <string.h>
#include "jscan.h"

struct scanner {
	const char *s;
	size_t len, pos;
	int line;
	struct jscan_step path[JSCAN_MAX_DEPTH];
	void (*fn)(const struct jscan_value *, void *);
	void *arg;
};

static void skip_ws(struct scanner *sc)
{
	while (sc->pos < sc->len) {
		char c = sc->s[sc->pos];
		if (c == '\n')
			sc->line++;
		else if (c != ' ' && c != '\t' && c != '\r')
			break;
		sc->pos++;
	}
}

static int scan_string(struct scanner *sc)
{
	if (sc->pos >= sc->len || sc->s[sc->pos] != '"')
		return -EINVAL;
	for (sc->pos++; sc->pos < sc->len; sc->pos++) {
		char c = sc->s[sc->pos];
		if (c == '\\')
			sc->pos++;
		else if (c == '"') {
			sc->pos++;
			return 0;
		}
	}
	return -EINVAL;
}

static int scan_value(struct scanner *sc, int depth);

static void report(struct scanner *sc, int depth, int line, char kind, size_t start)
{
	struct jscan_value v = { sc->path, depth, line, kind, sc->s + start, sc->pos - start };

	if (depth <= JSCAN_MAX_DEPTH)
		sc->fn(&v, sc->arg);
}

static int scan_value(struct scanner *sc, int depth)
{
	size_t start;
	int line, err, i = 0;
	char c;

	skip_ws(sc);
	if (sc->pos >= sc->len)
		return -EINVAL;
	start = sc->pos;
	line = sc->line;
	c = sc->s[sc->pos];
	if (c == '{' || c == '[') {
		char close = c == '{' ? '}' : ']';
		/* report containers before their content, so callers see order */
		struct jscan_value v = { sc->path, depth, line, c, sc->s + start, 1 };
		if (depth <= JSCAN_MAX_DEPTH)
			sc->fn(&v, sc->arg);
		sc->pos++;
		skip_ws(sc);
		if (sc->pos < sc->len && sc->s[sc->pos] == close) {
			sc->pos++;
			return 0;
		}
		for (;; i++) {
			struct jscan_step step = { NULL, 0, i };
			skip_ws(sc);
			if (c == '{') {
				size_t ks = sc->pos;
				if ((err = scan_string(sc)))
					return err;
				step.key = sc->s + ks + 1;
				step.key_len = sc->pos - ks - 2;
				skip_ws(sc);
				if (sc->pos >= sc->len || sc->s[sc->pos] != ':')
					return -EINVAL;
				sc->pos++;
			}
			if (depth < JSCAN_MAX_DEPTH)
				sc->path[depth] = step;
			if ((err = scan_value(sc, depth + 1)))
				return err;
			skip_ws(sc);
			if (sc->pos >= sc->len)
				return -EINVAL;
			if (sc->s[sc->pos] == ',') {
				sc->pos++;
				continue;
			}
			if (sc->s[sc->pos] == close) {
				sc->pos++;
				return 0;
			}
			return -EINVAL;
		}
	}
	if (c == '"') {
		if ((err = scan_string(sc)))
			return err;
		report(sc, depth, line, '"', start);
		return 0;
	}
	while (sc->pos < sc->len && !strchr(" \t\r\n,]}", sc->s[sc->pos]))
		sc->pos++;
	if (sc->pos == start)
		return -EINVAL;
	report(sc, depth, line, (c == '-' || (c >= '0' && c <= '9')) ? 'n' : 'l', start);
	return 0;
}

int jscan(const char *text, size_t len, void (*fn)(const struct jscan_value *, void *), void *arg)
{
	struct scanner sc = { .s = text, .len = len, .line = 1, .fn = fn, .arg = arg };

	return scan_value(&sc, 0);
}

int jscan_key_is(const struct jscan_value *v, int i, const char *key)
{
	const struct jscan_step *s;

	if (i < 0 || i >= v->depth || i >= JSCAN_MAX_DEPTH)
		return 0;
	s = &v->path[i];
	return s->key && s->key_len == strlen(key) && !memcmp(s->key, key, s->key_len);
}

void jscan_line_col(const char *text, size_t off, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off && text[i]; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}
