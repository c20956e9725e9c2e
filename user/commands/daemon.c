// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* sclens daemon: the watch pipeline as a service, with Prometheus metrics
 * and a rotated JSON lines log. */
#define _GNU_SOURCE
#include <argp.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "commands.h"
#include "event_fmt.h"
#include "metrics.h"
#include "record.h"
#include "sink_log.h"
#include "text.h"
#include "watch.h"

struct daemon_opts {
	struct watch_opts w;
	const char *metrics_addr;
	long retention_s;
	struct log_sink_opts log;
	const char *record; /* --record FILE */
};

struct daemon {
	struct daemon_opts *o;
	struct log_sink *log;
	struct metrics *metrics;
	struct recorder *recorder;
	pthread_mutex_t lock;
	uint64_t lost_reported;
};

enum {
	OPT_METRICS_ADDR = 3000, OPT_RETENTION, OPT_LOG_FILE, OPT_LOG_MAX_MB, OPT_LOG_KEEP, OPT_LOG_FIRST,
	OPT_LOG_INTERVAL, OPT_RECORD,
};

static const struct argp_option daemon_options[] = {
	{ "metrics-addr", OPT_METRICS_ADDR, "HOST:PORT", 0,
	  "Serve Prometheus metrics at http://HOST:PORT/metrics (default 127.0.0.1:9464; 0.0.0.0:9464 for "
	  "every interface; none: no endpoint)", 1 },
	{ "metrics-retention", OPT_RETENTION, "TIME", 0,
	  "Keep the series of a container this long after it is gone (default 1h)", 1 },
	{ "log-file", OPT_LOG_FILE, "PATH", 0, "Write the JSON lines here (default: stdout)", 1 },
	{ "log-max-mb", OPT_LOG_MAX_MB, "MB", 0, "Rotate the log past this size (default 100; 0: never)", 1 },
	{ "log-keep", OPT_LOG_KEEP, "N", 0, "Rotated logs kept, gzip-compressed (default 5)", 1 },
	{ "log-first", OPT_LOG_FIRST, "N", 0,
	  "Write the first N denials per container, call and action in each interval, and one \"repeat\" "
	  "line with the count of the rest (default 10; 0: write every one)", 1 },
	{ "log-interval", OPT_LOG_INTERVAL, "TIME", 0, "The interval of --log-first (default 60s)", 1 },
	{ "record", OPT_RECORD, "FILE", 0,
	  "Also record what the selected containers call (as sclens record), written to FILE on SIGHUP and at "
	  "exit", 1 },
	{},
};

static const char daemon_doc[] =
	"Run as a service: every seccomp denial on the host, as JSON lines (rotated,\n"
	"gzip-compressed), and Prometheus metrics with exact counts per container and\n"
	"call. SIGHUP reopens the log and re-reads the runtimes' state; SIGTERM stops.\n"
	"\n"
	"EXAMPLES:\n"
	"  sclens daemon --log-file /var/log/sclens/denials.json\n"
	"  sclens daemon --metrics-addr 0.0.0.0:9464 --log-first 5 --log-interval 5m\n"
	"  curl -s http://127.0.0.1:9464/metrics | grep sclens_denials_total\n"
	"\nOPTIONS:";

