// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * make bench: the cost of sclens, measured.
 *  1. The kernel's own run-time accounting (BPF_STATS_RUN_TIME) of each
 *     program, in ns per run, while a filtered and an unfiltered process
 *     run a tight loop of allowed syscalls.
 *  2. Wall-clock time of the filtered loop with and without sclens
 *     attached, alternated in one run; the ratio of the medians.
 *  3. A storm of denials from one process: reported vs counted as lost.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "observer.h"

static const char *scdeny = "build/tests/scdeny";

/* Runs scdeny MODE N and returns the ns it printed (loop modes), or 0. */
static long long run_helper(const char *mode, long n)
{
	char cmd[512], line[256];
	long long ns = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "%s %s %ld", scdeny, mode, n);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p)) {
		char *s = strstr(line, "ns=");
		if (s)
			ns = atoll(s + 3);
	}
	pclose(p);
	return ns;
}

static uint64_t reported;

static int count_event(const struct sclens_event *e, void *arg)
{
	(void)arg;
	if (e->type == SCLENS_EV_DENIAL)
		reported++;
	return 0;
}

static void stats_snapshot(struct observer *o, struct observer_prog_stats *s, int *n)
{
	*n = observer_prog_stats(o, s, 8);
}

/* ns per run of the named program in the last delta */
static double last_ns[8];
static const char *last_name[8];

static double ns_of(const char *name, int n)
{
	for (int i = 0; i < n; i++)
		if (last_name[i] && !strcmp(last_name[i], name))
			return last_ns[i];
	return 0;
}

static void print_stats_delta(const char *label, struct observer_prog_stats *a, struct observer_prog_stats *b,
			      int n, long calls)
{
	printf("  %s (%ld calls):\n", label, calls);
	for (int i = 0; i < n; i++) {
		uint64_t runs = b[i].run_cnt - a[i].run_cnt, ns = b[i].run_time_ns - a[i].run_time_ns;
		last_name[i] = b[i].name;
		last_ns[i] = runs ? (double)ns / runs : 0;
		if (!runs)
			continue;
		printf("    %-28s %10llu runs  %6.1f ns/run\n", b[i].name, (unsigned long long)runs,
		       (double)ns / runs);
	}
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return x < y ? -1 : x > y;
}

static int open_observer(struct observer **o, bool floor)
{
	struct observer_filters f = { .nr = -1, .bench_floor = floor };

	return observer_open(o, &f, false, count_event, NULL);
}

int main(int argc, char **argv)
{
	long loop_n = argc > 1 ? atol(argv[1]) : 2000000;
	long storm_n = argc > 2 ? atol(argv[2]) : 1000000;
	int rounds = 5;
	struct observer *o;
	struct observer_prog_stats s0[8], s1[8];
	int n, stats_fd;
	long long with[16], without[16];

	if (observer_preflight())
		return 3;
	stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (stats_fd < 0) {
		fprintf(stderr, "bench: bpf_enable_stats failed: %s\n", strerror(errno));
		return 1;
	}
	if (open_observer(&o, true))
		return 1;

	printf("1. BPF run time per program (kernel accounting, BPF_STATS_RUN_TIME);\n"
	       "   bench_floor is an empty program on sys_enter: the accounting's own floor;\n"
	       "   bench_early_return is a copy of the early return every syscall pays\n");
	stats_snapshot(o, s0, &n);
	run_helper("loop_allowed", loop_n);
	stats_snapshot(o, s1, &n);
	print_stats_delta("filtered process, allowed getppid loop", s0, s1, n, loop_n);
	double f_enter = ns_of("handle_sys_enter", n), f_exit = ns_of("handle_sys_exit", n);
	double floor_ns = ns_of("bench_floor", n), early = ns_of("bench_early_return", n);
	stats_snapshot(o, s0, &n);
	run_helper("loop_unfiltered", loop_n);
	stats_snapshot(o, s1, &n);
	print_stats_delta("unfiltered process, getppid loop", s0, s1, n, loop_n);
	double u_enter = ns_of("handle_sys_enter", n), u_exit = ns_of("handle_sys_exit", n);
	printf("  above the floor, per allowed call of a filtered task (enter + exit): %.1f ns\n",
	       f_enter + f_exit - 2 * floor_ns);
	printf("  of which the filter work over an unfiltered task's early return: %.1f ns\n",
	       (f_enter - u_enter) + (f_exit - u_exit));
	printf("  the bare early return (bench_early_return - bench_floor): %.1f ns per program\n", early - floor_ns);
	observer_close(o);
	close(stats_fd); /* the accounting itself costs time: off for 2 and 3 */

	printf("\n2. Wall clock of the filtered loop (%ld getppid), %d rounds alternated\n", loop_n, rounds);
	for (int r = 0; r < rounds; r++) {
		without[r] = run_helper("loop_allowed", loop_n);
		if (open_observer(&o, false))
			return 1;
		with[r] = run_helper("loop_allowed", loop_n);
		observer_close(o);
	}
	qsort(with, rounds, sizeof(with[0]), cmp_ll);
	qsort(without, rounds, sizeof(without[0]), cmp_ll);
	printf("  median without sclens: %.1f ns/call\n", (double)without[rounds / 2] / loop_n);
	printf("  median with sclens:    %.1f ns/call\n", (double)with[rounds / 2] / loop_n);
	printf("  ratio with/without:    %.3f\n", (double)with[rounds / 2] / without[rounds / 2]);

	printf("\n3. Storm: %ld denials from one process, sclens consuming\n", storm_n);
	if (open_observer(&o, false))
		return 1;
	reported = 0;
	{
		pid_t child = fork();
		if (child == 0) {
			char nbuf[32];
			snprintf(nbuf, sizeof(nbuf), "%ld", storm_n);
			execl(scdeny, scdeny, "loop_denied", nbuf, (char *)NULL);
			_exit(127);
		}
		int st;
		while (waitpid(child, &st, WNOHANG) == 0)
			observer_poll(o, 50);
	}
	while (observer_poll(o, 200) > 0)
		;
	struct observer_counts c;
	observer_counts(o, &c);
	printf("  seen in kernel: %llu  reported: %llu  counted as lost: %llu  (seen = reported + lost: %s)\n",
	       (unsigned long long)c.denials, (unsigned long long)reported, (unsigned long long)c.lost,
	       c.denials == reported + c.lost ? "yes" : "NO");
	observer_close(o);
	return 0;
}
