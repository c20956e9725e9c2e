// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include "overflow.h"

/* counted from the pipeline's and the replay thread's sides, read by the
 * metrics server's: relaxed atomics, each count on its own */
static uint64_t counts[OVERFLOW_CACHES];

static const char *const names[OVERFLOW_CACHES] = {
	[OVERFLOW_RECORDER_KINDS] = "recorder_kinds", [OVERFLOW_EXPLANATIONS] = "explanations",
	[OVERFLOW_FIXES_TOLD] = "fixes_told",	      [OVERFLOW_FILTERS] = "filters",
	[OVERFLOW_REPLAY_QUEUE] = "replay_queue",     [OVERFLOW_LOG_KEYS] = "log_keys",
};

void overflow_count(enum overflow_cache which)
{
	if (which < OVERFLOW_CACHES)
		__atomic_add_fetch(&counts[which], 1, __ATOMIC_RELAXED);
}

uint64_t overflow_get(enum overflow_cache which)
{
	return which < OVERFLOW_CACHES ? __atomic_load_n(&counts[which], __ATOMIC_RELAXED) : 0;
}

const char *overflow_name(enum overflow_cache which)
{
	return which < OVERFLOW_CACHES ? names[which] : "unknown";
}
