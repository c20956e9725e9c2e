// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The pipeline (pipeline.h): its stages, and the loop of watch, daemon
 * and record. */
#define _GNU_SOURCE
#include <errno.h>
#include <ftw.h>
#include <malloc.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "actions.h"
#include "apply.h"
#include "cgroup.h"
#include "defaults.h"
#include "json_writer.h"
#include "names.h"
#include "pipeline.h"
#include "privileges.h"
#include "profile.h"
#include "recording.h"
#include "repeats.h"
#include "replay.h"
#include "status.h"
#include "text.h"

/* ---- the stages ---- */

struct pipeline {
	struct pipeline_stages st;
	struct observer *obs;
	struct replay *replay;
	struct explainer *explainer;
	struct repeats *repeats;
	struct sink *sinks[PIPELINE_MAX_SINKS];
	int n_sinks;
	uint64_t reported;
	uint64_t max_count; /* 0: no limit */
	struct sbuf where, note;
};

int pipeline_new(struct pipeline **out, const struct pipeline_stages *st, struct sink **sinks, int n_sinks)
{
	struct pipeline *p = calloc(1, sizeof(*p));
	int err;

	if (!p)
		return -ENOMEM;
	p->st = *st;
	p->max_count = st->max_count;
	if ((err = explainer_new(&p->explainer))) {
		free(p);
		return err;
	}
	if ((err = repeats_new(&p->repeats))) {
		explainer_free(p->explainer);
		free(p);
		return err;
	}
	for (int i = 0; i < n_sinks && i < PIPELINE_MAX_SINKS; i++)
		p->sinks[p->n_sinks++] = sinks[i];
	if (st->replay && replay_start(&p->replay))
		fprintf(stderr, "sclens: warning: cannot start the replay thread; denials are not replayed\n");
	if (p->replay && st->kernel_copies)
		replay_use_kernel_copies(p->replay);
	sb_init(&p->where);
	sb_init(&p->note);
	*out = p;
	return 0;
}

void pipeline_free(struct pipeline *p)
{
	if (!p)
		return;
	replay_stop(p->replay);
	explainer_free(p->explainer);
	repeats_free(p->repeats);
	sb_free(&p->where);
	sb_free(&p->note);
	free(p);
}

static void on_filter_copy(const struct sclens_filter_rec *rec, void *arg)
{
	replay_add_kernel_filter(((struct pipeline *)arg)->replay, rec);
}

void pipeline_attach(struct pipeline *p, struct observer *obs)
{
	p->obs = obs;
	observer_on_filter(obs, on_filter_copy, p);
}

uint64_t pipeline_reported(const struct pipeline *p)
{
	return p->reported;
}

/* The real filter's answer to "why": which filter, which instruction */
static void replay_stage(struct pipeline *p, const struct sclens_event *e, struct denial_record *rec,
			 struct replay_result *rr)
{
	rec->action = e->action;
	sb_reset(&p->note);
	if (replay_event(p->replay, e, &rec->action, rr)) {
		rec->replay = rr;
		if (!rr->agrees)
			sb_printf(&p->note, "replay disagrees: %s, ", action_name(rr->action));
		else if (rec->action != e->action)
			sb_printf(&p->note, "replay: %s, ", action_name(rec->action));
		sb_printf(&p->note, "filter %d/%d insn %zu", rr->filter + 1, rr->filters, rr->insn);
		rec->replay_note = p->note.s;
	} else if (e->type == SCLENS_EV_DENIAL && e->action != SCLENS_ACT_KILL_PROCESS &&
		   e->action != SCLENS_ACT_KILL_THREAD) {
		/* its filter read now, while the process lives: the next is replayed */
		replay_request(p->replay, e);
	}
}

