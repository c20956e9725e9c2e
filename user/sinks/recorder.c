// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The recorder (sclens record, daemon --record): the sink that writes the
 * recording file (docs/tuning.md) from the kernel's record maps, for the
 * cgroups the pipeline decided to record (recording.c), with the denials
 * each saw and the first one's explanation. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "actions.h"
#include "array.h"
#include "cgroup.h"
#include "clock.h"
#include "event_fmt.h"
#include "files.h"
#include "names.h"
#include "observer.h"
#include "pipeline.h"
#include "recorder.h"
#include "recording.h"
#include "overflow.h"

/* One kind of denial of a recorded cgroup */
struct denial_kind {
	uint64_t cgroup_id;
	uint32_t arch, action;
	int32_t nr, err;
	uint64_t count;
	char *explanation; /* the first one's, as JSON: rendered once */
};

#define RECORDER_KINDS_PER_CGROUP 256
#define RECORDER_KINDS_MAX 16384

struct recorder {
	struct sink base;
	uint64_t kinds_lost; /* denials of a kind past the budgets */
	struct recording *rec;
	const char *output;
	struct denial_kind *denials;
	size_t n_denials, cap_denials;
	struct sbuf scratch;
	uint64_t started_ns; /* the events' clock */
	int err;
};

/* Denials of cgroups decided not to be recorded: never written */
static void forget_unrecorded(struct recorder *r)
{
	size_t j = 0;

	for (size_t i = 0; i < r->n_denials; i++) {
		const struct recorded_cgroup *sc = recording_find(r->rec, r->denials[i].cgroup_id);
		if (sc && !sc->recorded)
			free(r->denials[i].explanation);
		else
			r->denials[j++] = r->denials[i];
	}
	r->n_denials = j;
}

static void record_record(struct sink *s, const struct denial_record *d)
{
	struct recorder *r = (struct recorder *)s;
	const struct sclens_event *e = d->e;
	const struct recorded_cgroup *sc;

	if (e->type != SCLENS_EV_DENIAL)
		return;
	/* kept while its cgroup waits for a name, dropped if then unwanted */
	sc = recording_find(r->rec, e->cgroup_id);
	if (sc && !sc->recorded)
		return;
	size_t of_cgroup = 0;
	for (size_t i = 0; i < r->n_denials; i++) {
		struct denial_kind *k = &r->denials[i];
		if (k->cgroup_id != e->cgroup_id)
			continue;
		of_cgroup++;
		if (k->arch == e->arch && k->nr == e->nr && k->action == d->action && k->err == e->err) {
			k->count++;
			return;
		}
	}
	/* its tenant chooses numbers and errnos: a budget per cgroup, and
	 * one for all, what does not fit counted in the file's "lost" */
	if (of_cgroup >= RECORDER_KINDS_PER_CGROUP || r->n_denials >= RECORDER_KINDS_MAX ||
	    ARRAY_GROW(r->denials, r->cap_denials, r->n_denials, 32)) {
		r->kinds_lost++;
		overflow_count(OVERFLOW_RECORDER_KINDS);
		return;
	}
	char *x = NULL;
	if (d->explained) {
		sb_reset(&r->scratch);
		event_format_explanation(&r->scratch, d->explained);
		if (!r->scratch.oom)
			x = strdup(r->scratch.s);
	}
	r->denials[r->n_denials++] = (struct denial_kind){
		.cgroup_id = e->cgroup_id, .arch = e->arch, .action = d->action, .nr = e->nr, .err = e->err,
		.count = 1, .explanation = x,
	};
}

/* Denials counted in the kernel and never sent: in their kind's count
 * (the kind as the kernel saw it, else the same call and errno) */
static void record_repeat(struct sink *s, const struct repeat_record *rr)
{
	struct recorder *r = (struct recorder *)s;
	const struct sclens_count_key *key = rr->key;
	struct denial_kind *near = NULL;

	for (size_t i = 0; i < r->n_denials; i++) {
		struct denial_kind *k = &r->denials[i];
		if (k->cgroup_id != key->cgroup_id || k->arch != key->arch || k->nr != key->nr || k->err != key->err)
			continue;
		if (k->action == key->action) {
			k->count += rr->count;
			return;
		}
		near = near ? near : k;
	}
	if (near)
		near->count += rr->count;
}

