// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "observer.h"
#include "repeats.h"

struct key_entry {
	struct sclens_count_key k;
	uint64_t repeated;  /* of its unsent denials, those already said */
	uint64_t written;   /* shown since its last repeat */
	uint64_t since_ns;  /* its interval's start */
	bool used, shown;   /* shown: one of its events went to the sinks */
};

/* a cgroup's events held back so far, as last read */
struct cg_entry {
	uint64_t id;
	uint64_t suppressed;
	bool changed; /* since the last tick */
};

#define SLOTS (REPEATS_MAX_KEYS * 2)
#define CG_SLOTS (SCLENS_COUNT_CGROUPS * 2)

struct repeats {
	struct key_entry *keys;
	struct cg_entry *cgs;
	size_t n_keys, n_cgs;
	uint64_t untracked;
	uint64_t lost_seen; /* the ring buffer's losses, as last read */
};

int repeats_new(struct repeats **out)
{
	struct repeats *r = calloc(1, sizeof(*r));

	if (r) {
		r->keys = calloc(SLOTS, sizeof(*r->keys));
		r->cgs = calloc(CG_SLOTS, sizeof(*r->cgs));
	}
	if (!r || !r->keys || !r->cgs) {
		repeats_free(r);
		return -ENOMEM;
	}
	*out = r;
	return 0;
}

void repeats_free(struct repeats *r)
{
	if (!r)
		return;
	free(r->keys);
	free(r->cgs);
	free(r);
}

void repeats_count_key(const struct sclens_event *e, struct sclens_count_key *k)
{
	memset(k, 0, sizeof(*k));
	k->cgroup_id = e->cgroup_id;
	k->arch = e->arch;
	k->nr = e->nr;
	k->action = e->action;
	k->err = e->err;
	if (k->nr < 0 || (k->nr & ~SCLENS_X32_SYSCALL_BIT) >= SCLENS_COUNT_NR_LIMIT)
		k->nr = SCLENS_COUNT_NR_UNKNOWN;
	if (k->err > SCLENS_COUNT_ERRNO_NAMED && k->action != SCLENS_ACT_TRAP && k->action != SCLENS_ACT_KILL_PROCESS &&
	    k->action != SCLENS_ACT_KILL_THREAD)
		k->err = 4095;
}

static uint64_t mix(uint64_t h, uint64_t v)
{
	return (h ^ v) * 0x9e3779b97f4a7c15ULL;
}

static size_t key_slot(const struct repeats *r, const struct sclens_count_key *k)
{
	uint64_t h = mix(mix(mix(mix(mix(0, k->cgroup_id), k->arch), (uint32_t)k->nr), k->action), (uint32_t)k->err);
	size_t i = (h >> 17) % SLOTS;

	while (r->keys[i].used && memcmp(&r->keys[i].k, k, sizeof(*k)))
		i = (i + 1) % SLOTS;
	return i;
}

static struct cg_entry *cg_slot(struct repeats *r, uint64_t id, bool add)
{
	size_t i = (mix(0, id) >> 17) % CG_SLOTS;

	while (r->cgs[i].id && r->cgs[i].id != id)
		i = (i + 1) % CG_SLOTS;
	if (!r->cgs[i].id) {
		if (!add || r->n_cgs * 2 >= CG_SLOTS)
			return NULL;
		r->cgs[i].id = id;
		r->n_cgs++;
	}
	return &r->cgs[i];
}

void repeats_saw(struct repeats *r, const struct sclens_event *e, bool shown)
{
	struct sclens_count_key k;

	if (!r || e->type != SCLENS_EV_DENIAL)
		return;
	repeats_count_key(e, &k);
	size_t i = key_slot(r, &k);
	struct key_entry *ke = &r->keys[i];
	if (!ke->used) {
		/* a table full as the kernel's own map: counted, not followed */
		if (r->n_keys >= REPEATS_MAX_KEYS || !cg_slot(r, k.cgroup_id, true)) {
			r->untracked++;
			return;
		}
		*ke = (struct key_entry){ .k = k, .used = true };
		r->n_keys++;
	}
	if (!ke->since_ns)
		ke->since_ns = e->ts_ns; /* the same clock as the ticks' (CLOCK_MONOTONIC) */
	if (shown) {
		ke->shown = true;
		ke->written++;
	}
}

void repeats_tick(struct repeats *r, struct observer *obs, uint64_t now_ns, repeats_fn fn, void *arg)
{
	struct observer_counts c;
	bool lost = false;

	if (!r || !obs)
		return;
	/* losses in the ring buffer: any key may have some */
	if (!observer_counts(obs, &c) && c.lost != r->lost_seen) {
		r->lost_seen = c.lost;
		lost = true;
	}
	/* which cgroups had events held back since the last tick */
	for (size_t i = 0; i < CG_SLOTS; i++) {
		struct cg_entry *cg = &r->cgs[i];
		uint64_t s = cg->id ? observer_cgroup_suppressed(obs, cg->id) : 0;
		if (cg->id && (cg->changed = s != cg->suppressed))
			cg->suppressed = s;
	}
	for (size_t i = 0; i < SLOTS; i++) {
		struct key_entry *ke = &r->keys[i];
		struct cg_entry *cg = ke->used ? cg_slot(r, ke->k.cgroup_id, false) : NULL;
		uint64_t n;
		if (!ke->used || !(lost || (cg && cg->changed)) || observer_denial_unsent(obs, &ke->k, &n) ||
		    n <= ke->repeated)
			continue;
		uint64_t since = ke->since_ns && ke->since_ns < now_ns ? ke->since_ns : now_ns;
		struct repeat_record rr = { .key = &ke->k, .count = n - ke->repeated,
					    .written = ke->written, .since_ns = since, .interval_s = (now_ns - since) / 1e9 };
		ke->repeated += rr.count;
		if (ke->shown && fn)
			fn(&rr, arg);
		ke->written = 0;
		ke->since_ns = now_ns;
	}
}

void repeats_retain(struct repeats *r, bool (*keep)(uint64_t cgroup_id, void *arg), void *arg)
{
	if (!r)
		return;
	struct key_entry *old = r->keys;
	struct key_entry *fresh = calloc(SLOTS, sizeof(*fresh));
	if (!fresh)
		return;
	r->keys = fresh;
	r->n_keys = 0;
	for (size_t i = 0; i < SLOTS; i++)
		if (old[i].used && keep(old[i].k.cgroup_id, arg)) {
			r->keys[key_slot(r, &old[i].k)] = old[i];
			r->n_keys++;
		}
	free(old);
	/* the cgroups again, from the keys kept */
	memset(r->cgs, 0, CG_SLOTS * sizeof(*r->cgs));
	r->n_cgs = 0;
	for (size_t i = 0; i < SLOTS; i++)
		if (r->keys[i].used)
			cg_slot(r, r->keys[i].k.cgroup_id, true);
}

uint64_t repeats_untracked(const struct repeats *r)
{
	return r ? r->untracked : 0;
}
