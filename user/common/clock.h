/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The events' clock (CLOCK_MONOTONIC, as bpf_ktime_get_ns), wall time for
 * people, and the node's name that rides along with them */
#ifndef SCLENS_CLOCK_H
#define SCLENS_CLOCK_H

#include <stddef.h>
#include <stdint.h>

/* Now, on the events' clock (that of ts_ns) */
uint64_t event_clock_now_ns(void);
/* RFC 3339, UTC, nanoseconds, of a time on the events' clock */
void event_time_rfc3339(uint64_t mono_ns, char *out, size_t n);
/* this host's name, for "node" ($SCLENS_NODE_NAME first: a pod's host
 * name is the pod's) */
const char *node_name(void);

#endif