struct write_ctx {
	struct recorder *r;
	struct jw *w;
	uint64_t cgroup_id;
	bool any;
};

static int write_call(const struct sclens_rec_key *k, uint64_t n, void *arg)
{
	struct write_ctx *c = arg;
	const char *name = syscall_name(k->arch, k->nr);

	if (k->cgroup_id != c->cgroup_id)
		return 0;
	jw_obj_begin(c->w);
	jw_kv_str(c->w, "arch", arch_name(k->arch, k->nr));
	jw_kv_str(c->w, "syscall", name);
	jw_kv_i64(c->w, "nr", syscall_nr_clean(k->arch, k->nr));
	/* made with the container's filter in force, or before it was loaded
	 * (the runtime setting the container up: no profile's business) */
	jw_kv_bool(c->w, "filtered", k->filtered);
	jw_kv_u64(c->w, "count", n);
	jw_obj_end(c->w);
	return 0;
}

static int write_arg(const struct sclens_rec_arg_key *k, uint64_t n, void *arg)
{
	struct write_ctx *c = arg;

	if (k->cgroup_id != c->cgroup_id)
		return 0;
	jw_obj_begin(c->w);
	jw_kv_str(c->w, "arch", arch_name(k->arch, k->nr));
	jw_kv_str(c->w, "syscall", syscall_name(k->arch, k->nr));
	jw_kv_u64(c->w, "arg", k->arg);
	jw_kv_u64(c->w, "value", k->value);
	jw_kv_bool(c->w, "filtered", k->filtered);
	jw_kv_u64(c->w, "count", n);
	jw_obj_end(c->w);
	return 0;
}


static void str_array(struct jw *w, const char *key, const struct str_list *l)
{
	jw_key(w, key);
	jw_arr_begin(w);
	for (int i = 0; i < l->n; i++)
		jw_str(w, l->v[i]);
	jw_arr_end(w);
}

