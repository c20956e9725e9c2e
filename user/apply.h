/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Loading an (effective) profile into the kernel with libseccomp, and
 * capability sets, as a runtime would. */
#ifndef SCLENS_APPLY_H
#define SCLENS_APPLY_H

#include <stdint.h>
#include "profile.h"

/* Builds a libseccomp filter from an effective profile and loads it on
 * the calling thread (sets no_new_privs). 0 or a negative errno; *skipped
 * counts entries libseccomp refused (unknown names), as runc skips them. */
int profile_apply(const struct profile *eff, int *skipped);
/* Limits the bounding set and current sets to caps (needs CAP_SETPCAP). */
int caps_limit(uint64_t caps);

#endif
