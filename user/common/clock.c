// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The clocks of events and of their readers: events carry CLOCK_MONOTONIC
 * (bpf_ktime_get_ns); people and other hosts read UTC. */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "clock.h"

const char *node_name(void)
{
	static char name[256];
	const char *env;

	if (name[0])
		return name;
	/* in a pod, the host name is the pod's: a DaemonSet passes the
	 * node's (spec.nodeName) */
	if ((env = getenv("SCLENS_NODE_NAME")) && *env)
		snprintf(name, sizeof(name), "%s", env);
	else if (gethostname(name, sizeof(name) - 1))
		snprintf(name, sizeof(name), "unknown");
	return name;
}

uint64_t event_clock_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

void event_time_rfc3339(uint64_t mono_ns, char *out, size_t n)
{
	/* realtime - monotonic, measured again each second of events: an NTP
	 * step or `date -s` moves the wall clock, never the monotonic one */
	static int64_t offset_ns;
	static uint64_t measured_at;
	struct timespec rt, mt;

	if (!measured_at || mono_ns - measured_at >= 1000000000ULL) {
		clock_gettime(CLOCK_REALTIME, &rt);
		clock_gettime(CLOCK_MONOTONIC, &mt);
		offset_ns = ((int64_t)rt.tv_sec - mt.tv_sec) * 1000000000LL + (rt.tv_nsec - mt.tv_nsec);
		measured_at = mono_ns ? mono_ns : 1;
	}
	int64_t real = (int64_t)mono_ns + offset_ns;
	time_t secs = real / 1000000000LL;
	/* a storm's events share their second: format it once */
	static time_t last_secs = -1;
	static char prefix[32];
	if (secs != last_secs) {
		struct tm tm;
		gmtime_r(&secs, &tm);
		strftime(prefix, sizeof(prefix), "%Y-%m-%dT%H:%M:%S", &tm);
		last_secs = secs;
	}
	long long frac = real % 1000000000LL;
	char digits[10];
	for (int i = 8; i >= 0; i--, frac /= 10)
		digits[i] = '0' + frac % 10;
	digits[9] = 0;
	snprintf(out, n, "%s.%sZ", prefix, digits);
}

