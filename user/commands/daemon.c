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
#include <sys/stat.h>
#include "cli.h"
#include "commands.h"
#include "clock.h"
#include "metrics.h"
#include "pipeline.h"
#include "recorder.h"
#include "recording.h"
#include "sink_log.h"
#include "summary.h"
#include "text.h"
#include "web_config.h"

struct daemon_opts {
	struct watch_opts w;
	const char *metrics_addr;
	long retention_s;
	struct log_sink_opts log;
	const char *record; /* --record FILE */
	struct web_config web; /* --web.config.file: TLS, basic authentication */
};

enum {
	OPT_METRICS_ADDR = 3000, OPT_RETENTION, OPT_LOG_FILE, OPT_LOG_MAX_MB, OPT_LOG_KEEP, OPT_LOG_FIRST,
	OPT_LOG_INTERVAL, OPT_RECORD, OPT_WEB_CONFIG,
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
	{ "web.config.file", OPT_WEB_CONFIG, "FILE", 0,
	  "TLS and basic authentication for the metrics, in the format Prometheus exporters read "
	  "(tls_server_config: cert_file, key_file; basic_auth_users: USER: BCRYPT_HASH)", 1 },
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
				argp_error(state, "--metrics-addr wants HOST:PORT (an IPv4 address, [IPv6], a host "
						  "name, or :PORT for every address), or none, not '%s'", arg);
		}
		break;
	case OPT_RETENTION:
		if (parse_duration(arg, &v))
			argp_error(state, "invalid --metrics-retention '%s' (30s, 5m, 2h or 1d)", arg);
		o->retention_s = v;
		break;
	case OPT_LOG_FILE: o->log.path = arg; break;
	case OPT_RECORD: o->record = arg; break;
	case OPT_WEB_CONFIG: {
		char msg[512];
		web_config_free(&o->web);
		if (web_config_load(arg, &o->web, msg, sizeof(msg)))
			argp_error(state, "--web.config.file %s: %s", arg, msg);
		break;
	}
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

/* The daemon's sinks: the log, the metrics, the recording if asked, the
 * summary last */
struct daemon {
	pthread_mutex_t lock;
	struct log_sink *log;
	struct sink *metrics, *recorder, *summary;
	struct recording *recording;
};

static int daemon_sinks(struct daemon *d, struct daemon_opts *o, struct pipeline_outputs *po)
{
	struct metrics_opts mo = { .addr = o->metrics_addr, .retention_s = o->retention_s, .version = SCLENS_VERSION,
				   .web = o->web.cert_pem || o->web.n_users ? &o->web : NULL };
	int err = log_sink_open(&d->log, &o->log);

	/* a fresh host has no /var/log/sclens: the log's own directory is
	 * made (root's, 0750: logs name every tenant), never its parents */
	if (err == -ENOENT && o->log.path) {
		char *dir = strdup(o->log.path), *slash = dir ? strrchr(dir, '/') : NULL;
		if (slash && slash != dir) {
			*slash = 0;
			if (!mkdir(dir, 0750)) {
				fprintf(stderr, "sclens: made the log's directory %s\n", dir);
				err = log_sink_open(&d->log, &o->log);
			}
		}
		free(dir);
	}
	if (err) {
		fprintf(stderr, "sclens: cannot open the log %s: %s%s\n", o->log.path, strerror(-err),
			err == -ENOENT ? " (its directory's parent is missing too: make it, or choose another --log-file)"
					: "");
		return err == -EACCES || err == -EROFS ? EXIT_ENV : EXIT_FAIL;
	}
	po->sinks[po->n_sinks++] = log_sink_base(d->log);
	if (!(d->metrics = metrics_sink_new(&mo, &d->lock)))
		return EXIT_FAIL;
	po->sinks[po->n_sinks++] = d->metrics;
	if (o->record) {
		if (recorder_check_output(o->record) || recording_new(&d->recording, &o->w) ||
		    !(d->recorder = recorder_new(d->recording, o->record)))
			return EXIT_FAIL;
		po->sinks[po->n_sinks++] = d->recorder;
		po->recording = d->recording;
	}
	if (!(d->summary = summary_sink_new(&o->w)))
		return EXIT_FAIL;
	po->sinks[po->n_sinks++] = d->summary;
	return EXIT_OK;
}

static int daemon_free(struct daemon *d, int rc)
{
	int err;

	metrics_sink_free(d->metrics);
	if ((err = log_sink_close(d->log))) {
		fprintf(stderr, "sclens: writing the log failed: %s\n", strerror(-err));
		rc = EXIT_FAIL;
	}
	recorder_free(d->recorder);
	recording_free(d->recording);
	summary_sink_free(d->summary);
	return rc;
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
	struct daemon d = {};
	struct pipeline_outputs po = { .lock = &d.lock, .long_running = true };
	int rc;

	watch_opts_init(&o.w);
	if ((rc = cli_parse(&argp, argc, argv, 0, &o)) >= 0)
		return rc;
	if ((rc = watch_refuse_terminal_options(&o.w, "daemon", "writes JSON lines to its --log-file and metrics"))) {
		watch_opts_free(&o.w);
		return rc;
	}
	o.w.json = true;
	node_name(); /* settled before the metrics thread reads it */
	pthread_mutex_init(&d.lock, NULL);
	if ((rc = daemon_sinks(&d, &o, &po)) == EXIT_OK)
		rc = pipeline_run(&o.w, &po);
	else
		watch_opts_free(&o.w);
	rc = daemon_free(&d, rc);
	web_config_free(&o.web);
	pthread_mutex_destroy(&d.lock);
	return rc;
}