int pipeline_event(const struct sclens_event *e, void *arg)
{
	struct pipeline *p = arg;
	struct denial_record rec = { .e = e };
	struct replay_result rr;
	struct explain_src src;
	char title[256];
	bool naming;
	const char *path = cgroup_path_of_id(e->cgroup_id);
	const struct container *ct = container_resolve(e->cgroup_id, path, e->cgroup_leaf, &naming);

	if (p->st.noticed)
		p->st.noticed(p->st.arg, e->cgroup_id, ct, naming);
	bool wanted = p->st.wanted(p->st.arg, e, ct);
	if (e->type == SCLENS_EV_FILTER_INSTALL) {
		/* a new filter (maybe at a reused address): read it while the
		 * process lives, if it is one we report */
		replay_forget(p->replay, e->filter_key);
		if (wanted)
			replay_request(p->replay, e);
		if (!p->st.installs)
			return 0;
	}
	bool shown = wanted && (!p->st.selected || p->st.selected(p->st.arg, e));
	repeats_saw(p->repeats, e, shown); /* what the kernel counted, seen here */
	if (!shown)
		return 0;
	replay_stage(p, e, &rec, &rr);
	sb_reset(&p->where);
	container_label(&p->where, ct);
	rec.filter_id = observer_filter_id(p->obs, e->filter_key);
	rec.cgroup_path = path;
	rec.where = p->where.s; /* the container, or "host" (with its unit when known) */
	rec.container = ct;
	rec.scope = ct->id ? ct->id : p->where.s;
	if ((e->type == SCLENS_EV_DENIAL || e->type == SCLENS_EV_WOULD_DENY) && p->st.explain_src &&
	    p->st.explain_src(p->st.arg, e, ct, &src, title, sizeof(title)))
		rec.explained = explainer_explain(p->explainer, e, &src, rec.scope);
	for (int i = 0; i < p->n_sinks; i++)
		if (p->sinks[i]->record)
			p->sinks[i]->record(p->sinks[i], &rec);
	if (e->type == SCLENS_EV_DENIAL || e->type == SCLENS_EV_WOULD_DENY)
		p->reported++;
	if (p->max_count && p->reported >= p->max_count)
		return -ECANCELED; /* libbpf stops the poll on a negative return */
	return 0;
}

static void repeat_to_sinks(const struct repeat_record *rr, void *arg)
{
	struct pipeline *p = arg;
	struct repeat_record r = *rr;
	uint64_t id = rr->key->cgroup_id;

	r.container = container_lookup(id, cgroup_path_of_id(id), NULL);
	for (int i = 0; i < p->n_sinks; i++)
		if (p->sinks[i]->repeat)
			p->sinks[i]->repeat(p->sinks[i], &r);
}

void pipeline_repeats(struct pipeline *p, uint64_t now_ns)
{
	repeats_tick(p->repeats, p->obs, now_ns, repeat_to_sinks, p);
}

void pipeline_repeats_retain(struct pipeline *p, bool (*keep)(uint64_t cgroup_id, void *arg), void *arg)
{
	repeats_retain(p->repeats, keep, arg);
}

/* ---- watch's selection and explanation ---- */

/* What explains this container's denial of a call, best first: a profile
 * the user named for it, one the user named for all, the profile the user
 * gave the engine (Docker keeps its content), the engine's default the
 * container runs (recognised, so capability fixes can be named), and last
 * the effective profile the runtime loaded. */
static bool explain_src_for(const struct watch_opts *o, const struct container *c, const struct sclens_event *e,
			    struct explain_src *src, char *title, size_t title_len)
{
	const char *name = syscall_name(e->arch, e->nr);

	const char *engine = container_engine(c);

