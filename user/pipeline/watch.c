// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* sclens watch: report seccomp denials as they happen. */
#define _GNU_SOURCE
#include <argp.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <ftw.h>
#include <malloc.h>
#include <stddef.h>
#include "apply.h"
#include "cgroup.h"
#include "defaults.h"
#include "commands.h"
#include "containers.h"
#include "profile.h"
#include "replay.h"
#include "report.h"
#include "event_fmt.h"
#include "names.h"
#include "observer.h"
#include "cli.h"
#include "selection.h"
#include "text.h"
#include "watch.h"

struct watch_state {
	struct watch_opts *opts;
	const struct watch_hooks *hooks;
	struct observer *obs;
	struct replay *replay;
	uint64_t printed;
	struct report_sink out; /* stdout */
	struct sink *sinks[WATCH_MAX_SINKS];
	int n_sinks;
	/* shadow mode: the capability set each slot's candidate is compiled for */
	uint64_t shadow_caps[SCLENS_SHADOW_SLOTS];
	int n_shadow;
	bool shadow_full_said;
};

static bool keep_cgroup(uint64_t id, void *arg)
{
	struct watch_state *w = arg;

	return id <= 1 || cgroup_alive(id) || (w->hooks->keep_cgroup && w->hooks->keep_cgroup(w->hooks->arg, id));
}

/* A daemon runs for months through container churn: what is cached for
 * cgroups that are gone (and no longer served as metrics) is dropped. */
static void prune_caches(struct watch_state *w)
{
	size_t before = containers_count();

	if (w->hooks->before_prune)
		w->hooks->before_prune(w->hooks->arg);
	containers_retain(keep_cgroup, w);
	cgroup_retain(keep_cgroup, w);
	if (containers_count() != before) {
		for (int i = 0; i < w->n_sinks; i++)
			if (w->sinks[i]->containers_dropped)
				w->sinks[i]->containers_dropped(w->sinks[i]);
		malloc_trim(0); /* give what was freed back: RSS is what operators watch */
	}
}


static const char watch_doc[] =
	"Report every seccomp denial on this host as it happens.\n"
	"\n"
	"EXAMPLES:\n"
	"  sclens watch                      # every denial, one line each\n"
	"  sclens watch --json               # JSON lines (docs/json-schema.md)\n"
	"  sclens watch -p 1234 -s clock_settime\n"
	"  sclens watch --cgroup /sys/fs/cgroup/unified/mycontainer\n"
	"  sclens watch --count 1 --duration 30\n"
	"  sclens watch --profile docker-default.json      # explain against a profile\n"
	"  sclens watch --container web --profile web=web-seccomp.json\n"
	"  sclens watch --namespace prod --json\n"
	"  sclens watch --image nginx:1.25     # containers of that image, any registry\n"
	"\nOPTIONS:";

enum {
	OPT_CGROUP = 1000, OPT_INSTALLS, OPT_PROFILE, OPT_DOCKER_DEFAULT, OPT_CONTAINER, OPT_POD,
	OPT_NAMESPACE, OPT_HOST, OPT_ALL, OPT_RUNC_ROOT, OPT_DOCKER_ROOT, OPT_CONTAINERD_ROOT,
	OPT_CRIO_ROOT, OPT_PODMAN_ROOT, OPT_NO_REPLAY, OPT_BUFFER, OPT_METHOD, OPT_SHADOW, OPT_IMAGE,
};

