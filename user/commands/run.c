// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* sclens run: try a profile on a program before deploying it. */
#define _GNU_SOURCE
#include <argp.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fcntl.h>
#include "apply.h"
#include "capopts.h"
#include "cgroup.h"
#include "defaults.h"
#include "child.h"
#include "cli.h"
#include "commands.h"
#include "names.h"
#include "observer.h"
#include "profile.h"
#include "pipeline.h"
#include "report.h"

struct run_opts {
	const char *profile;
	struct cap_opts caps;
	bool json, keep_caps, verbose;
	char **cmd;
};

enum { OPT_CAP_ADD = 1000, OPT_CAP_DROP, OPT_KEEP_CAPS };

static const struct argp_option run_options[] = {
	{ "color", 1999, "WHEN", 0, "Colour: auto (on a terminal, unless NO_COLOR is set), always, never", 0 },
	{ "profile", 'f', "FILE|ID", 0,
	  "Seccomp profile: a file (Docker or OCI format) or a default's id (docker-20.10, containerd, podman)", 0 },
	{ "cap-add", OPT_CAP_ADD, "CAP", 0, "Add a capability to Docker's default set (ALL accepted)", 0 },
	{ "cap-drop", OPT_CAP_DROP, "CAP", 0, "Drop a capability from it (ALL accepted)", 0 },
	{ "keep-caps", OPT_KEEP_CAPS, NULL, 0, "Run with this process's capabilities, not the container's set", 0 },
	{ "json", 'j', NULL, 0, "JSON lines", 0 },
	{ "verbose", 'v', NULL, 0, "Show libbpf's messages", 0 },
	{},
};

static const char run_doc[] =
	"Run a command under a seccomp profile, as a container would, and explain\n"
	"its denials.\n"
	"\n"
	"The profile is converted for Docker's default capabilities, plus --cap-add,\n"
	"minus --cap-drop, and the command runs with that capability set (as root),\n"
	"so that the kernel's own checks match a container's. With --json the\n"
	"command's output goes to stderr. Exit status: the command's.\n"
	"\n"
	"EXAMPLES:\n"
	"  sclens run -f docker-default.json -- date -s \"$(date '+%Y-%m-%d %H:%M:%S')\"\n"
	"  sclens run -f docker-default.json --cap-add SYS_TIME -- ./settime-now\n"
	"\nOPTIONS:";