	memset(src, 0, sizeof(*src));
	/* runc alone has no --cap-add: every engine's words then */
	src->engine = engine && strcmp(engine, "runc") ? engine : NULL;
	src->caps = c->caps;
	src->has_caps = c->has_caps;
	for (int i = 0; i < o->n_profiles && !src->profile; i++)
		if (o->profiles[i].container && container_matches(c, o->profiles[i].container))
			src->profile = o->profiles[i].profile, src->profile_ref = o->profiles[i].path;
	for (int i = 0; i < o->n_profiles && !src->profile; i++)
		if (!o->profiles[i].container)
			src->profile = o->profiles[i].profile, src->profile_ref = o->profiles[i].path;
	if (src->profile)
		return true;
	if (c->source) {
		src->profile = c->source;
		if (c->localhost_ref) { /* the user's own file: the fix writes beside it */
			src->profile_ref = c->source->label;
			src->localhost_ref = c->localhost_ref;
		}
		return true;
	}
	const struct recognition *r = name ? container_recognition(c) : NULL;
	const struct default_match *m = r ? recognition_for_call(r, name) : NULL;
	if (m) {
		src->profile = m->def->profile;
		src->profile_ref = m->def->id;
		if (m->exact)
			; /* the profile's own label says it */
		else if (src->engine && !strcmp(src->engine, "containerd"))
			/* containerd generates its default in code from Docker's rules */
			snprintf(title, title_len, "containerd's default (for %s, the same rules as the %s)", name,
				 m->def->title);
		else
			snprintf(title, title_len, "%s, changed in %d calls (not in %s)", m->def->title, m->differences, name);
		if (!m->exact)
			src->title = title;
		if (!src->has_caps) {
			src->caps = docker_default_caps();
			src->has_caps = true;
		}
		return true;
	}
	src->profile = c->profile;
	/* a runc bundle is the user's own file (its path is the label); an
	 * engine's is not */
	if (src->engine)
		src->title = "the container's custom profile, as the runtime loaded it";
	return src->profile != NULL;
}

/* ---- watch, daemon and record: the loop ---- */

#define PENDING_MAX 256

struct watch_run {
	struct watch_opts *o;
	struct pipeline_outputs *out;
	struct pipeline *p;
	struct observer *obs;
	/* shadow mode: the capability set each slot's candidate is compiled for */
	uint64_t shadow_caps[SCLENS_SHADOW_SLOTS];
	int n_shadow;
	bool shadow_full_said;
	/* cgroups seen undecided: decided between events (decide_pending),
	 * for the kernel's filter and for the recording */
	uint64_t pending[PENDING_MAX];
	int n_pending;
	uint64_t pending_rec[PENDING_MAX];
	int n_pending_rec;
};

/* The candidate as the engine would hand it to the kernel for a container
 * with these capabilities (Docker's entries depend on them), compiled by
 * libseccomp into a slot of the kernel's shadow programs */
static int shadow_compile(struct watch_run *w, int slot, uint64_t caps)
{
	const struct profile *candidate = w->o->shadow;
	struct profile *eff = NULL;
	struct sock_filter *prog = NULL;
	struct sc_target t;
	struct sc_error e;
	size_t len = 0;
	int err;

	sc_target_host(&t);
	t.caps = caps;
	if ((err = profile_effective(candidate, &t, &eff, &e))) {
		profile_error_print(candidate->label, &e);
		return err;
	}
	err = profile_export_bpf(eff, &prog, &len);
	if (!err)
		err = observer_shadow_program(w->obs, slot, prog, len);
	if (err)
		fprintf(stderr, "sclens: cannot compile the candidate %s with libseccomp: %s\n", candidate->label,
			strerror(-err));
	free(prog);
	profile_free(eff);
	return err;
}

/* The slot of the candidate compiled for ct's capabilities (Docker's
 * default set where the bundle does not say), compiled on first need */
static int shadow_slot(struct watch_run *w, const struct container *ct)
{
	uint64_t caps = ct->has_caps ? ct->caps : docker_default_caps();

	for (int i = 0; i < w->n_shadow; i++)
		if (w->shadow_caps[i] == caps)
			return i;
	if (w->n_shadow == SCLENS_SHADOW_SLOTS) {
		if (!w->shadow_full_said)
			fprintf(stderr, "sclens: warning: more than %d capability sets among the shadowed containers; "
					"the others are shadowed as with Docker's default set\n", SCLENS_SHADOW_SLOTS);
		w->shadow_full_said = true;
		return 0;
	}
	if (shadow_compile(w, w->n_shadow, caps)) {
		fprintf(stderr, "sclens: warning: container %s is not shadowed: the candidate does not compile for "
				"its capabilities (see above)\n", ct->id ? ct->id : "?");
		return -1;
	}
	w->shadow_caps[w->n_shadow] = caps;
	return w->n_shadow++;
}

