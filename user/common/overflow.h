/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Bounded caches' overflows, counted where they happen and served as
 * sclens_cache_overflows_total{cache="..."}: a cap that bites is said */
#ifndef SCLENS_OVERFLOW_H
#define SCLENS_OVERFLOW_H

#include <stdint.h>

enum overflow_cache {
	OVERFLOW_RECORDER_KINDS, /* a denial kind past the recorder's budgets: only counted */
	OVERFLOW_EXPLANATIONS,	 /* the explanation cache full: emptied, explained again */
	OVERFLOW_FIXES_TOLD,	 /* the once-per-fix memory full: each fix told once more */
	OVERFLOW_FILTERS,	 /* a replayable filter dropped (least recently used) */
	OVERFLOW_REPLAY_QUEUE,	 /* a replay request refused: the queue full */
	OVERFLOW_LOG_KEYS,	 /* a cgroup's new log key past its budget: one over_budget line */
	OVERFLOW_CACHES,
};

void overflow_count(enum overflow_cache which);
uint64_t overflow_get(enum overflow_cache which);
/* "recorder_kinds", ...: the label value */
const char *overflow_name(enum overflow_cache which);

#endif
