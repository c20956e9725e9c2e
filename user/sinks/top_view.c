// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* sclens top's view (top.h). The counts are the kernel's, exact whatever
 * the event stream lost; the records only say what each container called
 * last and the fix for it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "array.h"
#include "cgroup.h"
#include "clock.h"
#include "containers.h"
#include "fix.h"
#include "names.h"
#include "observer.h"
#include "actions.h"
#include "sink.h"
#include "status.h"
#include "text.h"
#include "top_view.h"

/* The cgroups shown: a bound, since tenants make cgroups; the rest summed */
#define TOP_CGROUPS_MAX 4096

struct top_row {
	uint64_t cgroup_id;
	char *label;	  /* the container (engine), or the host cgroup's path */
	char last[128];	  /* the last call seen: "clock_settime errno EPERM" */
	char *fix;	  /* for it, in the engine's words */
	uint64_t total;	  /* the kernel's count at the last refresh */
	uint64_t prev;	  /* at the refresh before */
	double rate;	  /* per second, between them */
	bool counted;	  /* in the kernel's counts at the last refresh */
};

struct top_sink {
	struct sink base;
	struct top_opts o;
	struct top_row *rows;
	size_t n, cap;
	uint64_t last_refresh_ns;
	long refreshes;
	uint64_t not_shown; /* denials of cgroups past TOP_CGROUPS_MAX */
};

static struct top_row *row_of(struct top_sink *t, uint64_t id, bool make)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->rows[i].cgroup_id == id)
			return &t->rows[i];
	if (!make || t->n >= TOP_CGROUPS_MAX || ARRAY_GROW(t->rows, t->cap, t->n, 64))
		return NULL;
	t->rows[t->n] = (struct top_row){ .cgroup_id = id };
	return &t->rows[t->n++];
}

static char *label_of(const struct container *c, const char *where, uint64_t id)
{
	char buf[512];
	const char *path;

	if (c && c->runtime && c->pod) {
		snprintf(buf, sizeof(buf), "%s/%s/%s (%s)", c->namespace ? c->namespace : "?", c->pod,
			 c->container_name ? c->container_name : c->name ? c->name : "?", c->runtime);
	} else if (c && c->runtime) {
		snprintf(buf, sizeof(buf), "%s (%s)", c->name ? c->name : c->id ? c->id : "?", c->runtime);
	} else if ((path = cgroup_path_of_id(id))) {
		/* a host cgroup by its path: its unit's or its tenant's own name */
		snprintf(buf, sizeof(buf), "host %s", path);
	} else if (where) {
		snprintf(buf, sizeof(buf), "%s", where);
	} else {
		snprintf(buf, sizeof(buf), "cgroup %llu (gone)", (unsigned long long)id);
	}
	return strdup(buf);
}

static void top_record(struct sink *s, const struct denial_record *r)
{
	struct top_sink *t = (struct top_sink *)s;
	const struct sclens_event *e = r->e;

	if (e->type != SCLENS_EV_DENIAL)
		return;
	struct top_row *row = row_of(t, e->cgroup_id, true);
	if (!row)
		return;
	if (!row->label)
		row->label = label_of(r->container, r->where, e->cgroup_id);
	const char *name = syscall_name(e->arch, e->nr);
	const char *en = r->action == SCLENS_ACT_ERRNO ? errno_name(e->err) : NULL;
	snprintf(row->last, sizeof(row->last), "%s %s%s%s", name ? name : "?", action_name(r->action), en ? " " : "",
		 en ? en : "");
	if (r->explained && r->explained->x) {
		char fix[512];
		explanation_fix_command(r->explained->x, fix, sizeof(fix));
		free(row->fix);
		row->fix = fix[0] ? strdup(fix) : NULL;
	}
}

static int add_count(const struct sclens_count_key *k, uint64_t n, void *arg)
{
	struct top_sink *t = arg;
	struct top_row *row = row_of(t, k->cgroup_id, true);

	if (!row) {
		t->not_shown += n;
		return 0;
	}
	if (!row->counted) {
		row->counted = true;
		row->total = 0;
	}
	row->total += n;
	return 0;
}

static int cmp_rows(const void *a, const void *b)
{
	const struct top_row *x = a, *y = b;

	if (x->rate != y->rate)
		return x->rate < y->rate ? 1 : -1;
	if (x->total != y->total)
		return x->total < y->total ? 1 : -1;
	return x->cgroup_id < y->cgroup_id ? -1 : x->cgroup_id > y->cgroup_id;
}

/* one line, cut at the width (untrusted parts escaped) */
static void put_line(struct top_sink *t, struct sbuf *line)
{
	size_t len = line->len;

	while (len && line->s[len - 1] == ' ')
		len--;
	if (t->o.width > 0 && len > (size_t)t->o.width)
		len = t->o.width;
	fwrite(line->s ? line->s : "", 1, len, t->o.out);
	fputs(t->o.screen ? "\033[K\n" : "\n", t->o.out);
	sb_reset(line);
}