/* The kernel's filter for a cgroup, and whether shadow mode runs on it;
 * marked decided unless the map refused (tried again on a later event) */
static bool decide_cgroup(struct watch_run *w, uint64_t cgid, const struct container *ct)
{
	bool wanted = watch_container_wanted(w->o, ct);

	if (w->o->shadow && observer_shadow_cgroup(w->obs, cgid, wanted ? shadow_slot(w, ct) : -1))
		return wanted;
	if (!observer_cgroup_filter_set(w->obs, cgid, wanted))
		container_mark_filter_decided(ct);
	return wanted;
}

/* First sight of a cgroup, once its runtime has named it: the kernel is
 * told what to do with it from now on, after this batch of events (until
 * then, it passes and is selected here) */
static void queue(uint64_t *q, int *n, uint64_t id)
{
	for (int i = 0; i < *n; i++)
		if (q[i] == id)
			return;
	if (*n < PENDING_MAX) /* else: queued again by its next event */
		q[(*n)++] = id;
}

static void watch_noticed(void *arg, uint64_t cgroup_id, const struct container *ct, bool naming)
{
	struct watch_run *w = arg;

	if (naming)
		return;
	if (watch_container_filtering(w->o) && !ct->filter_decided)
		queue(w->pending, &w->n_pending, cgroup_id);
	/* named while it runs: a short-lived container may be gone by the tick */
	if (w->out->recording && !recording_find(w->out->recording, cgroup_id))
		queue(w->pending_rec, &w->n_pending_rec, cgroup_id);
}

static void decide_pending(struct watch_run *w)
{
	for (int i = 0; i < w->n_pending; i++) {
		uint64_t id = w->pending[i];
		const struct container *ct = container_lookup(id, cgroup_path_of_id(id), NULL);
		if (ct && !ct->filter_decided)
			decide_cgroup(w, id, ct);
	}
	w->n_pending = 0;
	for (int i = 0; i < w->n_pending_rec; i++)
		recording_decide(w->out->recording, w->pending_rec[i]);
	w->n_pending_rec = 0;
}

static bool watch_wanted(void *arg, const struct sclens_event *e, const struct container *ct)
{
	return watch_container_wanted(((struct watch_run *)arg)->o, ct);
}

/* the kernel prefilters on one value at most; names settle arches */
static bool watch_selected(void *arg, const struct sclens_event *e)
{
	return watch_event_selected(((struct watch_run *)arg)->o, e);
}

static bool watch_explain_src(void *arg, const struct sclens_event *e, const struct container *ct,
			      struct explain_src *src, char *title, size_t title_len)
{
	struct watch_run *w = arg;

	if (e->type == SCLENS_EV_DENIAL)
		return explain_src_for(w->o, ct, e, src, title, title_len);
	if (e->type != SCLENS_EV_WOULD_DENY || !w->o->shadow)
		return false;
	/* why the candidate would deny it, and its fix */
	memset(src, 0, sizeof(*src));
	src->profile = w->o->shadow;
	src->profile_ref = w->o->shadow_path;
	src->engine = container_engine(ct) && strcmp(container_engine(ct), "runc") ? container_engine(ct) : NULL;
	src->caps = ct->has_caps ? ct->caps : docker_default_caps();
	src->has_caps = true;
	return true;
}

/* At start-up: the cgroups of containers that match the filters. */
static struct watch_run *scan_run;
static int scan_matches;

static int scan_cgroup(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	const char *root = cgroup2_root();
	const char *rel = path + strlen(root);
	const char *leaf = path + ftw->base;

	if (type != FTW_D)
		return 0;
	bool naming;
	const struct container *ct = container_resolve(st->st_ino, *rel ? rel : "/", leaf, &naming);
	if (naming)
		return 0; /* maybe a container being created: decided on its first event */
	bool wanted = decide_cgroup(scan_run, st->st_ino, ct);
	if (wanted && ct->runtime)
		scan_matches++;
	return 0;
}

