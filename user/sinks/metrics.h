/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The daemon's Prometheus endpoint (/metrics, text exposition format 0.0.4),
 * served by libmicrohttpd. Denial counts come from the kernel's own map at
 * scrape time, so they stay exact under storms; labels from the container
 * caches, read under the pipeline's lock. A sink of the pipeline that
 * reads no record: what it serves is the kernel's. */
#ifndef SCLENS_METRICS_H
#define SCLENS_METRICS_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include "observer.h"
#include "sink.h"

struct web_config;

struct metrics_opts {
	const char *addr;	/* HOST:PORT or [V6]:PORT */
	struct web_config *web; /* TLS and basic authentication, or NULL */
	uint64_t retention_s;	/* series of cgroups gone this long are dropped */
	const char *version;
};

struct metrics;

/* Parses HOST:PORT; 0 or -EINVAL. */
int metrics_parse_addr(const char *addr, struct sockaddr_storage *ss, socklen_t *len);
/* Starts serving. 0, or -EADDRINUSE, -EACCES, -EINVAL, ... */
int metrics_start(struct metrics **out, const struct metrics_opts *o, struct observer *obs, pthread_mutex_t *lock);
/* The metrics page, as a scrape gets it (tests, and --metrics-addr none). */
char *metrics_render(struct metrics *m, size_t *len);
/* Under the lock, about once a second: drops the counts of cgroups gone
 * for longer than the retention (from the kernel's map too). */
void metrics_tick(struct metrics *m, uint64_t now_ns);
/* Reads which cgroups have counts now (before the caches are pruned) */
void metrics_refresh(struct metrics *m);
/* Is this cgroup's series served (so caches keep its labels)? As of the
 * last metrics_refresh(). */
bool metrics_keeps(struct metrics *m, uint64_t cgroup_id);
void metrics_stop(struct metrics *m);

/* The metrics as the pipeline's sink (sink.h): started() serves them
 * (addr "none": not served), stopping() stops. NULL: out of memory. */
struct sink *metrics_sink_new(const struct metrics_opts *o, pthread_mutex_t *lock);
void metrics_sink_free(struct sink *s);

#endif
