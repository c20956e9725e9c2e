// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* sclens record: what the selected containers really call, counted in the
 * kernel from their first instruction, written as a recording file
 * (docs/tuning.md) for `sclens profile generate|tighten|merge`. */
#define _GNU_SOURCE
#include <argp.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include "cgroup.h"
#include "cli.h"
#include "commands.h"
#include "containers.h"
#include "event_fmt.h"
#include "names.h"
#include "report.h"
#include "text.h"
#include "watch.h"
#include "record.h"
#include "files.h"
#include "array.h"

struct record_opts {
	struct watch_opts w;
	const char *output;
};

/* A cgroup seen by the recorder: decided once */
struct seen_cgroup {
	uint64_t id;
	bool recorded, from_start;
	char *who; /* its "container" (or "host") member, as named when decided */
};

/* One kind of denial of a recorded cgroup, with the first one's report */
struct denial_kind {
	uint64_t cgroup_id;
	uint32_t arch, action;
	int32_t nr, err;
	uint64_t count;
	cJSON *first; /* the event as `watch --json` prints it, with its explanation */
};

struct recorder {
	struct sink base;
	struct watch_opts *w;
	const char *output;
	struct observer *obs;
	struct seen_cgroup *seen;
	size_t n_seen, cap_seen;
	bool no_wait; /* at start and at the end: every cgroup is decided at once */
	struct denial_kind *denials;
	size_t n_denials, cap_denials;
	struct reporter rep; /* renders the first denial of each kind */
	char *captured;
	uint64_t started_ns; /* CLOCK_MONOTONIC, as events' ts_ns */
	int err;
};

enum { OPT_OUTPUT = 'o', OPT_IOCTL = 4000 };

static const struct argp_option record_options[] = {
	{ "output", OPT_OUTPUT, "FILE", 0, "Write the recording here (default: stdout)", 1 },
	{ "ioctl", OPT_IOCTL, NULL, 0, "Also record ioctl's request values (for profiles that condition on them)", 1 },
	{},
};

static const char record_doc[] =
	"Record what containers really call, counted in the kernel from their first\n"
	"instruction (a container that starts while recording is recorded from its\n"
	"start), per arch, with the argument values profiles condition on, and the\n"
	"denials seen with their reasons. Until --duration, --count or Ctrl-C.\n"
	"\n"
	"EXAMPLES:\n"
	"  sclens record --container web -d 10m -o web.rec.json\n"
	"  sclens record --pod api --namespace prod -o api.rec.json\n"
	"  sclens profile generate web.rec.json > web-seccomp.json\n"
	"\nOPTIONS:";

static error_t record_parse(int key, char *arg, struct argp_state *state)
{
	struct record_opts *o = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &o->w;
		break;
	case OPT_OUTPUT: o->output = arg; break;
	case OPT_IOCTL: o->w.filters.record_ioctl = true; break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static struct seen_cgroup *seen_find(struct recorder *r, uint64_t id)
{
	for (size_t i = 0; i < r->n_seen; i++)
		if (r->seen[i].id == id)
			return &r->seen[i];
	return NULL;
}

static struct seen_cgroup *seen_add(struct recorder *r, uint64_t id, bool recorded, bool from_start)
{
	if (ARRAY_GROW(r->seen, r->cap_seen, r->n_seen, 256))
		return NULL;
	r->seen[r->n_seen] = (struct seen_cgroup){ .id = id, .recorded = recorded, .from_start = from_start };
	return &r->seen[r->n_seen++];
}

static void forget_denials(struct recorder *r, uint64_t id)
{
	size_t j = 0;

	for (size_t i = 0; i < r->n_denials; i++) {
		if (r->denials[i].cgroup_id == id)
			cJSON_Delete(r->denials[i].first);
		else
			r->denials[j++] = r->denials[i];
	}
	r->n_denials = j;
}

/* Decides a cgroup the kernel has been recording (undecided): kept if it
 * is one the user selected, else its calls are dropped. Returns NULL while
 * the cgroup waits for its runtime to name it. */
static struct seen_cgroup *decide(struct recorder *r, uint64_t id, bool from_start)
{
	const char *path = cgroup_path_of_id(id);
	bool naming;
	const struct container *ct = container_resolve(id, path, NULL, &naming);

	/* a new cgroup its runtime has not named yet: the kernel keeps
	 * recording it, and it is decided on a later tick */
	if (naming && !r->no_wait)
		return NULL;

	bool want = watch_container_wanted(r->w, ct);
	struct seen_cgroup *sc = seen_add(r, id, want, from_start);
	if (!sc)
		return NULL;
	if (want) {
		/* named now: the container may be gone, and its files with it,
		 * by the time the recording is written */
		struct sbuf b;
		struct jw w;
		sb_init(&b);
		jw_init(&w, &b);
		jw_obj_begin(&w);
		container_json(&w, ct);
		jw_obj_end(&w);
		if (!b.oom && b.len > 2)
			sc->who = strndup(b.s + 1, b.len - 2);
		sb_free(&b);
	}
	observer_record_decide(r->obs, id, want);
	if (!want) {
		observer_record_forget(r->obs, id);
		forget_denials(r, id);
	}
	return sc;
}

static struct recorder *scan_recorder;

static int scan_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)path;
	(void)ftw;
	if (type == FTW_D && !seen_find(scan_recorder, st->st_ino))
		decide(scan_recorder, st->st_ino, false);
	return 0;
}