static const struct argp_option watch_options[] = {
	{ "color", 1999, "WHEN", 0, "Colour: auto (on a terminal, unless NO_COLOR is set), always, never", 0 },
	{ "pid", 'p', "PID[,PID]", 0, "Only these processes (tgid); repeatable", 0 },
	{ "comm", 'c', "COMM[,COMM]", 0, "Only tasks with these command names; repeatable", 0 },
	{ "syscall", 's', "NAME[,NAME]", 0,
	  "Only these syscalls, on every arch: names, x86_64 numbers, or classes (%clock, %creds, %file, %ipc, "
	  "%memory, %network, %process, %signal); repeatable", 0 },
	{ "cgroup", OPT_CGROUP, "PATH", 0, "Only tasks in this cgroup v2 directory", 0 },
	{ "duration", 'd', "TIME", 0, "Stop after this long: 30, 30s, 5m, 2h, 1d", 0 },
	{ "count", 'n', "N", 0, "Stop after N denials", 0 },
	{ "json", 'j', NULL, 0, "One JSON object per line", 0 },
	{ "installs", OPT_INSTALLS, NULL, 0, "Also report filters being installed", 0 },
	{ "container", OPT_CONTAINER, "ID|NAME", 0, "Only these containers (id prefix or exact name); repeatable, or a,b", 0 },
	{ "pod", OPT_POD, "NAME", 0, "Only these Kubernetes pods; repeatable", 0 },
	{ "namespace", OPT_NAMESPACE, "NS", 0, "Only these Kubernetes namespaces; repeatable", 0 },
	{ "image", OPT_IMAGE, "IMAGE[:TAG]", 0,
	  "Only containers of this image (any tag without one, any registry without one); repeatable", 0 },
	{ "host", OPT_HOST, NULL, 0, "Only processes outside containers", 0 },
	{ "all", OPT_ALL, NULL, 0, "Everything (the default)", 0 },
	{ "profile", 'f', "[CONTAINER=]FILE|ID", 0,
	  "Explain denials against this profile (for one container with CONTAINER=)", 0 },
	{ "docker-default", OPT_DOCKER_DEFAULT, "FILE", 0,
	  "A Docker-format default profile (Docker's, Podman's, containerd's RuntimeDefault): recognise "
	  "containers running it converted, to name capability fixes; repeatable", 0 },
	{ "buffer-mb", OPT_BUFFER, "MB", 0, "Ring buffer size, a power of two (default 16)", 0 },
	{ "no-replay", OPT_NO_REPLAY, NULL, 0,
	  "Do not replay denials through their filters (no rule and instruction in the report)", 0 },
	{ "shadow", OPT_SHADOW, "FILE|ID", 0,
	  "Try a candidate profile on the selected containers' real calls, enforcing nothing: report each call "
	  "it would deny (\"would_deny\"), with its rule and fix (needs --container, --pod, --namespace or --image)", 0 },
	{ "method", OPT_METHOD, "METHOD", 0,
	  "How the kernel side sees denials: auto (default; also $SCLENS_METHOD: the first this kernel "
	  "allows), fexit (on seccomp's decision: only filtered tasks pay), one-hook (sys_exit and the "
	  "kernel's verdict cache, Linux 5.11+), two-hooks (sys_enter and sys_exit)", 0 },
	{ "runc-root", OPT_RUNC_ROOT, "DIR", 0, "runc state (default /run/runc)", 0 },
	{ "docker-root", OPT_DOCKER_ROOT, "DIR", 0, "Docker data (default /var/lib/docker)", 0 },
	{ "containerd-root", OPT_CONTAINERD_ROOT, "DIR", 0,
	  "containerd tasks (default /run/containerd/io.containerd.runtime.v2.task)", 0 },
	{ "crio-root", OPT_CRIO_ROOT, "DIR", 0, "CRI-O containers (default /run/containers/storage/overlay-containers)", 0 },
	{ "podman-root", OPT_PODMAN_ROOT, "DIR", 0,
	  "Podman containers (default /var/lib/containers/storage/overlay-containers)", 0 },
	{ "verbose", 'v', NULL, 0, "Show libbpf's messages", 0 },
	{},
};

static void on_filter_copy(const struct sclens_filter_rec *rec, void *arg)
{
	struct watch_state *w = arg;

	replay_add_kernel_filter(w->replay, rec);
}

