// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* sclens top: a live per-container view of denials, from the kernel's
 * counts, refreshed in place on a terminal (q quits), or a snapshot each
 * interval when piped. */
#define _GNU_SOURCE
#include <argp.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include "cli.h"
#include "commands.h"
#include "pipeline.h"
#include "sink.h"
#include "status.h"
#include "text.h"
#include "top_view.h"

struct top_cmd_opts {
	struct watch_opts w;
	double interval_s;
	long iterations;
};

enum { OPT_INTERVAL = 'i', OPT_ITERATIONS = 4100 };

static const struct argp_option top_options[] = {
	{ "interval", OPT_INTERVAL, "SECONDS", 0, "Refresh every SECONDS (default 2; 0.5 at least)", 1 },
	{ "iterations", OPT_ITERATIONS, "N", 0, "Stop after N refreshes (as top -n)", 1 },
	{},
};

static const char top_doc[] =
	"A live view of seccomp denials per container, as top shows processes: each\n"
	"container's denials counted in the kernel (exact whatever events were lost),\n"
	"their rate, the last call denied and the fix in its engine's words. On a\n"
	"terminal it redraws in place (q or Ctrl-C quits); piped, it prints a\n"
	"snapshot each interval.\n"
	"\n"
	"EXAMPLES:\n"
	"  sclens top\n"
	"  sclens top --namespace prod -i 5\n"
	"  sclens top --iterations 3 -f docker-default.json > snapshots.txt\n"
	"\nOPTIONS:";

static error_t top_parse(int key, char *arg, struct argp_state *state)
{
	struct top_cmd_opts *o = state->input;
	char *end;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &o->w;
		break;
	case OPT_INTERVAL:
		errno = 0;
		o->interval_s = strtod(arg, &end);
		if (errno || *end || end == arg || !(o->interval_s >= 0.5) || o->interval_s > 3600)
			argp_error(state, "--interval %s: give seconds, from 0.5 to 3600", arg);
		break;
	case OPT_ITERATIONS:
		errno = 0;
		o->iterations = strtol(arg, &end, 10);
		if (errno || *end || end == arg || o->iterations < 1)
			argp_error(state, "--iterations %s: give a whole number from 1", arg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* The terminal in non-canonical mode without echo, so that q is read at
 * once; restored at the end */
static struct termios saved_tty;
static bool tty_changed;

static void keys_begin(void)
{
	struct termios t;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_tty))
		return;
	t = saved_tty;
	t.c_lflag &= ~(ICANON | ECHO);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 0;
	if (!tcsetattr(STDIN_FILENO, TCSANOW, &t))
		tty_changed = true;
}

static void keys_end(void)
{
	if (tty_changed)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
	tty_changed = false;
}

/* a sink that only looks at the keyboard once a tick */
static void keys_tick(struct sink *s, struct observer *obs, uint64_t now_ns, bool final)
{
	struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
	char c;

	while (tty_changed && poll(&p, 1, 0) == 1 && read(STDIN_FILENO, &c, 1) == 1)
		if (c == 'q' || c == 'Q')
			sclens_exiting = 1;
}

int cmd_top(int argc, char **argv)
{
	static const struct argp_child children[] = {
		{ &watch_argp, 0, "What to show, and how to explain it (as for watch):", 2 },
		{},
	};
	static const struct argp argp = { .options = top_options, .parser = top_parse, .doc = top_doc,
					  .children = children };
	struct top_cmd_opts o = { .interval_s = 2 };
	struct pipeline_outputs po = {};
	struct sink keys = { .name = "keys", .tick = keys_tick };
	struct winsize ws = {};
	int rc;

	watch_opts_init(&o.w);
	if ((rc = cli_parse(&argp, argc, argv, 0, &o)) >= 0)
		return rc;
	if ((rc = watch_refuse_terminal_options(&o.w, "top", "shows a view of its own (for machines: watch --json, "
							     "the daemon's metrics)"))) {
		watch_opts_free(&o.w);
		return rc;
	}
	bool screen = isatty(STDOUT_FILENO);
	if (screen)
		ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws);
	struct top_opts t = { .interval_s = o.interval_s, .iterations = o.iterations, .screen = screen,
			      .width = screen ? (ws.ws_col ? ws.ws_col : 80) : output_width(),
			      .rows = screen ? ws.ws_row : 0, .out = stdout };
	struct sink *view = top_sink_new(&t);
	if (!view) {
		watch_opts_free(&o.w);
		return EXIT_FAIL;
	}
	po.sinks[po.n_sinks++] = view;
	po.sinks[po.n_sinks++] = &keys;
	if (screen)
		keys_begin();
	rc = pipeline_run(&o.w, &po);
	keys_end();
	top_sink_free(view);
	return rc;
}