static void scan_running(struct watch_run *w)
{
	if (!watch_container_filtering(w->o) || !cgroup2_root())
		return;
	scan_run = w;
	if (nftw(cgroup2_root(), scan_cgroup, 32, FTW_PHYS | FTW_MOUNT))
		fprintf(stderr, "sclens: warning: cannot walk %s (%s): containers are decided as their "
				"first event arrives\n", cgroup2_root(), strerror(errno));
	else if (!scan_matches)
		fprintf(stderr, "sclens: warning: no running container matches --container/--pod/--namespace/--image "
				"yet; waiting for one to start\n");
}

static int load_profiles(struct watch_opts *o)
{
	struct sc_error e;

	for (int i = 0; i < o->n_profiles; i++) {
		if (profile_load_named(o->profiles[i].path, &o->profiles[i].profile, &e)) {
			profile_error_print(o->profiles[i].path, &e);
			return -EINVAL;
		}
		profile_warnings_print(o->profiles[i].profile);
	}
	for (int i = 0; i < o->n_sources; i++) {
		struct profile *p;
		if (profile_load_file(o->sources[i], &p, &e)) {
			profile_error_print(o->sources[i], &e);
			return -EINVAL;
		}
		profile_warnings_print(p);
		if (defaults_add_user(o->sources[i], p)) {
			fprintf(stderr, "sclens: too many --docker-default options\n");
			profile_free(p);
			return -EINVAL;
		}
	}
	return 0;
}


static void json_error(bool json, const char *msg)
{
	if (json)
		print_json_error(msg, NULL);
}


/* The options made into what the kernel and the stages use; the exit
 * code on a bad one */
static int settle_selection(struct watch_opts *o)
{
	char msg[256];
	int err;

	for (int i = 0; i < o->syscall_args.n; i++) {
		if (syscall_set_add(&o->syscalls, o->syscall_args.v[i], msg, sizeof(msg))) {
			fprintf(stderr, "sclens: %s\n", msg);
			if (o->json)
				print_json_error("unknown syscall", msg);
			return EXIT_USAGE;
		}
	}
	/* the kernel filters one value; lists are filtered here */
	if (o->syscalls.n == 1) {
		int nr = syscall_number(SCLENS_ARCH_X86_64, o->syscalls.names[0]);
		int nr32 = syscall_number(SCLENS_ARCH_I386, o->syscalls.names[0]);
		if (nr >= 0 || nr32 >= 0) {
			o->filters.nr = nr >= 0 ? nr : nr32;
			o->filters.nr_compat = nr32 >= 0 ? nr32 : nr;
		}
	}
	if (o->pids.n == 1)
		o->filters.tgid = strtoul(o->pids.v[0], NULL, 10);
	if (o->comms.n == 1)
		o->filters.comm = o->comms.v[0];
	for (int i = 0; i < o->pids.n; i++) {
		/* a pid that does not exist can never be seen: say so now */
		if (kill(atoi(o->pids.v[i]), 0) && errno == ESRCH) {
			snprintf(msg, sizeof(msg), "no process %s", o->pids.v[i]);
			fprintf(stderr, "sclens: -p: %s\n", msg);
			if (o->json)
				print_json_error("no such process", msg);
			return EXIT_USAGE;
		}
	}
	if (o->host_only && watch_container_filtering(o)) {
		fprintf(stderr, "sclens: --host cannot go with --container, --pod, --namespace or --image\n");
		return EXIT_USAGE;
	}
	if (o->cgroup_path) {
		err = cgroup_id_of_path(o->cgroup_path, &o->cgroup_id);
		if (err) {
			fprintf(stderr, "sclens: --cgroup %s: %s (give a directory of the cgroup v2 hierarchy%s%s)\n",
				o->cgroup_path, err == -EMEDIUMTYPE ? "not a cgroup v2 directory" : strerror(-err),
				cgroup2_root() ? ", mounted at " : "", cgroup2_root() ? cgroup2_root() : "");
			json_error(o->json, "invalid cgroup");
			return EXIT_USAGE;
		}
		o->filters.cgroups = &o->cgroup_id;
		o->filters.n_cgroups = 1;
	}
	/* container filters run in the kernel, through the cgroup map */
	if (watch_container_filtering(o)) {
		o->filters.cgroup_filter = true;
		o->filters.undecided_cgroups_pass = true;
	}
	/* as on a kernel that keeps no filter program (no orig_prog): the
	 * ptrace fallback, which tests must reach on kernels that do */
	const char *copies = getenv("SCLENS_FILTER_COPIES");
	if (copies && !strcmp(copies, "off"))
		o->filters.no_kernel_filters = true;
	return EXIT_OK;
}