static void render(struct top_sink *t, struct observer *obs)
{
	struct observer_counts c = {};
	struct sbuf line;
	uint64_t total = 0;
	double rate = 0;
	size_t denied = 0;
	char now[40];
	time_t wall = time(NULL);
	struct tm tm;

	observer_counts(obs, &c);
	for (size_t i = 0; i < t->n; i++) {
		total += t->rows[i].total;
		rate += t->rows[i].rate;
		denied += t->rows[i].total > 0;
	}
	localtime_r(&wall, &tm);
	strftime(now, sizeof(now), "%H:%M:%S", &tm);
	sb_init(&line);
	if (t->o.screen)
		fputs("\033[H", t->o.out);
	sb_printf(&line, "sclens top - %s - %zu cgroup%s denied, %llu denials (%.1f/s); method %s; events lost %llu",
		  now, denied, denied == 1 ? "" : "s", (unsigned long long)total, rate, c.method ? c.method : "?",
		  (unsigned long long)c.lost);
	if (t->not_shown)
		sb_printf(&line, "; %llu in cgroups past %d not shown", (unsigned long long)t->not_shown, TOP_CGROUPS_MAX);
	if (t->o.screen)
		sb_puts(&line, "; q quits");
	put_line(t, &line);
	sb_printf(&line, "%10s %8s  %-32s %-30s %s", "DENIALS", "RATE/s", "CONTAINER", "LAST CALL", "FIX");
	put_line(t, &line);
	int shown = 2;
	for (size_t i = 0; i < t->n; i++) {
		const struct top_row *r = &t->rows[i];
		if (!r->total)
			continue;
		if (t->o.rows > 0 && shown >= t->o.rows - 1)
			break;
		sb_printf(&line, "%10llu %8.1f  ", (unsigned long long)r->total, r->rate);
		size_t at = line.len;
		sb_put_esc(&line, r->label ? r->label : "?");
		while (line.len < at + 32)
			sb_putc(&line, ' ');
		sb_putc(&line, ' ');
		at = line.len;
		sb_put_esc(&line, r->last[0] ? r->last : "(no event: paced or lost)");
		while (line.len < at + 30)
			sb_putc(&line, ' ');
		sb_putc(&line, ' ');
		sb_put_esc(&line, r->fix ? r->fix : "");
		put_line(t, &line);
		shown++;
	}
	if (t->o.screen)
		fputs("\033[J", t->o.out); /* what the last frame had below */
	else
		fputc('\n', t->o.out);
	fflush(t->o.out);
	sb_free(&line);
}

static void top_tick(struct sink *s, struct observer *obs, uint64_t now_ns, bool final)
{
	struct top_sink *t = (struct top_sink *)s;

	if (final || (t->last_refresh_ns && now_ns - t->last_refresh_ns < t->o.interval_s * 1e9))
		return;
	double dt = t->last_refresh_ns ? (now_ns - t->last_refresh_ns) / 1e9 : 0;
	t->last_refresh_ns = now_ns;
	for (size_t i = 0; i < t->n; i++) {
		t->rows[i].prev = t->rows[i].total;
		t->rows[i].counted = false;
	}
	t->not_shown = 0;
	observer_denial_counts(obs, add_count, t);
	for (size_t i = 0; i < t->n; i++) {
		struct top_row *r = &t->rows[i];
		if (!r->counted)
			r->total = 0; /* its counts were forgotten (its cgroup gone) */
		if (!r->label)
			r->label = label_of(NULL, NULL, r->cgroup_id);
		r->rate = dt > 0 && r->total >= r->prev ? (r->total - r->prev) / dt : 0;
	}
	if (t->n) /* rows is NULL before the first denial */
		qsort(t->rows, t->n, sizeof(*t->rows), cmp_rows);
	render(t, obs);
	if (t->o.iterations && ++t->refreshes >= t->o.iterations)
		sclens_exiting = 1;
	else if (!t->o.iterations)
		t->refreshes++;
}

static int top_started(struct sink *s, struct observer *obs)
{
	struct top_sink *t = (struct top_sink *)s;

	if (t->o.screen)
		fputs("\033[?1049h\033[H\033[2J", t->o.out); /* the alternate screen, as top uses */
	return 0;
}

static void top_stopping(struct sink *s, struct observer *obs, const char *error)
{
	struct top_sink *t = (struct top_sink *)s;

	if (t->o.screen) {
		fputs("\033[?1049l", t->o.out);
		fflush(t->o.out);
	}
}

struct sink *top_sink_new(const struct top_opts *o)
{
	struct top_sink *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->o = *o;
	t->base = (struct sink){ .name = "top", .started = top_started, .record = top_record, .tick = top_tick,
				 .stopping = top_stopping };
	return &t->base;
}

long top_sink_refreshes(const struct sink *s)
{
	return ((const struct top_sink *)s)->refreshes;
}

void top_sink_free(struct sink *s)
{
	struct top_sink *t = (struct top_sink *)s;

	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		free(t->rows[i].label);
		free(t->rows[i].fix);
	}
	free(t->rows);
	free(t);
}
