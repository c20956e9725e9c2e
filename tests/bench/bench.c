// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * make bench: the cost of sclens, measured.
 *  1. The kernel's own run-time accounting (BPF_STATS_RUN_TIME) of each
 *     program, in ns per run, while a filtered and an unfiltered process
 *     run a tight loop of allowed syscalls, for each method.
 *  2. Wall-clock time of those loops, alternated in one run: no observer,
 *     the floor (an empty program on sys_exit: what any tracepoint method
 *     costs), sclens with one hook, sclens with two; medians, and sclens's
 *     overhead as a multiple of the floor's.
 *  3. A storm of denials from one process: reported vs counted as lost.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
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

enum config { C_NONE, C_FLOOR, C_ONE_HOOK, C_TWO_HOOKS, C_FEXIT_FLOOR, C_FEXIT, C_MAX };
static const char *config_name[C_MAX] = { "no observer", "floor (empty sys_exit)", "sclens, one hook",
					  "sclens, two hooks", "floor (empty fexit)", "sclens, fexit" };
/* fexit's two configurations run only where the kernel lets them load */
static bool config_ok[C_MAX] = { true, true, true, true, false, false };

static int open_config(struct observer **o, enum config c, bool floor_too)
{
	struct observer_filters f = { .nr = -1, .method = -1, .bench_floor = floor_too };

	*o = NULL;
	if (c == C_NONE)
		return 0;
	if (c == C_FLOOR)
		f.bench_floor_only = true;
	else if (c == C_FEXIT_FLOOR)
		f.bench_fexit_floor_only = true;
	else if (c == C_FEXIT) {
		f.method = SCLENS_METHOD_FEXIT;
		f.bench_fexit_floor = floor_too;
		f.bench_floor = false;
	} else
		f.method = c == C_ONE_HOOK ? SCLENS_METHOD_ONE_HOOK : SCLENS_METHOD_TWO_HOOKS;
	return observer_open(o, &f, false, count_event, NULL);
}

static int open_observer(struct observer **o, bool floor)
{
	return open_config(o, C_ONE_HOOK, floor);
}

/* Does the kernel let the fexit programs load? (Refused on kernels that
 * keep tracing programs out.) */
static bool fexit_loads(void)
{
	struct observer *o;

	if (open_config(&o, C_FEXIT_FLOOR, false))
		return false;
	observer_close(o);
	return true;
}

static double median_ns(long long *v, int n, long calls)
{
	qsort(v, n, sizeof(v[0]), cmp_ll);
	return (double)v[n / 2] / calls;
}

/*
 * bench runs N: how many runs of sclens's programs N getppid calls of an
 * unfiltered and of a filtered process add, with the method `auto` (or
 * $SCLENS_METHOD) chooses. Prints "method=M unfiltered_runs=R
 * filtered_runs=R"; the tests check that under fexit an unfiltered
 * process runs nothing of sclens's.
 */
static int count_runs(long n)
{
	struct observer_filters f = { .nr = -1, .method = -1 };
	struct observer_prog_stats a[16], b[16];
	struct observer_counts c;
	uint64_t runs[2] = {};
	struct observer *o;
	int stats_fd, na, nb;

	if (observer_preflight())
		return 3;
	stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (stats_fd < 0) {
		fprintf(stderr, "bench: bpf_enable_stats failed: %s\n", strerror(errno));
		return 1;
	}
	if (observer_open(&o, &f, false, count_event, NULL))
		return 1;
	for (int k = 0; k < 2; k++) {
		na = observer_prog_stats(o, a, 16);
		run_helper(k ? "loop_allowed" : "loop_unfiltered", n);
		nb = observer_prog_stats(o, b, 16);
		for (int i = 0; i < na && i < nb; i++)
			runs[k] += b[i].run_cnt - a[i].run_cnt;
	}
	observer_counts(o, &c);
	printf("method=%s unfiltered_runs=%llu filtered_runs=%llu\n", c.method, (unsigned long long)runs[0],
	       (unsigned long long)runs[1]);
	observer_close(o);
	close(stats_fd);
	return 0;
}

/*
 * bench hold-floor: empty programs on sys_enter and sys_exit, the hooks
 * `sclens record` uses, held until SIGINT or SIGTERM: the floor arm of
 * scripts/bench-recorder.sh. Says "watching" on stderr once attached.
 */
