// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* sclens watch: report seccomp denials as they happen. */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cgroup.h"
#include "commands.h"
#include "event_fmt.h"
#include "names.h"
#include "observer.h"
#include "text.h"

struct watch_opts {
	struct observer_filters filters;
	const char *syscall;
	const char *cgroup_path;
	uint64_t cgroup_id;
	long duration_s;
	long max_count;
	bool json;
	bool verbose;
	bool installs; /* also print filter installs */
};

struct watch_state {
	struct watch_opts *opts;
	struct observer *obs;
	struct sbuf line;
	uint64_t printed;
	bool header_done;
};

static const char watch_doc[] =
	"Report every seccomp denial on this host as it happens.\n"
	"\n"
	"USAGE: sclens watch [OPTIONS]\n"
	"\n"
	"EXAMPLES:\n"
	"  sclens watch                      # every denial, one line each\n"
	"  sclens watch --json               # JSON lines (docs/json-schema.md)\n"
	"  sclens watch -p 1234 -s clock_settime\n"
	"  sclens watch --cgroup /sys/fs/cgroup/unified/mycontainer\n"
	"  sclens watch --count 1 --duration 30\n"
	"\nOPTIONS:";

enum { OPT_CGROUP = 1000, OPT_INSTALLS };

static const struct argp_option watch_options[] = {
	{ "pid", 'p', "PID", 0, "Only this process (tgid)", 0 },
	{ "comm", 'c', "COMM", 0, "Only tasks with this command name", 0 },
	{ "syscall", 's', "NAME", 0, "Only this syscall (host arch name)", 0 },
	{ "cgroup", OPT_CGROUP, "PATH", 0, "Only tasks in this cgroup v2 directory", 0 },
	{ "duration", 'd', "SECONDS", 0, "Stop after this many seconds", 0 },
	{ "count", 'n', "N", 0, "Stop after N denials", 0 },
	{ "json", 'j', NULL, 0, "One JSON object per line", 0 },
	{ "installs", OPT_INSTALLS, NULL, 0, "Also report filters being installed", 0 },
	{ "verbose", 'v', NULL, 0, "Show libbpf's messages", 0 },
	{},
};