static int settle_profiles(struct watch_opts *o)
{
	struct sc_error se;

	defaults_load(NULL);
	if (load_profiles(o)) {
		json_error(o->json, "invalid profile");
		return EXIT_BADINPUT;
	}
	if (!o->shadow_path)
		return EXIT_OK;
	if (!watch_container_filtering(o)) {
		fprintf(stderr, "sclens: --shadow needs --container, --pod, --namespace or --image: the containers to "
				"try the candidate on\n");
		json_error(o->json, "--shadow needs a container selection");
		return EXIT_USAGE;
	}
	if (profile_load_named(o->shadow_path, &o->shadow, &se)) {
		profile_error_print(o->shadow_path, &se);
		json_error(o->json, "invalid profile");
		return EXIT_BADINPUT;
	}
	o->filters.shadow = true;
	return EXIT_OK;
}

static void lock(const struct watch_run *w)
{
	if (w->out->lock)
		pthread_mutex_lock(w->out->lock);
}

static void unlock(const struct watch_run *w)
{
	if (w->out->lock)
		pthread_mutex_unlock(w->out->lock);
}

static void for_each_tick(struct watch_run *w, uint64_t now_ns, bool final)
{
	for (int i = 0; i < w->out->n_sinks; i++)
		if (w->out->sinks[i]->tick)
			w->out->sinks[i]->tick(w->out->sinks[i], w->obs, now_ns, final);
}

static void containers_dropped(struct watch_run *w)
{
	explainer_drop(w->p->explainer);
	for (int i = 0; i < w->out->n_sinks; i++)
		if (w->out->sinks[i]->containers_dropped)
			w->out->sinks[i]->containers_dropped(w->out->sinks[i]);
}

static bool keep_cgroup(uint64_t id, void *arg)
{
	struct watch_run *w = arg;

	if (id <= 1 || cgroup_alive(id))
		return true;
	for (int i = 0; i < w->out->n_sinks; i++)
		if (w->out->sinks[i]->keeps && w->out->sinks[i]->keeps(w->out->sinks[i], id))
			return true;
	return false;
}

/* A daemon runs for months through container churn: what is cached for
 * cgroups that are gone (and no longer shown by a sink) is dropped. */
static void prune_caches(struct watch_run *w)
{
	size_t before = containers_count();

	for (int i = 0; i < w->out->n_sinks; i++)
		if (w->out->sinks[i]->pruning)
			w->out->sinks[i]->pruning(w->out->sinks[i]);
	if (w->out->recording)
		recording_prune(w->out->recording);
	pipeline_repeats_retain(w->p, keep_cgroup, w);
	containers_retain(keep_cgroup, w);
	cgroup_retain(keep_cgroup, w);
	if (containers_count() != before) {
		containers_dropped(w);
		malloc_trim(0); /* give what was freed back: RSS is what operators watch */
	}
}

/* What SIGHUP drops: the containers that still run, read again; a gone
 * one cannot be, and its name stays while a sink shows it (every
 * logrotate would relabel its series otherwise) */
static bool gone(uint64_t id, void *arg)
{
	return id > 1 && !cgroup_alive(id);
}

/* SIGHUP: the runtimes' state re-read, the sinks' files reopened */
static void reload(struct watch_run *w)
{
	int err;

	lock(w);
	containers_retain(gone, NULL);
	containers_dropped(w);
	for (int i = 0; i < w->out->n_sinks; i++)
		if (w->out->sinks[i]->reopen && (err = w->out->sinks[i]->reopen(w->out->sinks[i], w->obs)))
			fprintf(stderr, "sclens: SIGHUP: cannot reopen the %s output: %s\n", w->out->sinks[i]->name,
				strerror(-err));
	unlock(w);
	fprintf(stderr, "sclens: SIGHUP: output reopened, runtime state re-read\n");
}

