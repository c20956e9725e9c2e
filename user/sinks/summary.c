// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The closing summary of watch and daemon: what was reported, and the
 * kernel's exact per-call counts of what was selected (whatever the ring
 * buffer lost), read at the end. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "actions.h"
#include "cgroup.h"
#include "containers.h"
#include "names.h"
#include "observer.h"
#include "pipeline.h"
#include "report.h"
#include "summary.h"
#include "text.h"

struct summary_sink {
	struct sink base;
	const struct watch_opts *o;
	uint64_t printed; /* denials and would-denies the pipeline handed on */
};

struct count_row {
	struct sclens_count_key k;
	uint64_t n;
};

struct count_rows {
	const struct watch_opts *opts;
	struct count_row *v;
	int n, cap;
};

/* Only what the user selected: containers (by cgroup) and syscalls; -p and
 * -c cannot apply to per-cgroup counts */
static int keep_count(const struct sclens_count_key *k, uint64_t n, void *arg)
{
	struct count_rows *r = arg;
	const struct container *c = container_lookup(k->cgroup_id, cgroup_path_of_id(k->cgroup_id), NULL);

	if (!watch_cgroup_wanted(r->opts, k->cgroup_id, c))
		return 0;
	if (r->opts->syscalls.n && !syscall_set_has(&r->opts->syscalls, syscall_name(k->arch, k->nr)))
		return 0;
	if (r->n == r->cap) {
		int cap = r->cap ? r->cap * 2 : 64;
		struct count_row *v = realloc(r->v, cap * sizeof(*v));
		if (!v)
			return -1;
		r->v = v;
		r->cap = cap;
	}
	r->v[r->n++] = (struct count_row){ *k, n };
	return 0;
}

static int cmp_count_desc(const void *a, const void *b)
{
	const struct count_row *x = a, *y = b;
	return x->n < y->n ? 1 : x->n > y->n ? -1 : 0;
}

static void count_row_json(struct jw *w, void *arg)
{
	struct count_rows *r = arg;

	jw_key(w, "counts");
	jw_arr_begin(w);
	for (int i = 0; i < r->n; i++) {
		const struct sclens_count_key *k = &r->v[i].k;
		const struct container *c = container_lookup(k->cgroup_id, cgroup_path_of_id(k->cgroup_id), NULL);
		jw_obj_begin(w);
		jw_kv_u64(w, "cgroup_id", k->cgroup_id);
		container_json(w, c);
		jw_kv_str(w, "arch", arch_name(k->arch, k->nr));
		jw_kv_str(w, "syscall", count_syscall_name(k->arch, k->nr));
		jw_kv_str(w, "action", action_name(k->action));
		if (k->action == SCLENS_ACT_ERRNO || k->action == SCLENS_ACT_USER_NOTIF) {
			jw_kv_i64(w, "errno", k->err);
			jw_kv_str(w, "errno_name", errno_name(k->err));
		}
		jw_kv_u64(w, "count", r->v[i].n);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

/* out_err: the output's write error, 0 when it works */
static void print_summary(struct summary_sink *w, struct observer *obs, const char *error, int out_err)
{
	struct observer_counts c = {};
	int err = observer_counts(obs, &c);

	if (err)
		fprintf(stderr, "sclens: cannot read the kernel's counters: %s\n", strerror(-err));
	if (out_err) {
		if (out_err == -EPIPE)
			return; /* the reader left: nothing more to say */
		fprintf(stderr, "sclens: stopped because the output could not be written; %llu denials seen "
				"in the kernel (before filters), %llu events lost\n",
			(unsigned long long)c.denials, (unsigned long long)c.lost);
		return;
	}
	struct count_rows rows = { .opts = w->o };
	if (observer_denial_counts(obs, keep_count, &rows) < 0)
		fprintf(stderr, "sclens: cannot read the kernel's per-call counts\n");
	if (rows.n) /* qsort takes no NULL, even for nothing */
		qsort(rows.v, rows.n, sizeof(*rows.v), cmp_count_desc);
	if (w->o->json) {
		print_summary_json(w->printed, &c, error, -1, count_row_json, &rows);
	} else {
		/* exact, whatever the ring buffer lost */
		for (int i = 0; i < rows.n && i < 10; i++) {
			const struct sclens_count_key *k = &rows.v[i].k;
			const struct container *ct = container_lookup(k->cgroup_id, cgroup_path_of_id(k->cgroup_id), NULL);
			struct sbuf where;
			const char *sc = count_syscall_name(k->arch, k->nr);
			sb_init(&where);
			container_label(&where, ct);
			fprintf(stderr, "sclens: counted in the kernel: %8llu  %s %s", (unsigned long long)rows.v[i].n,
				sc ? sc : "?", action_name(k->action));
			if (k->action == SCLENS_ACT_ERRNO && errno_name(k->err))
				fprintf(stderr, " %s", errno_name(k->err));
			struct sbuf esc;
			sb_init(&esc);
			sb_put_esc(&esc, where.s ? where.s : "");
			fprintf(stderr, "  in %s\n", esc.s ? esc.s : "");
			sb_free(&esc);
			sb_free(&where);
		}
		if (rows.n > 10)
			fprintf(stderr, "sclens: counted in the kernel: %d more (--json lists them all)\n", rows.n - 10);
		if (c.count_overflow)
			fprintf(stderr, "sclens: warning: %llu denials were not counted per call: the kernel's map "
					"(%d entries) was full\n", (unsigned long long)c.count_overflow, SCLENS_COUNT_ENTRIES);
		fprintf(stderr, "sclens: %llu denials reported, %llu seen in the kernel (before filters), "
				"%llu events lost\n",
			(unsigned long long)w->printed, (unsigned long long)c.denials,
			(unsigned long long)c.lost);
		if (c.suppressed)
			fprintf(stderr, "sclens: %llu events were not sent: their cgroup's storm was over its event rate "
					"(--rate-limit); every one is in the counts above\n", (unsigned long long)c.suppressed);
		if (c.eval_failed)
			fprintf(stderr, "sclens: note: %llu calls were judged from their return value alone: the "
					"kernel kept no program of their filter\n", (unsigned long long)c.eval_failed);
		/* someone watched a process for a reason: say what no denial means */
		if (!w->printed && (w->o->pids.n || w->o->comms.n || watch_container_filtering(w->o)))
			fprintf(stderr, "sclens: note: no seccomp denial was seen for what you selected: if it got "
					"EPERM or EACCES, the error came from elsewhere (a missing capability, an LSM "
					"such as AppArmor or SELinux, file permissions); strace -f shows which call\n");
	}
	free(rows.v);
}

static void summary_record(struct sink *s, const struct denial_record *r)
{
	if (r->e->type == SCLENS_EV_DENIAL || r->e->type == SCLENS_EV_WOULD_DENY)
		((struct summary_sink *)s)->printed++;
}

static void summary_stopping(struct sink *s, struct observer *obs, const char *error)
{
	struct summary_sink *w = (struct summary_sink *)s;
	int out_err = output_failed(stdout, "the events");

	print_summary(w, obs, out_err ? NULL : error, out_err);
	output_failed(stdout, "the summary");
}

static int summary_error(struct sink *s)
{
	int err = output_failed(stdout, "the summary");

	return err == -EPIPE ? 0 : err; /* a reader that left is no failure */
}

struct sink *summary_sink_new(const struct watch_opts *o)
{
	struct summary_sink *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->o = o;
	w->base = (struct sink){ .name = "summary", .record = summary_record, .stopping = summary_stopping,
				 .error = summary_error };
	return &w->base;
}

void summary_sink_free(struct sink *s)
{
	free(s);
}
