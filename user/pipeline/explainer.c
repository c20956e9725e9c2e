// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <seccomp.h>
#include "array.h"
#include "explain_cache.h"
#include "explainer.h"
#include "names.h"
#include "overflow.h"

struct seen_call {
	char *key; /* scope/call */
	uint64_t count;
};

/* (container, call) pairs remembered for the once-per-fix rule: past this,
 * a long-running daemon forgets them all and tells each fix once more */
#define SEEN_MAX 16384
/* open addressing at most half full, so a lookup is a probe or two: every
 * explained denial asks */
#define SEEN_SLOTS (2 * SEEN_MAX)

struct explainer {
	struct explain_cache *cache;
	struct seen_call *seen;
	int n_seen, cap_seen;
	int32_t *seen_slot; /* SEEN_SLOTS: index in seen + 1, 0 for none */
	uint64_t first;
	struct explained out;
	struct explanation copy; /* the cache's, with this container's words */
	/* what out.id was given for: a storm of one denial keeps its id */
	const struct explanation *last_x;
	uint64_t last_generation;
	const char *last_engine, *last_ref;
	char *last_title;
};

int explainer_new(struct explainer **out)
{
	struct explainer *x = calloc(1, sizeof(*x));

	if (!x)
		return -ENOMEM;
	*out = x;
	return 0;
}

static void forget_seen(struct explainer *x)
{
	for (int i = 0; i < x->n_seen; i++)
		free(x->seen[i].key);
	x->n_seen = 0;
	if (x->seen_slot)
		memset(x->seen_slot, 0, SEEN_SLOTS * sizeof(*x->seen_slot));
}

void explainer_free(struct explainer *x)
{
	if (!x)
		return;
	forget_seen(x);
	free(x->seen);
	free(x->seen_slot);
	free(x->last_title);
	explain_cache_free(x->cache);
	free(x);
}

void explainer_drop(struct explainer *x)
{
	explain_cache_free(x->cache);
	x->cache = NULL;
	x->last_x = NULL;
}

uint64_t explainer_first_count(const struct explainer *x)
{
	return x->first;
}

static uint32_t key_hash(const char *key)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h;
}

/* The slot of key: where it is, or the empty one where it would go */
static int32_t *seen_slot_of(struct explainer *x, const char *key)
{
	for (uint32_t i = key_hash(key);; i++) {
		int32_t *slot = &x->seen_slot[i & (SEEN_SLOTS - 1)];

		if (!*slot || !strcmp(x->seen[*slot - 1].key, key))
			return slot;
	}
}

/* Occurrence number of key (1 for the first; 1 again when out of memory) */
static uint64_t seen_bump(struct explainer *x, const char *key)
{
	int32_t *slot;

	if (!x->seen_slot && !(x->seen_slot = calloc(SEEN_SLOTS, sizeof(*x->seen_slot))))
		return 1;
	slot = seen_slot_of(x, key);
	if (*slot)
		return ++x->seen[*slot - 1].count;
	if (x->n_seen == SEEN_MAX) {
		overflow_count(OVERFLOW_FIXES_TOLD);
		forget_seen(x);
		slot = seen_slot_of(x, key);
	}
	if (ARRAY_GROW(x->seen, x->cap_seen, x->n_seen, 32))
		return 1;
	x->seen[x->n_seen].key = strdup(key);
	x->seen[x->n_seen].count = 1;
	if (!x->seen[x->n_seen].key)
		return 1;
	*slot = ++x->n_seen;
	return 1;
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static uint32_t scmp_arch_of(const struct sclens_event *e)
{
	if (e->arch == SCLENS_ARCH_X86_64 && e->nr >= 0 && (e->nr & SCLENS_X32_SYSCALL_BIT))
		return SCMP_ARCH_X32;
	return e->arch;
}

/* A new id whenever what a renderer would print changes */
static void settle_id(struct explainer *x, const struct explanation *cached, const struct explain_src *src)
{
	uint64_t gen = explain_cache_generation(x->cache);

	if (x->last_x == cached && x->last_generation == gen && same_str(x->last_engine, src->engine) &&
	    same_str(x->last_ref, src->profile_ref) && same_str(x->last_title, src->title))
		return;
	x->out.id++;
	x->last_x = cached;
	x->last_generation = gen;
	x->last_engine = src->engine;
	x->last_ref = src->profile_ref;
	free(x->last_title);
	x->last_title = src->title ? strdup(src->title) : NULL;
	if (src->title && !x->last_title)
		x->last_x = NULL; /* out of memory: never matches, so never stale */
}

const struct explained *explainer_explain(struct explainer *x, const struct sclens_event *e,
					  const struct explain_src *src, const char *scope)
{
	const struct explanation *cached;
	struct explained *o = &x->out;
	char key[256];

	if (!src || !src->profile || !(o->call.name = syscall_name(e->arch, e->nr)))
		return NULL;
	o->call.arch = scmp_arch_of(e);
	memcpy(o->call.args, e->args, sizeof(o->call.args));
	if (!x->cache && explain_cache_new(&x->cache))
		return NULL;
	/* Docker converts the profile for the container's bounding set; the
	 * process's own set is the next best guess */
	cached = explain_cached(x->cache, src->profile, src->has_caps ? src->caps : e->cap_eff, &o->call);
	if (!cached)
		return NULL;
	x->copy = *cached; /* the cache owns what it points to */
	x->copy.engine = src->engine;
	x->copy.profile_ref = src->profile_ref;
	x->copy.profile_title = src->title;
	x->copy.localhost_ref = src->localhost_ref;
	settle_id(x, cached, src);
	o->x = &x->copy;
	o->profile = src->profile;
	snprintf(key, sizeof(key), "%s/%s", scope ? scope : "", o->call.name);
	o->occurrence = seen_bump(x, key);
	if (o->occurrence == 1)
		x->first++;
	return o;
}
