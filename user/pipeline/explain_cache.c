// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "explain_cache.h"
#include "overflow.h"

#define SLOTS 4096 /* a power of two */
#define MAX_USED (SLOTS * 3 / 4)

struct slot {
	bool used;
	bool args_probe;      /* a "do the arguments matter" entry, not an explanation */
	const struct profile *src;
	uint64_t caps;
	uint32_t arch;
	const char *name;     /* syscall_name()'s string: one per (arch, nr), lives until exit */
	uint64_t args[6];
	bool args_matter;     /* args_probe: the profile conditions on this call's arguments */
	struct explanation x;
};

struct explain_cache {
	struct slot *slots;
	int used;
	uint64_t hits, misses, generation;
};

int explain_cache_new(struct explain_cache **out)
{
	struct explain_cache *c = calloc(1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	c->slots = calloc(SLOTS, sizeof(*c->slots));
	if (!c->slots) {
		free(c);
		return -ENOMEM;
	}
	*out = c;
	return 0;
}

static void clear(struct explain_cache *c)
{
	for (int i = 0; i < SLOTS; i++)
		if (c->slots[i].used && !c->slots[i].args_probe)
			explanation_free(&c->slots[i].x);
	memset(c->slots, 0, SLOTS * sizeof(*c->slots));
	c->used = 0;
	c->generation++;
}

void explain_cache_free(struct explain_cache *c)
{
	if (!c)
		return;
	clear(c);
	free(c->slots);
	free(c);
}

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	return h;
}

static bool same(const struct slot *s, bool probe, const struct profile *src, uint64_t caps, uint32_t arch,
		 const char *name, const uint64_t *args)
{
	return s->args_probe == probe && s->src == src && s->caps == caps && s->arch == arch && s->name == name &&
	       (!args || !memcmp(s->args, args, sizeof(s->args)));
}

/* The slot of a key: found (used) or where it goes (unused) */
static struct slot *find(struct explain_cache *c, bool probe, const struct profile *src, uint64_t caps,
			 uint32_t arch, const char *name, const uint64_t *args)
{
	uint64_t h = mix(mix(mix(mix((uintptr_t)src, caps), arch), (uintptr_t)name), probe);
	for (int i = 0; args && i < 6; i++)
		h = mix(h, args[i]);
	for (unsigned int i = h & (SLOTS - 1);; i = (i + 1) & (SLOTS - 1)) {
		struct slot *s = &c->slots[i];
		if (!s->used || same(s, probe, src, caps, arch, name, args))
			return s;
	}
}

static bool conditions_on_args(const struct profile *src, const char *name)
{
	for (int i = 0; i < src->n_rules; i++)
		if (src->rules[i].n_args && rule_names(&src->rules[i], name))
			return true;
	return false;
}

const struct explanation *explain_cached(struct explain_cache *c, const struct profile *src, uint64_t caps,
					 const struct sc_call *call)
{
	static const uint64_t no_args[6];
	struct sc_target t;

	if (c->used >= MAX_USED) {
		overflow_count(OVERFLOW_EXPLANATIONS);
		clear(c);
	}
	/* first: does this profile look at this call's arguments at all? */
	struct slot *probe = find(c, true, src, 0, call->arch, call->name, no_args);
	if (!probe->used) {
		*probe = (struct slot){ .used = true, .args_probe = true, .src = src, .arch = call->arch,
					.name = call->name, .args_matter = conditions_on_args(src, call->name) };
		c->used++;
	}
	const uint64_t *args = probe->args_matter ? call->args : no_args;
	struct slot *s = find(c, false, src, caps, call->arch, call->name, args);
	if (s->used) {
		c->hits++;
		return &s->x;
	}
	c->misses++;
	sc_target_host(&t);
	t.caps = caps;
	if (explain_call(src, &t, call, &s->x))
		return NULL;
	s->used = true;
	s->src = src;
	s->caps = caps;
	s->arch = call->arch;
	s->name = call->name;
	memcpy(s->args, args, sizeof(s->args));
	c->used++;
	return &s->x;
}

uint64_t explain_cache_generation(const struct explain_cache *c)
{
	return c->generation;
}

void explain_cache_stats(const struct explain_cache *c, uint64_t *hits, uint64_t *misses)
{
	*hits = c->hits;
	*misses = c->misses;
}