static error_t run_parse(int key, char *arg, struct argp_state *state)
{
	struct run_opts *o = state->input;

	switch (key) {
	case 1999:
		if (color_mode_set(arg))
			argp_error(state, "--color takes auto, always or never, not '%s'", arg);
		break;
	case 'f':
		o->profile = arg;
		break;
	case OPT_CAP_ADD:
	case OPT_CAP_DROP:
		if (cap_opts_add(&o->caps, arg, key == OPT_CAP_ADD))
			argp_error(state, "unknown capability '%s'%s%s%s", arg, cap_suggest(arg) ? " (did you mean " : "",
				   cap_suggest(arg) ? cap_suggest(arg) : "", cap_suggest(arg) ? "?)" : "");
		break;
	case OPT_KEEP_CAPS:
		o->keep_caps = true;
		break;
	case 'j':
		o->json = true;
		break;
	case 'v':
		o->verbose = true;
		break;
	case ARGP_KEY_ARGS:
		o->cmd = state->argv + state->next;
		state->next = state->argc;
		break;
	case ARGP_KEY_END:
		if (!o->profile)
			argp_error(state, "--profile is required");
		if (!o->cmd || !o->cmd[0])
			argp_error(state, "give the command to run after --");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

struct run_state {
	struct run_opts *opts;
	struct observer *obs;
	struct pipeline *p;
	struct report_sink out; /* the same sink as watch's */
	const struct profile *src;
	uint64_t caps; /* the bounding set the command gets */
	pid_t child;
	uint64_t filter_key; /* the child's filter, shared by its descendants */
};

/* Ours: the filter we installed (or a process of ours killed with it) */
static bool run_wanted(void *arg, const struct sclens_event *e, const struct container *ct)
{
	struct run_state *s = arg;

	if (e->type == SCLENS_EV_FILTER_INSTALL) {
		if (e->pid == (uint32_t)s->child && !s->filter_key)
			s->filter_key = e->filter_key;
		return e->filter_key == s->filter_key;
	}
	return s->filter_key && (e->filter_key == s->filter_key || e->pid == (uint32_t)s->child);
}

/* Against the profile the user gave, for the capability set it runs with */
static bool run_explain_src(void *arg, const struct sclens_event *e, const struct container *ct,
			    struct explain_src *src, char *title, size_t title_len)
{
	struct run_state *s = arg;

	*src = (struct explain_src){ .profile = s->src, .caps = s->caps, .has_caps = true,
				     .profile_ref = s->opts->profile };
	return true;
}

static void child_main(const struct run_opts *o, const struct profile *eff, const struct sc_target *t, int go_fd)
{
	char c;
	int skipped, err;

	/* wait until the observer is attached */
	if (read(go_fd, &c, 1) != 1)
		_exit(127);
	close(go_fd);
	if (!o->keep_caps && geteuid() == 0 && (err = caps_limit(t->caps))) {
		fprintf(stderr, "sclens run: cannot limit capabilities: %s\n", strerror(-err));
		_exit(127);
	}
	/* the JSON stream is sclens's: the command's own output goes to
	 * stderr, so that jq reads only JSON (before the filter: the
	 * command's profile need not allow sclens's own setup) */
	if (o->json && dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
		_exit(127);
	err = profile_apply(eff, &skipped);
	if (err) {
		fprintf(stderr, "sclens run: loading the filter failed: %s\n", strerror(-err));
		_exit(127);
	}
	execvp(o->cmd[0], o->cmd);
	fprintf(stderr, "sclens run: cannot run %s: %s\n", o->cmd[0], strerror(errno));
	_exit(127);
}

int cmd_run(int argc, char **argv)
{
	static const struct argp argp = { .options = run_options, .parser = run_parse, .args_doc = "-- COMMAND [ARG]...", .doc = run_doc };
	struct run_opts o = {};
	struct run_state s = { .opts = &o };
	struct observer_filters f = { .nr = -1, .method = -1 };
	struct profile *src = NULL, *eff = NULL;
	struct sc_target t;
	struct sc_error e;
	int pipefd[2], status = 0, rc;

	int parsed = cli_parse(&argp, argc, argv, ARGP_IN_ORDER, &o);
	if (parsed >= 0)
		return parsed;
	if (cap_opts_target(&o.caps, &t, NULL))
		return EXIT_USAGE;
	if (profile_load_named(o.profile, &src, &e)) {
		profile_error_print(o.profile, &e);
		if (o.json)
			print_json_error("invalid profile", e.msg);
		return EXIT_BADINPUT;
	}
	profile_warnings_print(src);
	if (profile_effective(src, &t, &eff, &e)) {
		profile_error_print(o.profile, &e);
		profile_free(src);
		return EXIT_FAIL;
	}
	s.src = src;
	s.caps = t.caps;
	if (observer_preflight()) {
		if (o.json)
			print_json_error("missing privilege or kernel support", NULL);
		rc = EXIT_ENV;
		goto out;
	}
	report_sink_init(&s.out, o.json);
	struct pipeline_stages st = { .wanted = run_wanted, .explain_src = run_explain_src, .arg = &s,
				      .replay = true, .kernel_copies = true };
	struct sink *sinks[] = { &s.out.base };
	if (pipeline_new(&s.p, &st, sinks, 1)) {
		rc = EXIT_FAIL;
		goto out_rep;
	}
	if (observer_open(&s.obs, &f, o.verbose, pipeline_event, s.p)) {
		rc = EXIT_FAIL;
		goto out_rep;
	}
	pipeline_attach(s.p, s.obs);
	if (pipe2(pipefd, O_CLOEXEC)) {
		rc = EXIT_FAIL;
		goto out_obs;
	}
	s.child = fork();
	if (s.child < 0) {
		perror("sclens run: fork");
		rc = EXIT_FAIL;
		goto out_obs;
	}
	if (s.child == 0) {
		close(pipefd[1]);
		child_main(&o, eff, &t, pipefd[0]);
	}
	close(pipefd[0]);
	/* the child inherits nothing it could be killed by: we wait for it */
	signal(SIGINT, SIG_IGN);
	if (child_release(s.child, pipefd[1])) {
		close(pipefd[1]);
		rc = EXIT_FAIL;
		goto out_obs;
	}
	close(pipefd[1]);
	bool waited = false;
	for (;;) {
		pid_t w = waitpid(s.child, &status, WNOHANG);
		if (w == s.child) {
			waited = true;
			break;
		}
		if (w < 0 && errno != EINTR) {
			fprintf(stderr, "sclens run: waiting for %s failed: %s\n", o.cmd[0], strerror(errno));
			break;
		}
		observer_poll(s.obs, 50);
		fflush(stdout);
	}
	/* the last events of a dying process can trail its exit */
	for (int i = 0; i < 3; i++)
		observer_poll(s.obs, 50);
	fflush(stdout);
	/* without a wait status the command's exit is unknown: never 0 */
	rc = waited ? child_exit_code(status) : EXIT_FAIL;
	{
		struct observer_counts cnt = {};
		observer_counts(s.obs, &cnt);
		if (o.json) {
			print_summary_json(pipeline_reported(s.p), &cnt, NULL, rc, NULL, NULL);
		} else
			fprintf(stderr, "sclens run: %s exited with status %d; %llu denials, %llu events lost\n",
				o.cmd[0], rc, (unsigned long long)pipeline_reported(s.p), (unsigned long long)cnt.lost);
	}
out_obs:
	observer_close(s.obs);
out_rep:
	pipeline_free(s.p);
	report_sink_free(&s.out);
out:
	profile_free(eff);
	profile_free(src);
	return rc;
}
