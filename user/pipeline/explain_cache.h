/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Explanations, made once per (profile, capabilities, arch, syscall, and
 * the argument values when the profile conditions on them), so that a
 * storm of one denial is reported at ring-buffer speed. Bounded: when
 * full it starts again. */
#ifndef SCLENS_EXPLAIN_CACHE_H
#define SCLENS_EXPLAIN_CACHE_H

#include <stdint.h>
#include "fix.h"

struct explain_cache;

int explain_cache_new(struct explain_cache **out);
void explain_cache_free(struct explain_cache *c);
/* The explanation of call against src for a container with caps; NULL
 * when it cannot be made. Valid until the next call. */
const struct explanation *explain_cached(struct explain_cache *c, const struct profile *src, uint64_t caps,
					 const struct sc_call *call);
/* Changes whenever earlier explanations may have been dropped */
uint64_t explain_cache_generation(const struct explain_cache *c);
/* Counters, for tests and the bench */
void explain_cache_stats(const struct explain_cache *c, uint64_t *hits, uint64_t *misses);

#endif