static error_t watch_parse(int key, char *arg, struct argp_state *state)
{
	struct watch_opts *o = state->input;
	long v;

	switch (key) {
	case 1999:
		if (color_mode_set(arg))
			argp_error(state, "--color takes auto, always or never, not '%s'", arg);
		break;
	case 'p': {
		int first = o->pids.n;
		if (str_list_add(&o->pids, arg))
			argp_error(state, "out of memory");
		for (int i = first; i < o->pids.n; i++)
			if (parse_int(o->pids.v[i], 1, INT32_MAX, &v))
				argp_error(state, "invalid PID '%s'", o->pids.v[i]);
		break;
	}
	case 'c': {
		int first = o->comms.n;
		if (str_list_add(&o->comms, arg))
			argp_error(state, "out of memory");
		for (int i = first; i < o->comms.n; i++)
			if (strlen(o->comms.v[i]) >= SCLENS_COMM_LEN)
				argp_error(state, "command names have at most %d characters: '%s'", SCLENS_COMM_LEN - 1,
					   o->comms.v[i]);
		break;
	}
	case 's':
		if (str_list_add(&o->syscall_args, arg))
			argp_error(state, "out of memory");
		break;
	case OPT_CGROUP:
		o->cgroup_path = arg;
		break;
	case 'd':
		if (parse_duration(arg, &v))
			argp_error(state, "invalid duration '%s' (30, 30s, 5m, 2h or 1d; at most a year)", arg);
		o->duration_s = v;
		break;
	case 'n':
		if (parse_int(arg, 1, INT32_MAX, &v))
			argp_error(state, "invalid count '%s'", arg);
		o->max_count = v;
		break;
	case 'j':
		o->json = true;
		break;
	case OPT_INSTALLS:
		o->installs = true;
		break;
	case 'v':
		o->verbose = true;
		break;
	case 'f': {
		const char *eq = strchr(arg, '=');
		if (o->n_profiles == MAX_PROFILES)
			argp_error(state, "at most %d --profile options", MAX_PROFILES);
		struct profile_opt *po = &o->profiles[o->n_profiles++];
		po->path = arg;
		if (eq && access(arg, F_OK)) { /* CONTAINER=FILE, unless a file has that name */
			po->container = strndup(arg, eq - arg);
			po->path = eq + 1;
		}
		break;
	}
	case OPT_DOCKER_DEFAULT:
		if (o->n_sources == MAX_PROFILES)
			argp_error(state, "at most %d --docker-default options", MAX_PROFILES);
		o->sources[o->n_sources++] = arg;
		break;
	case OPT_CONTAINER: str_list_add(&o->containers, arg); break;
	case OPT_POD: str_list_add(&o->pods, arg); break;
	case OPT_NAMESPACE: str_list_add(&o->namespaces, arg); break;
	case OPT_IMAGE: str_list_add(&o->images, arg); break;
	case OPT_HOST: o->host_only = true; break;
	case OPT_NO_REPLAY: o->no_replay = true; break;
	case OPT_SHADOW: o->shadow_path = arg; break;
	case OPT_METHOD:
		if ((o->filters.method = observer_method_parse(arg)) == -2)
			argp_error(state, "--method takes auto, fexit, one-hook or two-hooks, not '%s'", arg);
		break;
	case OPT_BUFFER:
		if (parse_int(arg, 1, 1024, &v) || (v & (v - 1)))
			argp_error(state, "--buffer-mb wants a power of two from 1 to 1024, not '%s'", arg);
		o->filters.buffer_mb = v;
		break;
	case OPT_ALL:
		o->host_only = false;
		str_list_free(&o->containers);
		str_list_free(&o->pods);
		str_list_free(&o->namespaces);
		str_list_free(&o->images);
		break;
	case OPT_RUNC_ROOT: o->roots.runc = arg; break;
	case OPT_DOCKER_ROOT: o->roots.docker = arg; break;
	case OPT_CONTAINERD_ROOT: o->roots.containerd = arg; break;
	case OPT_CRIO_ROOT: o->roots.crio = arg; break;
	case OPT_PODMAN_ROOT: o->roots.podman = arg; break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* -p, -c and -s in user space: lists, and names on every arch */
static bool event_selected(const struct watch_opts *o, const struct sclens_event *e)
{
	if (o->pids.n) {
		char pid[16];
		snprintf(pid, sizeof(pid), "%u", e->pid);
		if (!str_list_has(&o->pids, pid))
			return false;
	}
	if (o->comms.n) {
		char comm[SCLENS_COMM_LEN + 1];
		snprintf(comm, sizeof(comm), "%.*s", SCLENS_COMM_LEN, e->comm);
		if (!str_list_has(&o->comms, comm))
			return false;
	}
	if (e->type != SCLENS_EV_FILTER_INSTALL && o->syscalls.n &&
	    !syscall_set_has(&o->syscalls, syscall_name(e->arch, e->nr)))
		return false;
	return true;
}

static bool container_filtering(const struct watch_opts *o)
{
	return o->containers.n || o->pods.n || o->namespaces.n || o->images.n;
}

/* The container filters the user gave (all must hold). */
bool watch_container_wanted(const struct watch_opts *o, const struct container *c)
{
	if (o->host_only && c->runtime)
		return false;
	if (o->containers.n) {
		bool any = false;
		for (int i = 0; i < o->containers.n && !any; i++)
			any = container_matches(c, o->containers.v[i]);
		if (!any)
			return false;
	}
	if (o->pods.n && !str_list_has(&o->pods, c->pod))
		return false;
	if (o->namespaces.n && !str_list_has(&o->namespaces, c->namespace))
		return false;
	if (o->images.n) {
		bool any = false;
		for (int i = 0; i < o->images.n && !any; i++)
			any = image_matches(c->image, o->images.v[i]);
		if (!any)
			return false;
	}
	return true;
}

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

/* The candidate as the engine would hand it to the kernel for a container
 * with these capabilities (Docker's entries depend on them), compiled by
 * libseccomp into a slot of the kernel's shadow programs */
static int shadow_compile(struct watch_state *w, int slot, uint64_t caps)
{
	const struct profile *candidate = w->opts->shadow;
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
static int shadow_slot(struct watch_state *w, const struct container *ct)
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
 * marked decided unless the map refused (tried again on the next event) */
static bool decide_cgroup(struct watch_state *w, uint64_t cgid, const struct container *ct)
{
	bool wanted = watch_container_wanted(w->opts, ct);

	if (w->opts->shadow && observer_shadow_cgroup(w->obs, cgid, wanted ? shadow_slot(w, ct) : -1))
		return wanted;
	if (!observer_cgroup_filter_set(w->obs, cgid, wanted))
		container_mark_filter_decided(ct);
	return wanted;
}

static int on_event(const struct sclens_event *e, void *arg)
{
	struct watch_state *w = arg;
	struct event_ctx c = {};
	const struct container *ct;
	struct sbuf where;
	const char *path;

	path = cgroup_path_of_id(e->cgroup_id);
	bool naming;
	ct = container_resolve(e->cgroup_id, path, e->cgroup_leaf, &naming);
	/* first sight of a cgroup: tell the kernel what to do with it from
	 * now on, once its runtime has named it (until then, it passes) */
	if (container_filtering(w->opts) && !ct->filter_decided && !naming)
		decide_cgroup(w, e->cgroup_id, ct);
	if (e->type == SCLENS_EV_FILTER_INSTALL) {
		/* a new filter (maybe at a reused address): read it while the
		 * process lives, if it is one we report */
		replay_forget(w->replay, e->filter_key);
		if (watch_container_wanted(w->opts, ct))
			replay_request(w->replay, e);
		if (!w->opts->installs)
			return 0;
	}
	if (!watch_container_wanted(w->opts, ct))
		return 0;
	/* the kernel prefilters on one value at most; names settle arches */
	if (!event_selected(w->opts, e))
		return 0;
	struct replay_result rr;
	struct sbuf rp;
	sb_init(&rp);
	c.action = e->action;
	if (replay_event(w->replay, e, &c.action, &rr)) {
		c.replay = &rr;
		/* the real filter's answer to "why": which filter, which instruction */
		if (!rr.agrees)
			sb_printf(&rp, "replay disagrees: %s, ", action_name(rr.action));
		else if (c.action != e->action)
			sb_printf(&rp, "replay: %s, ", action_name(c.action));
		sb_printf(&rp, "filter %d/%d insn %zu", rr.filter + 1, rr.filters, rr.insn);
		c.replay_plain = rp.s;
	} else if (e->type == SCLENS_EV_DENIAL && e->action != SCLENS_ACT_KILL_PROCESS &&
		   e->action != SCLENS_ACT_KILL_THREAD) {
		replay_request(w->replay, e);
	}
	sb_init(&where);
	container_label(&where, ct);
	c.filter_id = observer_filter_id(w->obs, e->filter_key);
	c.cgroup_path = path;
	c.where = where.s; /* the container, or "host" (with its unit when known) */
	c.container = ct;
	struct explain_src src;
	char title[256];
	bool explain = e->type == SCLENS_EV_DENIAL && explain_src_for(w->opts, ct, e, &src, title, sizeof(title));
	if (e->type == SCLENS_EV_WOULD_DENY && w->opts->shadow) {
		/* why the candidate would deny it, and its fix */
		memset(&src, 0, sizeof(src));
		src.profile = w->opts->shadow;
		src.profile_ref = w->opts->shadow_path;
		src.engine = container_engine(ct) && strcmp(container_engine(ct), "runc") ? container_engine(ct) : NULL;
		src.caps = ct->has_caps ? ct->caps : docker_default_caps();
		src.has_caps = true;
		explain = true;
	}
	struct denial_record rec = { .e = e, .c = &c, .src = explain ? &src : NULL, .scope = ct->id ? ct->id : where.s };
	for (int i = 0; i < w->n_sinks; i++)
		w->sinks[i]->event(w->sinks[i], &rec);
	sb_free(&where);
	sb_free(&rp);
	if (e->type == SCLENS_EV_DENIAL || e->type == SCLENS_EV_WOULD_DENY)
		w->printed++;
	if (w->opts->max_count && w->printed >= (uint64_t)w->opts->max_count)
		return -ECANCELED; /* libbpf stops the poll on a negative return */
	return 0;
}

/* At start-up: the cgroups of containers that match the filters. */
static struct watch_state *scan_state;
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
	bool wanted = decide_cgroup(scan_state, st->st_ino, ct);
	if (wanted && ct->runtime)
		scan_matches++;
	return 0;
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

static void free_profiles(struct watch_opts *o)
{
	str_list_free(&o->containers);
	str_list_free(&o->pods);
	str_list_free(&o->namespaces);
	str_list_free(&o->images);
	str_list_free(&o->syscall_args);
	str_list_free(&o->pids);
	str_list_free(&o->comms);
	syscall_set_free(&o->syscalls);
	profile_free(o->shadow);
	o->shadow = NULL;
	for (int i = 0; i < o->n_profiles; i++) {
		profile_free(o->profiles[i].profile);
		free((char *)o->profiles[i].container);
	}
}

/* ---- the kernel's exact counts, for the summary ---- */

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

	if (!watch_container_wanted(r->opts, c))
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
static void print_summary(struct watch_state *w, const char *error, int out_err)
{
	struct observer_counts c = {};
	int err = observer_counts(w->obs, &c);

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
	struct count_rows rows = { .opts = w->opts };
	if (observer_denial_counts(w->obs, keep_count, &rows) < 0)
		fprintf(stderr, "sclens: cannot read the kernel's per-call counts\n");
	if (rows.n) /* qsort takes no NULL, even for nothing */
		qsort(rows.v, rows.n, sizeof(*rows.v), cmp_count_desc);
	if (w->opts->json) {
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
		if (c.eval_failed)
			fprintf(stderr, "sclens: note: %llu calls were judged from their return value alone: the "
					"kernel kept no program of their filter\n", (unsigned long long)c.eval_failed);
		/* someone watched a process for a reason: say what no denial means */
		if (!w->printed && (w->opts->pids.n || w->opts->comms.n || container_filtering(w->opts)))
			fprintf(stderr, "sclens: note: no seccomp denial was seen for what you selected: if it got "
					"EPERM or EACCES, the error came from elsewhere (a missing capability, an LSM "
					"such as AppArmor or SELinux, file permissions); strace -f shows which call\n");
	}
	free(rows.v);
}

static void json_error(bool json, const char *msg)
{
	if (json)
		print_json_error(msg, NULL);
}

const struct argp watch_argp = { .options = watch_options, .parser = watch_parse, .doc = watch_doc };

void watch_opts_init(struct watch_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->filters.nr = -1;
	o->filters.method = -1;
}

int cmd_watch(int argc, char **argv)
{
	struct watch_opts opts;
	int rc;

	watch_opts_init(&opts);
	if ((rc = cli_parse(&watch_argp, argc, argv, 0, &opts)) >= 0)
		return rc;
	return watch_run(&opts, NULL);
}

int watch_run(struct watch_opts *o, const struct watch_hooks *hooks)
{
	struct watch_state w = { .opts = o, .hooks = hooks };
	struct timespec start, now, last_tick = {};
	time_t last_prune = 0;
	int err, rc = EXIT_OK;


	for (int i = 0; i < o->syscall_args.n; i++) {
		char msg[256];
		if (syscall_set_add(&o->syscalls, o->syscall_args.v[i], msg, sizeof(msg))) {
			fprintf(stderr, "sclens: %s\n", msg);
			if (o->json)
				print_json_error("unknown syscall", msg);
			rc = EXIT_USAGE;
			goto out_opts;
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
			char msg[128];
			snprintf(msg, sizeof(msg), "no process %s", o->pids.v[i]);
			fprintf(stderr, "sclens: -p: %s\n", msg);
			if (o->json)
				print_json_error("no such process", msg);
			rc = EXIT_USAGE;
			goto out_opts;
		}
	}
	if (o->host_only && container_filtering(o)) {
		fprintf(stderr, "sclens: --host cannot go with --container, --pod, --namespace or --image\n");
		rc = EXIT_USAGE;
		goto out_opts;
	}
	if (o->cgroup_path) {
		err = cgroup_id_of_path(o->cgroup_path, &o->cgroup_id);
		if (err) {
			fprintf(stderr, "sclens: --cgroup %s: %s (give a directory of the cgroup v2 hierarchy%s%s)\n",
				o->cgroup_path, err == -EMEDIUMTYPE ? "not a cgroup v2 directory" : strerror(-err),
				cgroup2_root() ? ", mounted at " : "", cgroup2_root() ? cgroup2_root() : "");
			json_error(o->json, "invalid cgroup");
			rc = EXIT_USAGE;
			goto out_opts;
		}
		o->filters.cgroups = &o->cgroup_id;
		o->filters.n_cgroups = 1;
	}
	defaults_load(NULL);
	if (load_profiles(o)) {
		json_error(o->json, "invalid profile");
		rc = EXIT_BADINPUT;
		goto out_opts;
	}
	if (o->shadow_path) {
		struct sc_error se;
		if (!container_filtering(o)) {
			fprintf(stderr, "sclens: --shadow needs --container, --pod, --namespace or --image: the containers to "
					"try the candidate on\n");
			json_error(o->json, "--shadow needs a container selection");
			rc = EXIT_USAGE;
			goto out_opts;
		}
		if (profile_load_named(o->shadow_path, &o->shadow, &se)) {
			profile_error_print(o->shadow_path, &se);
			json_error(o->json, "invalid profile");
			rc = EXIT_BADINPUT;
			goto out_opts;
		}
		o->filters.shadow = true;
	}
	containers_init(&o->roots);
	if (observer_preflight()) {
		json_error(o->json, "missing privilege or kernel support");
		rc = EXIT_ENV;
		goto out_opts;
	}
	install_exit_handlers();
	report_sink_init(&w.out, o->json);
	if (!hooks || !hooks->no_stdout)
		w.sinks[w.n_sinks++] = &w.out.base;
	for (int i = 0; hooks && i < hooks->n_sinks && w.n_sinks < WATCH_MAX_SINKS; i++)
		w.sinks[w.n_sinks++] = hooks->sinks[i];
	if (!o->no_replay && replay_start(&w.replay))
		fprintf(stderr, "sclens: warning: cannot start the replay thread; denials are not replayed\n");
	/* as on a kernel that keeps no filter program (no orig_prog): the
	 * ptrace fallback, which tests must reach on kernels that do */
	const char *copies = getenv("SCLENS_FILTER_COPIES");
	if (copies && !strcmp(copies, "off"))
		o->filters.no_kernel_filters = true;
	if (!o->filters.no_kernel_filters)
		replay_use_kernel_copies(w.replay);
	/* container filters run in the kernel, through the cgroup map */
	if (container_filtering(o)) {
		o->filters.cgroup_filter = true;
		o->filters.undecided_cgroups_pass = true;
	}
	err = observer_open(&w.obs, &o->filters, o->verbose, on_event, &w);
	if (err) {
		json_error(o->json, "cannot load the BPF programs");
		replay_stop(w.replay);
		report_sink_free(&w.out);
		rc = err == -EPERM || err == -EOPNOTSUPP ? EXIT_ENV : EXIT_FAIL;
		goto out_opts;
	}
	observer_on_filter(w.obs, on_filter_copy, &w);
	/* compiled at once for Docker's default set: a candidate libseccomp
	 * refuses is an error before anything runs */
	if (o->shadow && !(err = shadow_compile(&w, 0, docker_default_caps()))) {
		w.shadow_caps[0] = docker_default_caps();
		w.n_shadow = 1;
	}
	if (o->shadow && err) {
		json_error(o->json, "cannot compile the candidate profile");
		observer_close(w.obs);
		replay_stop(w.replay);
		report_sink_free(&w.out);
		rc = EXIT_BADINPUT;
		goto out_opts;
	}
	if (container_filtering(o) && cgroup2_root()) {
		scan_state = &w;
		if (nftw(cgroup2_root(), scan_cgroup, 32, FTW_PHYS | FTW_MOUNT))
			fprintf(stderr, "sclens: warning: cannot walk %s (%s): containers are decided as their "
					"first event arrives\n", cgroup2_root(), strerror(errno));
		else if (!scan_matches)
			fprintf(stderr, "sclens: warning: no running container matches --container/--pod/--namespace/--image "
					"yet; waiting for one to start\n");
	}
	if (hooks && hooks->started && (err = hooks->started(hooks->arg, w.obs))) {
		rc = err == -EADDRINUSE || err == -EACCES ? EXIT_ENV : EXIT_FAIL;
		observer_close(w.obs);
		replay_stop(w.replay);
		report_sink_free(&w.out);
		goto out_opts;
	}
	const char *why = observer_method_note(w.obs);
	fprintf(stderr, "sclens: watching for seccomp denials (method %s%s%s); Ctrl-C to stop\n",
		observer_method(w.obs), why ? ": " : "", why ? why : "");
	clock_gettime(CLOCK_MONOTONIC, &start);
	int out_err = 0;
	while (!sclens_exiting) {
		if (hooks) {
			/* the lock only while events are handled: a scrape
			 * does not wait out the poll's timeout */
			err = observer_wait(w.obs, 100);
			if (err > 0) {
				hooks_lock(hooks);
				err = observer_consume(w.obs);
				hooks_unlock(hooks);
			}
		} else {
			err = observer_poll(w.obs, 100);
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (sclens_reload && hooks) {
			sclens_reload = 0;
			hooks_lock(hooks);
			containers_reset(); /* re-read the runtimes' state */
			for (int i = 0; i < w.n_sinks; i++)
				if (w.sinks[i]->containers_dropped)
					w.sinks[i]->containers_dropped(w.sinks[i]);
			for (int i = 0; i < w.n_sinks; i++)
				if (w.sinks[i]->reopen && (err = w.sinks[i]->reopen(w.sinks[i])))
					fprintf(stderr, "sclens: SIGHUP: cannot reopen the %s output: %s\n", w.sinks[i]->name,
						strerror(-err));
			if (hooks->reload)
				hooks->reload(hooks->arg, w.obs);
			hooks_unlock(hooks);
			fprintf(stderr, "sclens: SIGHUP: output reopened, runtime state re-read\n");
			err = 0;
		}
		if (now.tv_sec != last_tick.tv_sec) {
			last_tick = now;
			uint64_t now_ns = (uint64_t)now.tv_sec * 1000000000ULL + now.tv_nsec;
			if (hooks)
				hooks_lock(hooks);
			for (int i = 0; i < w.n_sinks; i++)
				if (w.sinks[i]->tick)
					w.sinks[i]->tick(w.sinks[i], now_ns, false);
			if (hooks && hooks->tick)
				hooks->tick(hooks->arg, w.obs, now_ns);
			/* by elapsed time, not on a multiple of ten: a busy
			 * second must not skip it */
			if (hooks && now.tv_sec - last_prune >= 10) {
				last_prune = now.tv_sec;
				prune_caches(&w);
			}
			if (hooks)
				hooks_unlock(hooks);
		}
		if ((out_err = output_failed(stdout, "the events"))) {
			/* a reader that left (EPIPE) ends watch quietly */
			rc = out_err == -EPIPE ? EXIT_OK : EXIT_FAIL;
			break;
		}
		/* only SIGINT and SIGTERM stop watch (sclens_exiting); a stop and
		 * continue, or a tracer attaching, also cut epoll_wait short */
		if (err == -EINTR)
			continue;
		if (err == -ECANCELED)
			break;
		if (err < 0) {
			fprintf(stderr, "sclens: polling the ring buffer failed: %s\n", strerror(-err));
			rc = EXIT_FAIL;
			break;
		}
		if (o->max_count && w.printed >= (uint64_t)o->max_count)
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		/* whole nanoseconds: whole seconds cut "-d 1" to a fraction of one */
		if (o->duration_s && (now.tv_sec - start.tv_sec) * 1000000000LL + (now.tv_nsec - start.tv_nsec) >=
					     o->duration_s * 1000000000LL)
			break;
	}
	/* drain what is already in the buffer */
	if (rc == EXIT_OK && !(o->max_count && w.printed >= (uint64_t)o->max_count)) {
		err = observer_poll(w.obs, 0);
		if (err < 0 && err != -EINTR && err != -ECANCELED) {
			fprintf(stderr, "sclens: draining the ring buffer failed: %s\n", strerror(-err));
			rc = EXIT_FAIL;
		}
	}
	if (hooks) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		uint64_t now_ns = (uint64_t)now.tv_sec * 1000000000ULL + now.tv_nsec;
		hooks_lock(hooks);
		for (int i = 0; i < w.n_sinks; i++)
			if (w.sinks[i]->tick)
				w.sinks[i]->tick(w.sinks[i], now_ns, true);
		if (hooks->tick)
			hooks->tick(hooks->arg, w.obs, now_ns);
		hooks_unlock(hooks);
		/* unlocked: stopping a server thread may wait for its request */
		if (hooks->stopping)
			hooks->stopping(hooks->arg, w.obs);
		/* a sink that could not write its lines is a failure (a full disk) */
		for (int i = 0; i < w.n_sinks; i++) {
			int serr = w.sinks[i]->error ? w.sinks[i]->error(w.sinks[i]) : 0;
			if (serr) {
				fprintf(stderr, "sclens: writing the %s output failed: %s\n", w.sinks[i]->name,
					strerror(-serr));
				rc = EXIT_FAIL;
			}
		}
	}
	if (!out_err && (out_err = output_failed(stdout, "the events")))
		rc = out_err == -EPIPE ? EXIT_OK : EXIT_FAIL;
	if (!hooks || !hooks->no_summary)
		print_summary(&w, rc && !out_err ? "polling failed" : NULL, out_err);
	if (!out_err && (out_err = output_failed(stdout, "the summary")) && out_err != -EPIPE)
		rc = EXIT_FAIL;
	observer_close(w.obs);
	replay_stop(w.replay);
	report_sink_free(&w.out);
out_opts:
	free_profiles(o);
	return rc;
}
