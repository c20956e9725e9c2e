/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Prints kernel events, with the rule and fix when a profile is known;
 * a fix is printed once per (container, syscall), then counted. Shared by
 * `watch` and `run`. */
#ifndef SCLENS_REPORT_H
#define SCLENS_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include "event_fmt.h"
#include "profile.h"
#include "text.h"

struct fix_seen;

struct reporter {
	bool json;
	bool header_done;
	struct sbuf line;
	struct fix_seen *seen;
	int n_seen, cap_seen;
	uint64_t explained;
};

void reporter_init(struct reporter *r, bool json);
void reporter_free(struct reporter *r);
/* Prints one event; profile may be NULL (no explanation). scope names the
 * container (or cgroup) for the once-per-fix rule. */
void reporter_event(struct reporter *r, const struct sclens_event *e, struct event_ctx *c,
		    const struct profile *profile, const char *scope);

#endif