/* About once a second, between events */
static void tick(struct watch_run *w, const struct timespec *now, time_t *last_prune)
{
	uint64_t now_ns = (uint64_t)now->tv_sec * 1000000000ULL + now->tv_nsec;

	lock(w);
	if (w->out->recording)
		recording_decide_new(w->out->recording, false);
	pipeline_repeats(w->p, now_ns);
	for_each_tick(w, now_ns, false);
	/* by elapsed time, not on a multiple of ten: a busy second must not skip it */
	if (w->out->long_running && now->tv_sec - *last_prune >= 10) {
		*last_prune = now->tv_sec;
		prune_caches(w);
	}
	unlock(w);
}

static int64_t elapsed_ns(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000000000LL + (b->tv_nsec - a->tv_nsec);
}

/* Until a signal, --duration or --count: the exit code */
static int loop(struct watch_run *w)
{
	struct timespec start, now, last_tick = {};
	time_t last_prune = 0;
	int err, out_err;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!sclens_exiting) {
		/* the lock only while events are handled: a scrape does not
		 * wait out the poll's timeout */
		err = observer_wait(w->obs, 100);
		if (err > 0) {
			lock(w);
			err = observer_consume(w->obs);
			decide_pending(w);
			unlock(w);
		}
		if (sclens_reload && w->out->long_running) {
			sclens_reload = 0;
			reload(w);
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec != last_tick.tv_sec) {
			last_tick = now;
			tick(w, &now, &last_prune);
		}
		if ((out_err = output_failed(stdout, "the events")))
			/* a reader that left (EPIPE) ends watch quietly */
			return out_err == -EPIPE ? EXIT_OK : EXIT_FAIL;
		/* only SIGINT and SIGTERM stop watch (sclens_exiting); a stop and
		 * continue, or a tracer attaching, also cut epoll_wait short:
		 * the loop goes on */
		if (err == -EINTR)
			continue;
		if (err == -ECANCELED)
			break;
		if (err < 0) {
			fprintf(stderr, "sclens: polling the ring buffer failed: %s\n", strerror(-err));
			return EXIT_FAIL;
		}
		if (w->o->max_count && pipeline_reported(w->p) >= (uint64_t)w->o->max_count)
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		/* whole nanoseconds: whole seconds cut "-d 1" to a fraction of one */
		if (w->o->duration_s && elapsed_ns(&start, &now) >= w->o->duration_s * 1000000000LL)
			break;
	}
	return EXIT_OK;
}

/* Attached, files open, port bound: what root gave beyond what a daemon
 * still uses goes (a process of sclens taken over can do less) */
static void drop_privileges(void)
{
	uint64_t kept;
	int err = privileges_drop_to(SCLENS_DAEMON_CAPS, &kept);

	if (err)
		fprintf(stderr, "sclens: warning: cannot drop capabilities: %s; running with all it was given\n",
			strerror(-err));
	else
		fprintf(stderr, "sclens: capabilities dropped to %#llx (BPF, PERFMON, DAC_READ_SEARCH, SYS_PTRACE, "
				"SYS_RESOURCE, as given), no new privileges\n", (unsigned long long)kept);
}