static error_t watch_parse(int key, char *arg, struct argp_state *state)
{
	struct watch_opts *o = state->input;
	long v;

	switch (key) {
	case 'p':
		if (parse_int(arg, 1, INT32_MAX, &v))
			argp_error(state, "invalid PID '%s'", arg);
		o->filters.tgid = v;
		break;
	case 'c':
		if (strlen(arg) >= SCLENS_COMM_LEN)
			argp_error(state, "command names have at most %d characters", SCLENS_COMM_LEN - 1);
		o->filters.comm = arg;
		break;
	case 's':
		o->syscall = arg;
		break;
	case OPT_CGROUP:
		o->cgroup_path = arg;
		break;
	case 'd':
		if (parse_int(arg, 1, 365L * 86400, &v))
			argp_error(state, "invalid duration '%s' (whole seconds)", arg);
		o->duration_s = v;
		break;
	case 'n':
		if (parse_int(arg, 1, INT32_MAX, &v))
			argp_error(state, "invalid count '%s'", arg);
		o->max_count = v;
		break;
	case 'j':
		o->json = true;
		break;
	case OPT_INSTALLS:
		o->installs = true;
		break;
	case 'v':
		o->verbose = true;
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static void emit_line(struct sbuf *b)
{
	if (b->oom)
		return;
	sb_putc(b, '\n');
	fwrite(b->s, 1, b->len, stdout);
	fflush(stdout);
}

static int on_event(const struct sclens_event *e, void *arg)
{
	struct watch_state *w = arg;
	struct event_ctx c = {};

	if (e->type == SCLENS_EV_FILTER_INSTALL && !w->opts->installs)
		return 0;
	/* the kernel compares numbers only; names settle other arches */
	if (e->type == SCLENS_EV_DENIAL && w->opts->syscall) {
		const char *n = syscall_name(e->arch, e->nr);
		if (!n || strcmp(n, w->opts->syscall))
			return 0;
	}
	c.filter_id = observer_filter_id(w->obs, e->filter_key);
	c.cgroup_path = cgroup_path_of_id(e->cgroup_id);
	c.action = e->action;
	sb_reset(&w->line);
	if (w->opts->json) {
		event_format_json(&w->line, e, &c);
	} else {
		if (!w->header_done) {
			event_format_plain_header(&w->line);
			emit_line(&w->line);
			sb_reset(&w->line);
			w->header_done = true;
		}
		event_format_plain(&w->line, e, &c);
	}
	emit_line(&w->line);
	if (e->type == SCLENS_EV_DENIAL)
		w->printed++;
	if (w->opts->max_count && w->printed >= (uint64_t)w->opts->max_count)
		return -ECANCELED; /* libbpf stops the poll on a negative return */
	return 0;
}

static void print_summary(struct watch_state *w, const char *error)
{
	struct observer_counts c = {};

	observer_counts(w->obs, &c);
	if (w->opts->json) {
		printf("{\"type\":\"summary\",\"denials_reported\":%llu,\"denials_seen\":%llu,"
		       "\"events_lost\":%llu,\"filter_installs\":%llu",
		       (unsigned long long)w->printed, (unsigned long long)c.denials,
		       (unsigned long long)c.lost, (unsigned long long)c.filter_installs);
		if (error)
			printf(",\"error\":\"%s\"", error);
		printf("}\n");
	} else {
		fprintf(stderr, "sclens: %llu denials reported, %llu seen in the kernel (before filters), "
				"%llu events lost\n",
			(unsigned long long)w->printed, (unsigned long long)c.denials,
			(unsigned long long)c.lost);
	}
	fflush(stdout);
}

static void json_error(bool json, const char *msg)
{
	if (json)
		printf("{\"error\":\"%s\"}\n", msg);
}

int cmd_watch(int argc, char **argv)
{
	static const struct argp argp = { .options = watch_options, .parser = watch_parse, .doc = watch_doc };
	struct watch_opts opts = { .filters = { .nr = -1 } };
	struct watch_state w = { .opts = &opts };
	struct timespec start, now;
	int err, rc = EXIT_OK;

	argp_err_exit_status = EXIT_USAGE;
	if (argp_parse(&argp, argc, argv, 0, NULL, &opts))
		return EXIT_USAGE;
	if (opts.syscall) {
		int nr = syscall_number(SCLENS_ARCH_X86_64, opts.syscall);
		if (nr < 0) {
			fprintf(stderr, "sclens: unknown syscall '%s' (names as in libseccomp's tables, e.g. clock_settime)\n",
				opts.syscall);
			json_error(opts.json, "unknown syscall");
			return EXIT_USAGE;
		}
		opts.filters.nr = nr;
	}
	if (opts.cgroup_path) {
		err = cgroup_id_of_path(opts.cgroup_path, &opts.cgroup_id);
		if (err) {
			fprintf(stderr, "sclens: --cgroup %s: %s (give a directory of the cgroup v2 hierarchy%s%s)\n",
				opts.cgroup_path, err == -EMEDIUMTYPE ? "not a cgroup v2 directory" : strerror(-err),
				cgroup2_root() ? ", mounted at " : "", cgroup2_root() ? cgroup2_root() : "");
			json_error(opts.json, "invalid cgroup");
			return EXIT_USAGE;
		}
		opts.filters.cgroups = &opts.cgroup_id;
		opts.filters.n_cgroups = 1;
	}
	if (observer_preflight()) {
		json_error(opts.json, "missing privilege or kernel support");
		return EXIT_ENV;
	}
	install_exit_handlers();
	sb_init(&w.line);
	err = observer_open(&w.obs, &opts.filters, opts.verbose, on_event, &w);
	if (err) {
		json_error(opts.json, "cannot load the BPF programs");
		return err == -EPERM ? EXIT_ENV : EXIT_FAIL;
	}
	fprintf(stderr, "sclens: watching for seccomp denials; Ctrl-C to stop\n");
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!sclens_exiting) {
		err = observer_poll(w.obs, 100);
		if (err == -EINTR || err == -ECANCELED)
			break;
		if (err < 0) {
			fprintf(stderr, "sclens: polling the ring buffer failed: %s\n", strerror(-err));
			rc = EXIT_FAIL;
			break;
		}
		if (opts.max_count && w.printed >= (uint64_t)opts.max_count)
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (opts.duration_s && now.tv_sec - start.tv_sec >= opts.duration_s)
			break;
	}
	/* drain what is already in the buffer */
	if (rc == EXIT_OK && !(opts.max_count && w.printed >= (uint64_t)opts.max_count))
		observer_poll(w.obs, 0);
	print_summary(&w, rc ? "polling failed" : NULL);
	observer_close(w.obs);
	sb_free(&w.line);
	return rc;
}