/* The recording, written before the observer closes (its maps hold it) */
static void recorder_write(struct recorder *r, struct observer *obs)
{
	const struct watch_opts *sel = recording_selection(r->rec);
	const struct recorded_cgroup *sc;
	struct observer_counts oc = {};
	char when[64];
	struct sbuf b;
	struct jw w;

	observer_counts(obs, &oc);
	sb_init(&b);
	jw_init(&w, &b);
	jw_obj_begin(&w);
	jw_kv_str(&w, "kind", "sclens-recording");
	jw_kv_i64(&w, "version", 1);
	jw_kv_str(&w, "node", node_name());
	event_time_rfc3339(r->started_ns, when, sizeof(when));
	jw_kv_str(&w, "started", when);
	event_time_rfc3339(event_clock_now_ns(), when, sizeof(when));
	jw_kv_str(&w, "ended", when);
	jw_kv_str(&w, "method", oc.method);
	jw_key(&w, "selection");
	jw_obj_begin(&w);
	str_array(&w, "containers", &sel->containers);
	str_array(&w, "pods", &sel->pods);
	str_array(&w, "images", &sel->images);
	str_array(&w, "namespaces", &sel->namespaces);
	jw_kv_bool(&w, "host_only", sel->host_only);
	jw_kv_str_opt(&w, "cgroup", sel->cgroup_path);
	jw_kv_bool(&w, "ioctl", sel->filters.record_ioctl);
	jw_obj_end(&w);
	/* what the kernel maps could not hold: never lost silently */
	jw_key(&w, "lost");
	jw_obj_begin(&w);
	jw_kv_u64(&w, "calls", oc.record_overflow);
	jw_kv_u64(&w, "arg_values", oc.record_args_overflow);
	jw_kv_u64(&w, "denial_events", oc.lost);
	jw_kv_u64(&w, "denial_kinds", r->kinds_lost);
	jw_obj_end(&w);
	jw_key(&w, "recorded");
	jw_arr_begin(&w);
	for (size_t i = 0; (sc = recording_at(r->rec, i)); i++) {
		if (!sc->recorded)
			continue;
		const char *path = cgroup_path_of_id(sc->id);
		struct write_ctx c = { .r = r, .w = &w, .cgroup_id = sc->id };
		jw_obj_begin(&w);
		jw_kv_u64(&w, "cgroup_id", sc->id);
		jw_kv_str_opt(&w, "cgroup", path);
		if (sc->who)
			jw_raw_members(&w, sc->who, strlen(sc->who));
		/* started while recording: recorded from its first instruction */
		jw_kv_bool(&w, "from_start", sc->from_start);
		jw_key(&w, "calls");
		jw_arr_begin(&w);
		observer_record_counts(obs, write_call, &c);
		jw_arr_end(&w);
		jw_key(&w, "args");
		jw_arr_begin(&w);
		observer_record_args(obs, write_arg, &c);
		jw_arr_end(&w);
		jw_key(&w, "denials");
		jw_arr_begin(&w);
		for (size_t j = 0; j < r->n_denials; j++) {
			struct denial_kind *k = &r->denials[j];
			if (k->cgroup_id != sc->id)
				continue;
			jw_obj_begin(&w);
			jw_kv_str(&w, "arch", arch_name(k->arch, k->nr));
			jw_kv_str(&w, "syscall", syscall_name(k->arch, k->nr));
			jw_kv_str(&w, "action", action_name(k->action));
			if (k->action == SCLENS_ACT_ERRNO || k->action == SCLENS_ACT_USER_NOTIF)
				jw_kv_i64(&w, "errno", k->err);
			jw_kv_u64(&w, "count", k->count);
			if (k->explanation) {
				jw_key(&w, "explanation");
				jw_raw(&w, k->explanation);
			}
			jw_obj_end(&w);
		}
		jw_arr_end(&w);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	sb_putc(&b, '\n');
	if (b.oom) {
		r->err = -ENOMEM;
	} else if (r->output) {
		/* whole or not at all: a SIGHUP snapshot read while written, or a
		 * full disk, never leaves half a recording */
		r->err = file_write_atomic(r->output, b.s, b.len);
	} else {
		fwrite(b.s, 1, b.len, stdout);
	}
	sb_free(&b);
	if (r->err)
		fprintf(stderr, "sclens: cannot write the recording to %s: %s\n", r->output, strerror(-r->err));
	else
		fprintf(stderr, "sclens: recording written%s%s\n", r->output ? " to " : "", r->output ? r->output : "");
}

static int record_started(struct sink *s, struct observer *obs)
{
	((struct recorder *)s)->started_ns = event_clock_now_ns();
	return 0;
}

static void record_tick(struct sink *s, struct observer *obs, uint64_t now_ns, bool final)
{
	forget_unrecorded((struct recorder *)s);
}

/* SIGHUP: the recording so far, for a long-running recorder */
static int record_reopen(struct sink *s, struct observer *obs)
{
	recorder_write((struct recorder *)s, obs);
	return ((struct recorder *)s)->err;
}

/* The last write, while the kernel's maps still hold the counts */
static void record_stopping(struct sink *s, struct observer *obs, const char *error)
{
	recorder_write((struct recorder *)s, obs);
}

static bool record_keeps(struct sink *s, uint64_t id)
{
	const struct recorded_cgroup *sc = recording_find(((struct recorder *)s)->rec, id);

	return sc && sc->recorded; /* its container is named in the file */
}

static int record_error(struct sink *s)
{
	return ((struct recorder *)s)->err;
}

struct sink *recorder_new(struct recording *rec, const char *output)
{
	struct recorder *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->rec = rec;
	r->output = output;
	sb_init(&r->scratch);
	r->base = (struct sink){ .name = "recording", .started = record_started, .record = record_record,
				 .repeat = record_repeat,
				 .tick = record_tick, .reopen = record_reopen, .stopping = record_stopping,
				 .keeps = record_keeps, .error = record_error };
	return &r->base;
}

void recorder_free(struct sink *s)
{
	struct recorder *r = (struct recorder *)s;

	if (!r)
		return;
	for (size_t i = 0; i < r->n_denials; i++)
		free(r->denials[i].explanation);
	free(r->denials);
	sb_free(&r->scratch);
	free(r);
}

/* Checks the output can be written before recording for minutes */
int recorder_check_output(const char *path)
{
	int err = file_check_writable(path);

	if (err)
		fprintf(stderr, "sclens: cannot write %s: %s\n", path, strerror(-err));
	return err;
}