static error_t daemon_parse(int key, char *arg, struct argp_state *state)
{
	struct daemon_opts *o = state->input;
	long v;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &o->w;
		break;
	case OPT_METRICS_ADDR:
		o->metrics_addr = arg;
		if (strcmp(arg, "none")) {
			struct sockaddr_storage ss;
			socklen_t len;
			if (metrics_parse_addr(arg, &ss, &len))
				argp_error(state, "--metrics-addr wants HOST:PORT (an IPv4 address, or [IPv6]), "
						  "or none, not '%s'", arg);
		}
		break;
	case OPT_RETENTION:
		if (parse_duration(arg, &v))
			argp_error(state, "invalid --metrics-retention '%s' (30s, 5m, 2h or 1d)", arg);
		o->retention_s = v;
		break;
	case OPT_LOG_FILE: o->log.path = arg; break;
	case OPT_RECORD: o->record = arg; break;
	case OPT_LOG_MAX_MB:
		if (parse_int(arg, 0, 1 << 20, &v))
			argp_error(state, "invalid --log-max-mb '%s'", arg);
		o->log.max_bytes = (uint64_t)v << 20;
		break;
	case OPT_LOG_KEEP:
		if (parse_int(arg, 0, 1000, &v))
			argp_error(state, "invalid --log-keep '%s' (0 to 1000)", arg);
		o->log.keep = v;
		break;
	case OPT_LOG_FIRST:
		if (parse_int(arg, 0, INT32_MAX, &v))
			argp_error(state, "invalid --log-first '%s'", arg);
		o->log.first = v;
		break;
	case OPT_LOG_INTERVAL:
		if (parse_duration(arg, &v) || v < 1)
			argp_error(state, "invalid --log-interval '%s' (30s, 5m, 2h or 1d)", arg);
		o->log.interval_s = v;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static int daemon_started(void *arg, struct observer *obs)
{
	struct daemon *d = arg;
	struct metrics_opts mo = { .addr = d->o->metrics_addr, .retention_s = d->o->retention_s,
				   .version = SCLENS_VERSION };
	int err;

	if (d->recorder && (err = recorder_started(d->recorder, obs)))
		return err;
	if (!strcmp(d->o->metrics_addr, "none"))
		return 0;
	err = metrics_start(&d->metrics, &mo, obs, &d->lock);
	if (err) {
		fprintf(stderr, "sclens: cannot serve metrics at %s: %s%s\n", d->o->metrics_addr, strerror(-err),
			err == -EADDRINUSE ? " (another process listens there: choose another --metrics-addr)" : "");
		return err;
	}
	fprintf(stderr, "sclens: metrics at http://%s/metrics\n", d->o->metrics_addr);
	return 0;
}

/* Losses said in the stream as they happen, not only at exit */
static void daemon_tick(void *arg, struct observer *obs, uint64_t now_ns)
{
	struct daemon *d = arg;
	struct observer_counts c;

	if (!observer_counts(obs, &c) && c.lost > d->lost_reported) {
		log_sink_lost(d->log, c.lost - d->lost_reported, c.lost);
		d->lost_reported = c.lost;
	}
	metrics_tick(d->metrics, now_ns);
	if (d->recorder)
		recorder_tick(d->recorder, obs);
}

/* SIGHUP: the recording so far, for a long-running recorder */
static void daemon_reload(void *arg, struct observer *obs)
{
	struct daemon *d = arg;

	if (d->recorder)
		recorder_write(d->recorder, obs, false);
}

/* Before the observer closes: no scrape may read it afterwards */
static void daemon_stopping(void *arg, struct observer *obs)
{
	struct daemon *d = arg;

	/* the server first: it reads the caches the recording is named from */
	metrics_stop(d->metrics);
	d->metrics = NULL;
	if (d->recorder)
		recorder_write(d->recorder, obs, true);
}

static void daemon_before_prune(void *arg)
{
	struct daemon *d = arg;

	metrics_refresh(d->metrics);
	if (d->recorder)
		recorder_prune(d->recorder);
}

static bool daemon_keep_cgroup(void *arg, uint64_t id)
{
	struct daemon *d = arg;

	return metrics_keeps(d->metrics, id) || recorder_keeps(d->recorder, id);
}

int cmd_daemon(int argc, char **argv)
{
	static const struct argp_child children[] = {
		{ &watch_argp, 0, "What to report, and how to explain it (as for watch):", 2 },
		{},
	};
	static const struct argp argp = { .options = daemon_options, .parser = daemon_parse, .doc = daemon_doc,
					  .children = children };
	struct daemon_opts o = {
		.metrics_addr = "127.0.0.1:9464",
		.retention_s = 3600,
		.log = { .max_bytes = 100ULL << 20, .keep = 5, .first = 10, .interval_s = 60 },
	};
	struct daemon d = { .o = &o };
	struct sink *sinks[2];
	int rc, err;

	watch_opts_init(&o.w);
	if ((rc = cli_parse(&argp, argc, argv, 0, &o)) >= 0)
		return rc;
	o.w.json = true;
	node_name(); /* settled before the metrics thread reads it */
	err = log_sink_open(&d.log, &o.log);
	if (err) {
		fprintf(stderr, "sclens: cannot open the log %s: %s\n", o.log.path, strerror(-err));
		return err == -EACCES || err == -EROFS ? EXIT_ENV : EXIT_FAIL;
	}
	pthread_mutex_init(&d.lock, NULL);
	sinks[0] = log_sink_base(d.log);
	int n_sinks = 1;
	if (o.record) {
		if (recorder_check_output(o.record) || !(d.recorder = recorder_new(&o.w, o.record))) {
			log_sink_close(d.log);
			return EXIT_FAIL;
		}
		sinks[n_sinks++] = recorder_sink(d.recorder);
	}
	struct watch_hooks hooks = {
		.sinks = sinks, .n_sinks = n_sinks, .no_stdout = true, .lock = &d.lock, .started = daemon_started,
		.tick = daemon_tick, .keep_cgroup = daemon_keep_cgroup, .before_prune = daemon_before_prune,
		.stopping = daemon_stopping, .reload = daemon_reload, .arg = &d,
	};
	install_reload_handler();
	rc = watch_run(&o.w, &hooks);
	metrics_stop(d.metrics); /* if watch_run failed before stopping it */
	if ((err = log_sink_close(d.log))) {
		fprintf(stderr, "sclens: writing the log failed: %s\n", strerror(-err));
		rc = EXIT_FAIL;
	}
	if (recorder_error(d.recorder))
		rc = EXIT_FAIL;
	recorder_free(d.recorder);
	pthread_mutex_destroy(&d.lock);
	return rc;
}