/* Attaches the programs and starts every sink: the exit code */
static int start(struct watch_run *w)
{
	struct watch_opts *o = w->o;
	struct pipeline_stages st = {
		.noticed = watch_noticed, .wanted = watch_wanted, .selected = watch_selected,
		.explain_src = watch_explain_src, .arg = w, .installs = o->installs, .replay = !o->no_replay,
		.max_count = o->max_count > 0 ? o->max_count : 0, .kernel_copies = !o->filters.no_kernel_filters,
	};
	int err;

	if ((err = pipeline_new(&w->p, &st, w->out->sinks, w->out->n_sinks))) {
		fprintf(stderr, "sclens: %s\n", strerror(-err));
		return EXIT_FAIL;
	}
	err = observer_open(&w->obs, &o->filters, o->verbose, pipeline_event, w->p);
	if (err) {
		json_error(o->json, "cannot load the BPF programs");
		return err == -EPERM || err == -EOPNOTSUPP ? EXIT_ENV : EXIT_FAIL;
	}
	pipeline_attach(w->p, w->obs);
	/* compiled at once for Docker's default set: a candidate libseccomp
	 * refuses is an error before anything runs */
	if (o->shadow) {
		if (shadow_compile(w, 0, docker_default_caps())) {
			json_error(o->json, "cannot compile the candidate profile");
			return EXIT_BADINPUT;
		}
		w->shadow_caps[0] = docker_default_caps();
		w->n_shadow = 1;
	}
	scan_running(w);
	if (w->out->recording)
		recording_started(w->out->recording, w->obs);
	for (int i = 0; i < w->out->n_sinks; i++) {
		struct sink *s = w->out->sinks[i];
		if (s->started && (err = s->started(s, w->obs)))
			return err == -EADDRINUSE || err == -EACCES ? EXIT_ENV : EXIT_FAIL;
	}
	if (w->out->long_running)
		drop_privileges();
	const char *why = observer_method_note(w->obs);
	fprintf(stderr, "sclens: watching for seccomp denials (method %s%s%s); Ctrl-C to stop\n",
		observer_method(w->obs), why ? ": " : "", why ? why : "");
	return EXIT_OK;
}

/* What is in the ring buffer, the last tick, and each sink's last word
 * while the kernel's maps still hold the counts: the exit code */
static int finish(struct watch_run *w, int rc)
{
	struct timespec now;
	int err;

	if (rc == EXIT_OK && !(w->o->max_count && pipeline_reported(w->p) >= (uint64_t)w->o->max_count)) {
		lock(w);
		err = observer_poll(w->obs, 0);
		unlock(w);
		if (err < 0 && err != -EINTR && err != -ECANCELED) {
			fprintf(stderr, "sclens: draining the ring buffer failed: %s\n", strerror(-err));
			rc = EXIT_FAIL;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	lock(w);
	if (w->out->recording) /* cgroups that started at the very end */
		recording_decide_new(w->out->recording, true);
	/* the last repeats, unless --count ended the run: what came after was not asked for */
	if (!(w->o->max_count && pipeline_reported(w->p) >= (uint64_t)w->o->max_count))
		pipeline_repeats(w->p, (uint64_t)now.tv_sec * 1000000000ULL + now.tv_nsec);
	for_each_tick(w, (uint64_t)now.tv_sec * 1000000000ULL + now.tv_nsec, true);
	unlock(w);
	/* unlocked: stopping a server thread may wait for its request */
	for (int i = 0; i < w->out->n_sinks; i++)
		if (w->out->sinks[i]->stopping)
			w->out->sinks[i]->stopping(w->out->sinks[i], w->obs, rc ? "polling failed" : NULL);
	/* a sink that could not write its lines is a failure (a full disk) */
	for (int i = 0; i < w->out->n_sinks; i++) {
		int serr = w->out->sinks[i]->error ? w->out->sinks[i]->error(w->out->sinks[i]) : 0;
		if (serr && serr != -EPIPE) {
			fprintf(stderr, "sclens: writing the %s output failed: %s\n", w->out->sinks[i]->name,
				strerror(-serr));
			rc = EXIT_FAIL;
		}
	}
	return rc;
}

int pipeline_run(struct watch_opts *o, struct pipeline_outputs *out)
{
	struct watch_run w = { .o = o, .out = out };
	int rc;

	if ((rc = settle_selection(o)) || (rc = settle_profiles(o)))
		goto out;
	containers_init(&o->roots);
	if (observer_preflight()) {
		json_error(o->json, "missing privilege or kernel support");
		rc = EXIT_ENV;
		goto out;
	}
	install_exit_handlers();
	if (out->long_running)
		install_reload_handler();
	/* a run that did not start ends without its sinks' last words */
	if ((rc = start(&w)) == EXIT_OK)
		rc = finish(&w, loop(&w));
	observer_close(w.obs);
	pipeline_free(w.p);
out:
	watch_opts_free(o);
	return rc;
}