/* Containers running now are decided at once (recorded from now on); the
 * ones that start later are recorded by the kernel until decided here. */
int recorder_started(struct recorder *r, struct observer *obs)
{
	r->obs = obs;
	r->started_ns = event_clock_now_ns();
	if (cgroup2_root()) {
		scan_recorder = r;
		/* running already: not from their start, whatever names them */
		r->no_wait = true;
		nftw(cgroup2_root(), scan_one, 32, FTW_PHYS | FTW_MOUNT);
		r->no_wait = false;
	}
	return 0;
}

static int decide_new(const struct sclens_rec_key *k, uint64_t n, void *arg)
{
	struct recorder *r = arg;

	(void)n;
	if (!seen_find(r, k->cgroup_id))
		decide(r, k->cgroup_id, true);
	return 0;
}

void recorder_tick(struct recorder *r, struct observer *obs)
{
	observer_record_counts(obs, decide_new, r);
}

static int capture_line(void *arg, const char *line, size_t len)
{
	struct recorder *r = arg;

	free(r->captured);
	r->captured = strndup(line, len);
	return r->captured ? 0 : -ENOMEM;
}

static void record_event(struct sink *s, const struct denial_record *d)
{
	struct recorder *r = (struct recorder *)s;
	const struct sclens_event *e = d->e;
	struct seen_cgroup *sc;

	if (e->type != SCLENS_EV_DENIAL)
		return;
	sc = seen_find(r, e->cgroup_id);
	if (!sc)
		sc = decide(r, e->cgroup_id, true);
	/* kept while its cgroup waits for a name, dropped if then unwanted */
	if (sc && !sc->recorded)
		return;
	for (size_t i = 0; i < r->n_denials; i++) {
		struct denial_kind *k = &r->denials[i];
		if (k->cgroup_id == e->cgroup_id && k->arch == e->arch && k->nr == e->nr && k->action == d->c->action &&
		    k->err == e->err) {
			k->count++;
			return;
		}
	}
	if (ARRAY_GROW(r->denials, r->cap_denials, r->n_denials, 32))
		return;
	reporter_event(&r->rep, e, d->c, d->src, d->scope);
	r->denials[r->n_denials++] = (struct denial_kind){
		.cgroup_id = e->cgroup_id, .arch = e->arch, .action = d->c->action, .nr = e->nr, .err = e->err,
		.count = 1, .first = r->captured ? cJSON_Parse(r->captured) : NULL,
	};
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
void recorder_write(struct recorder *r, struct observer *obs, bool final)
{
	struct observer_counts oc = {};
	char when[64];
	struct sbuf b;
	struct jw w;

	/* cgroups that started at the very end */
	r->no_wait = final;
	observer_record_counts(obs, decide_new, r);
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
	str_array(&w, "containers", &r->w->containers);
	str_array(&w, "pods", &r->w->pods);
	str_array(&w, "images", &r->w->images);
	str_array(&w, "namespaces", &r->w->namespaces);
	jw_kv_bool(&w, "host_only", r->w->host_only);
	jw_kv_bool(&w, "ioctl", r->w->filters.record_ioctl);
	jw_obj_end(&w);
	/* what the kernel maps could not hold: never lost silently */
	jw_key(&w, "lost");
	jw_obj_begin(&w);
	jw_kv_u64(&w, "calls", oc.record_overflow);
	jw_kv_u64(&w, "arg_values", oc.record_args_overflow);
	jw_kv_u64(&w, "denial_events", oc.lost);
	jw_obj_end(&w);
	jw_key(&w, "recorded");
	jw_arr_begin(&w);
	for (size_t i = 0; i < r->n_seen; i++) {
		struct seen_cgroup *sc = &r->seen[i];
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
			cJSON *x = k->first ? cJSON_GetObjectItem(k->first, "explanation") : NULL;
			char *xs = x ? cJSON_PrintUnformatted(x) : NULL;
			if (xs) {
				jw_key(&w, "explanation");
				jw_raw(&w, xs);
			}
			free(xs);
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

void recorder_prune(struct recorder *r)
{
	size_t j = 0;

	for (size_t i = 0; i < r->n_seen; i++) {
		if (r->seen[i].recorded || cgroup_alive(r->seen[i].id)) {
			r->seen[j++] = r->seen[i];
			continue;
		}
		free(r->seen[i].who);
		if (r->obs)
			observer_record_undecide(r->obs, r->seen[i].id);
	}
	r->n_seen = j;
}

bool recorder_keeps(struct recorder *r, uint64_t id)
{
	struct seen_cgroup *sc = r ? seen_find(r, id) : NULL;

	return sc && sc->recorded; /* its container is named in the file */
}

static int record_error(struct sink *s)
{
	return ((struct recorder *)s)->err;
}

struct recorder *recorder_new(struct watch_opts *w, const char *output)
{
	struct recorder *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->w = w;
	r->output = output;
	r->base = (struct sink){ .name = "recording", .event = record_event, .error = record_error };
	reporter_init(&r->rep, true);
	reporter_set_output(&r->rep, capture_line, r);
	w->filters.record = true;
	return r;
}

struct sink *recorder_sink(struct recorder *r)
{
	return &r->base;
}

int recorder_error(const struct recorder *r)
{
	return r ? r->err : 0;
}

void recorder_free(struct recorder *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_denials; i++)
		cJSON_Delete(r->denials[i].first);
	free(r->denials);
	for (size_t i = 0; i < r->n_seen; i++)
		free(r->seen[i].who);
	free(r->seen);
	free(r->captured);
	reporter_free(&r->rep);
	free(r);
}

/* Checks the output can be written before recording for minutes */
int recorder_check_output(const char *path)
{
	FILE *f = fopen(path, "ae");

	if (!f) {
		int err = -errno;
		fprintf(stderr, "sclens: cannot write %s: %s\n", path, strerror(-err));
		return err;
	}
	fclose(f);
	return 0;
}

static int hook_started(void *arg, struct observer *obs)
{
	return recorder_started(arg, obs);
}

static void hook_tick(void *arg, struct observer *obs, uint64_t now_ns)
{
	(void)now_ns;
	recorder_tick(arg, obs);
}

static void hook_stopping(void *arg, struct observer *obs)
{
	recorder_write(arg, obs, true);
}

static void hook_before_prune(void *arg)
{
	recorder_prune(arg);
}

static bool hook_keep(void *arg, uint64_t id)
{
	return recorder_keeps(arg, id);
}

int cmd_record(int argc, char **argv)
{
	static const struct argp_child children[] = {
		{ &watch_argp, 0, "What to record, and how to explain its denials (as for watch):", 2 },
		{},
	};
	static const struct argp argp = { .options = record_options, .parser = record_parse, .doc = record_doc,
					  .children = children };
	struct record_opts o = {};
	struct recorder *r;
	struct sink *sinks[1];
	int rc;

	watch_opts_init(&o.w);
	if ((rc = cli_parse(&argp, argc, argv, 0, &o)) >= 0)
		return rc;
	if (o.output && recorder_check_output(o.output))
		return EXIT_FAIL;
	o.w.json = true;
	r = recorder_new(&o.w, o.output);
	if (!r)
		return EXIT_FAIL;
	sinks[0] = recorder_sink(r);
	struct watch_hooks hooks = {
		.sinks = sinks, .n_sinks = 1, .no_stdout = true, .started = hook_started, .tick = hook_tick,
		.stopping = hook_stopping, .keep_cgroup = hook_keep, .before_prune = hook_before_prune,
		.no_summary = true, .arg = r,
	};
	rc = watch_run(&o.w, &hooks);
	recorder_free(r);
	return rc;
}
