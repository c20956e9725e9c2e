/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Loading an (effective) profile into the kernel with libseccomp, and
 * capability sets, as a runtime would. */
#ifndef SCLENS_APPLY_H
#define SCLENS_APPLY_H

#include <stddef.h>
#include <stdint.h>
#include "profile.h"

/* Builds a libseccomp filter from an effective profile and loads it on
 * the calling thread (sets no_new_privs). 0 or a negative errno; *skipped
 * counts entries libseccomp refused (unknown names), as runc skips them. */
int profile_apply(const struct profile *eff, int *skipped);
/* The same filter, as the classic BPF program libseccomp generates
 * (for tests and replay); *prog is malloc'd. */
struct sock_filter;
int profile_export_bpf(const struct profile *eff, struct sock_filter **prog, size_t *len);
/* Limits the bounding set and current sets to caps (needs CAP_SETPCAP). */
int caps_limit(uint64_t caps);

#endif
