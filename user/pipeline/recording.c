// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#define _GNU_SOURCE
#include <errno.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include "array.h"
#include "cgroup.h"
#include "containers.h"
#include "json_writer.h"
#include "observer.h"
#include "selector.h"
#include "recording.h"

struct recording {
	struct watch_opts *w;
	struct observer *obs;
	struct recorded_cgroup *seen;
	size_t n_seen, cap_seen;
	bool no_wait; /* at start and at the end: every cgroup is decided at once */
	uint64_t held; /* a cgroup whose only task waits to start: new, not running */
};

int recording_new(struct recording **out, struct watch_opts *w)
{
	struct recording *r = calloc(1, sizeof(*r));

	if (!r)
		return -ENOMEM;
	r->w = w;
	w->filters.record = true;
	*out = r;
	return 0;
}

void recording_free(struct recording *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_seen; i++)
		free(r->seen[i].who);
	free(r->seen);
	free(r);
}

const struct recorded_cgroup *recording_find(const struct recording *r, uint64_t id)
{
	for (size_t i = 0; r && i < r->n_seen; i++)
		if (r->seen[i].id == id)
			return &r->seen[i];
	return NULL;
}

const struct recorded_cgroup *recording_at(const struct recording *r, size_t i)
{
	return i < r->n_seen ? &r->seen[i] : NULL;
}

const struct watch_opts *recording_selection(const struct recording *r)
{
	return r->w;
}

/* Named now: the container may be gone, and its files with it, by the
 * time the recording is written */
static char *who_of(const struct container *ct)
{
	struct sbuf b;
	struct jw w;
	char *who = NULL;

	sb_init(&b);
	jw_init(&w, &b);
	jw_obj_begin(&w);
	container_json(&w, ct);
	jw_obj_end(&w);
	if (!b.oom && b.len > 2)
		who = strndup(b.s + 1, b.len - 2);
	sb_free(&b);
	return who;
}

/* Decides a cgroup the kernel has been recording (undecided): kept if it
 * is one the user selected, else its calls are dropped. Nothing while the
 * cgroup waits for its runtime to name it. */
static void decide(struct recording *r, uint64_t id, bool from_start)
{
	const char *path = cgroup_path_of_id(id);
	bool naming;
	const struct container *ct = container_resolve(id, path, NULL, &naming);

	/* a new cgroup its runtime has not named yet: the kernel keeps
	 * recording it, and it is decided on a later tick */
	if (naming && !r->no_wait)
		return;
	bool want = watch_cgroup_wanted(r->w, id, ct);
	if (ARRAY_GROW(r->seen, r->cap_seen, r->n_seen, 256))
		return; /* decided on a later tick */
	r->seen[r->n_seen++] = (struct recorded_cgroup){ .id = id, .recorded = want, .from_start = from_start,
							  .who = want ? who_of(ct) : NULL };
	observer_record_decide(r->obs, id, want);
	if (!want)
		observer_record_forget(r->obs, id);
}

static struct recording *scanning;

static int scan_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)path;
	(void)ftw;
	if (type == FTW_D && st->st_ino != scanning->held && !recording_find(scanning, st->st_ino))
		decide(scanning, st->st_ino, false);
	return 0;
}

void recording_hold(struct recording *r, uint64_t cgroup_id)
{
	r->held = cgroup_id;
}

void recording_started(struct recording *r, struct observer *obs)
{
	r->obs = obs;
	if (!cgroup2_root())
		return;
	scanning = r;
	/* running already: not from their start, whatever names them */
	r->no_wait = true;
	nftw(cgroup2_root(), scan_one, 32, FTW_PHYS | FTW_MOUNT);
	r->no_wait = false;
}

static int decide_key(const struct sclens_rec_key *k, uint64_t n, void *arg)
{
	struct recording *r = arg;

	(void)n;
	if (!recording_find(r, k->cgroup_id))
		decide(r, k->cgroup_id, true);
	return 0;
}

void recording_decide(struct recording *r, uint64_t id)
{
	if (r->obs && !recording_find(r, id))
		decide(r, id, true);
}

void recording_decide_new(struct recording *r, bool final)
{
	if (!r->obs)
		return;
	r->no_wait = final;
	observer_record_counts(r->obs, decide_key, r);
	r->no_wait = false;
}

void recording_prune(struct recording *r)
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