static int hold_floor(void)
{
	struct observer_filters f = { .nr = -1, .method = SCLENS_METHOD_TWO_HOOKS, .bench_hooks_floor_only = true };
	struct observer *o;
	sigset_t set;
	int sig;

	if (observer_preflight())
		return 3;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (observer_open(&o, &f, false, count_event, NULL))
		return 1;
	fprintf(stderr, "bench: watching nothing: empty programs on sys_enter and sys_exit\n");
	sigwait(&set, &sig);
	observer_close(o);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "runs"))
		return count_runs(atol(argv[2]));
	if (argc > 1 && !strcmp(argv[1], "hold-floor"))
		return hold_floor();
	long loop_n = argc > 1 ? atol(argv[1]) : 2000000;
	long storm_n = argc > 2 ? atol(argv[2]) : 1000000;
	int rounds = 11;
	struct observer *o;
	struct observer_prog_stats s0[8], s1[8];
	int n, stats_fd;

	if (observer_preflight())
		return 3;
	stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (stats_fd < 0) {
		fprintf(stderr, "bench: bpf_enable_stats failed: %s\n", strerror(errno));
		return 1;
	}
	printf("1. BPF run time per program (kernel accounting, BPF_STATS_RUN_TIME);\n"
	       "   bench_floor is an empty program on sys_exit: the accounting's own floor;\n"
	       "   bench_early_return is a copy of the early return every syscall pays\n");
	config_ok[C_FEXIT] = config_ok[C_FEXIT_FLOOR] = observer_fexit_supported() && fexit_loads();
	if (!config_ok[C_FEXIT])
		printf("   (fexit: this kernel refuses tracing programs or lacks __seccomp_filter: not measured)\n");
	for (int m = C_ONE_HOOK; m <= C_FEXIT; m++) {
		if (!config_ok[m] || m == C_FEXIT_FLOOR)
			continue;
		if (open_config(&o, m, true))
			return 1;
		printf(" %s:\n", config_name[m]);
		stats_snapshot(o, s0, &n);
		run_helper("loop_allowed", loop_n);
		stats_snapshot(o, s1, &n);
		print_stats_delta("filtered process, allowed getppid loop", s0, s1, n, loop_n);
		double floor_ns = ns_of(m == C_FEXIT ? "bench_fexit_floor" : "bench_floor", n);
		double f_sum = ns_of("handle_sys_enter", n) + ns_of("handle_sys_exit", n) +
			       ns_of("handle_sys_exit_cached", n) + ns_of("handle_seccomp_fexit", n);
		stats_snapshot(o, s0, &n);
		run_helper("loop_unfiltered", loop_n);
		stats_snapshot(o, s1, &n);
		print_stats_delta("unfiltered process, getppid loop", s0, s1, n, loop_n);
		int progs = m == C_TWO_HOOKS ? 2 : 1;
		printf("  per allowed call of a filtered task, above the floor of %d program%s: %.1f ns\n", progs,
		       progs > 1 ? "s" : "", f_sum - progs * floor_ns);
		observer_close(o);
	}
	close(stats_fd); /* the accounting itself costs time: off for 2 and 3 */

	printf("\n2. Wall clock, ns per getppid (%ld calls a loop), %d rounds, the configurations\n"
	       "   alternated in each round; medians\n", loop_n, rounds);
	long long t[C_MAX][2][16];
	for (int r = 0; r < rounds; r++) {
		for (int c = 0; c < C_MAX; c++) {
			if (!config_ok[c])
				continue;
			if (open_config(&o, c, false))
				return 1;
			t[c][0][r] = run_helper("loop_allowed", loop_n);
			t[c][1][r] = run_helper("loop_unfiltered", loop_n);
			observer_close(o);
		}
	}
	/* medians, and minimums (the run least disturbed by the rest of a
	 * virtual machine: the steadier figure here) */
	double med[C_MAX][2] = {}, low[C_MAX][2] = {};
	for (int c = 0; c < C_MAX; c++)
		for (int k = 0; k < 2 && config_ok[c]; k++) {
			med[c][k] = median_ns(t[c][k], rounds, loop_n);
			low[c][k] = (double)t[c][k][0] / loop_n; /* sorted by median_ns */
		}
	printf("  %-24s %18s %18s\n", "", "filtered", "unfiltered");
	printf("  %-24s %8s %9s %8s %9s\n", "", "median", "minimum", "median", "minimum");
	for (int c = 0; c < C_MAX; c++)
		if (config_ok[c])
			printf("  %-24s %8.1f %9.1f %8.1f %9.1f\n", config_name[c], med[c][0], low[c][0], med[c][1],
			       low[c][1]);
	for (int k = 0; k < 2; k++) {
		for (int m = 0; m < 2; m++) {
			double (*v)[2] = m ? low : med;
			double floor_cost = v[C_FLOOR][k] - v[C_NONE][k];
			printf("  %s loop (%s): overhead over no observer: floor %.1f ns, one hook %.1f ns (%.2fx the "
			       "floor's), two hooks %.1f ns (%.2fx)\n", k ? "unfiltered" : "filtered",
			       m ? "minimums" : "medians", floor_cost, v[C_ONE_HOOK][k] - v[C_NONE][k],
			       (v[C_ONE_HOOK][k] - v[C_NONE][k]) / floor_cost, v[C_TWO_HOOKS][k] - v[C_NONE][k],
			       (v[C_TWO_HOOKS][k] - v[C_NONE][k]) / floor_cost);
		}
	}

	if (config_ok[C_FEXIT]) {
		for (int m = 0; m < 2; m++) {
			double (*v)[2] = m ? low : med;
			double floor_cost = v[C_FEXIT_FLOOR][0] - v[C_NONE][0];
			printf("  filtered loop (%s): fexit floor %.1f ns, sclens fexit %.1f ns (%.2fx the floor's); "
			       "unfiltered loop: sclens fexit %+.1f ns over no observer\n", m ? "minimums" : "medians",
			       floor_cost, v[C_FEXIT][0] - v[C_NONE][0], (v[C_FEXIT][0] - v[C_NONE][0]) / floor_cost,
			       v[C_FEXIT][1] - v[C_NONE][1]);
		}
	}

	printf("\n3. Storm: %ld denials from one process, sclens consuming\n", storm_n);
	if (open_observer(&o, false))
		return 1;
	reported = 0;
	{
		fflush(stdout);
		pid_t child = fork();
		if (child == 0) {
			char nbuf[32];
			/* its line is not part of the figures */
			if (!freopen("/dev/null", "w", stdout))
				_exit(127);
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
