// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* sclens record: what the selected containers really call, counted in the
 * kernel from their first instruction, written as a recording file
 * (docs/tuning.md) for `sclens profile generate|tighten|merge`. */
#define _GNU_SOURCE
#include <argp.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "cgroup.h"
#include "child.h"
#include "cli.h"
#include "commands.h"
#include "pipeline.h"
#include "recorder.h"
#include "recording.h"
#include "sink.h"
#include "status.h"

struct record_opts {
	struct watch_opts w;
	const char *output;
	char **cmd; /* record -- COMMAND: a plain command, in a cgroup of its own */
};

enum { OPT_OUTPUT = 'o', OPT_IOCTL = 4000 };

static const struct argp_option record_options[] = {
	{ "output", OPT_OUTPUT, "FILE", 0, "Write the recording here (default: stdout)", 1 },
	{ "ioctl", OPT_IOCTL, NULL, 0, "Also record ioctl's request values (for profiles that condition on them)", 1 },
	{},
};

static const char record_doc[] =
	"Record what containers really call, counted in the kernel from their first\n"
	"instruction (a container that starts while recording is recorded from its\n"
	"start), per arch, with the argument values profiles condition on, and the\n"
	"denials seen with their reasons. Until --duration, --count or Ctrl-C.\n"
	"\n"
	"EXAMPLES:\n"
	"  sclens record --container web -d 10m -o web.rec.json\n"
	"  sclens record --pod api --namespace prod -o api.rec.json\n"
	"  sclens record -o app.rec.json -- ./app --serve   # a plain command\n"
	"  sclens profile generate web.rec.json > web-seccomp.json\n"
	"\n"
	"With -- COMMAND, sclens runs the command in a cgroup of its own and records\n"
	"it and its children from its first instruction until it exits; its exit\n"
	"status is sclens's.\n"
	"\nOPTIONS:";

static error_t record_parse(int key, char *arg, struct argp_state *state)
{
	struct record_opts *o = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &o->w;
		break;
	case OPT_OUTPUT: o->output = arg; break;
	case OPT_IOCTL: o->w.filters.record_ioctl = true; break;
	case ARGP_KEY_ARGS:
		o->cmd = state->argv + state->next;
		state->next = state->argc;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* record -- COMMAND: the command waits for the programs to be attached
 * (started), and the run ends at the first tick after it exits */
struct command_sink {
	struct sink base;
	pid_t child;
	int go_fd;
	int status;
	bool exited;
};

static int command_started(struct sink *s, struct observer *obs)
{
	struct command_sink *c = (struct command_sink *)s;
	int err = child_release(c->child, c->go_fd);

	close(c->go_fd);
	c->go_fd = -1;
	if (err)
		c->exited = true; /* killed and reaped */
	return err;
}

static void command_tick(struct sink *s, struct observer *obs, uint64_t now_ns, bool final)
{
	struct command_sink *c = (struct command_sink *)s;

	if (c->exited || waitpid(c->child, &c->status, WNOHANG) != c->child)
		return;
	c->exited = true;
	sclens_exiting = 1; /* its last calls are in the kernel's counts already */
}

/* A cgroup of our own under the v2 root, the child moved in before it
 * runs anything of the command's: its path in *path (to free) */
static int command_cgroup(pid_t child, char **path)
{
	const char *root = cgroup2_root();
	char procs[4200], pid[32];
	int fd, err = 0;

	if (!root) {
		fprintf(stderr, "sclens record: no cgroup v2 hierarchy is mounted: a command is recorded in a cgroup "
				"of its own\n");
		return -ENOENT;
	}
	if (asprintf(path, "%s/sclens-record-%d", root, (int)child) < 0)
		return -ENOMEM;
	if (mkdir(*path, 0755) && errno != EEXIST) {
		err = -errno;
		fprintf(stderr, "sclens record: cannot make the cgroup %s: %s\n", *path, strerror(errno));
		free(*path);
		*path = NULL;
		return err;
	}
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", *path);
	snprintf(pid, sizeof(pid), "%d", (int)child);
	fd = open(procs, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || write(fd, pid, strlen(pid)) < 0) {
		err = -errno;
		fprintf(stderr, "sclens record: cannot move the command into %s: %s\n", *path, strerror(errno));
	}
	if (fd >= 0)
		close(fd);
	return err;
}

/* Runs the recording of a command: the command's exit status, or sclens's
 * failure */
static int record_command(struct record_opts *o, struct pipeline_outputs *po)
{
	struct command_sink c = { .base = { .name = "command", .started = command_started, .tick = command_tick },
				  .go_fd = -1 };
	char *cg = NULL;
	int pipefd[2], rc;

	if (pipe2(pipefd, O_CLOEXEC)) {
		perror("sclens record: pipe");
		return EXIT_FAIL;
	}
	c.child = fork();
	if (c.child < 0) {
		perror("sclens record: fork");
		close(pipefd[0]);
		close(pipefd[1]);
		return EXIT_FAIL;
	}
	if (c.child == 0) {
		char go;

		close(pipefd[1]);
		/* Ctrl-C reaches the command (same process group): it ends, and the recording with it */
		if (read(pipefd[0], &go, 1) != 1)
			_exit(127);
		execvp(o->cmd[0], o->cmd);
		fprintf(stderr, "sclens record: cannot run %s: %s\n", o->cmd[0], strerror(errno));
		_exit(127);
	}
	close(pipefd[0]);
	c.go_fd = pipefd[1];
	if (command_cgroup(c.child, &cg)) {
		kill(c.child, SIGKILL);
		waitpid(c.child, NULL, 0);
		close(c.go_fd);
		free(cg);
		return EXIT_FAIL;
	}
	o->w.cgroup_path = cg;
	uint64_t id;
	if (!cgroup_id_of_path(cg, &id))
		recording_hold(po->recording, id);
	po->sinks[po->n_sinks++] = &c.base;
	/* SIGINT stops the command, which ends the recording: sclens waits */
	signal(SIGINT, SIG_IGN);
	rc = pipeline_run(&o->w, po);
	if (c.go_fd >= 0)
		close(c.go_fd); /* never started: the child reads EOF and exits */
	if (!c.exited && waitpid(c.child, &c.status, 0) == c.child)
		c.exited = true;
	/* the cgroup goes once empty; what the command left running keeps it */
	if (rmdir(cg) && errno != ENOENT)
		fprintf(stderr, "sclens record: %s left behind (%s): processes of the command still run in it\n", cg,
			strerror(errno));
	free(cg);
	o->w.cgroup_path = NULL;
	if (rc != EXIT_OK)
		return rc;
	return c.exited ? child_exit_code(c.status) : EXIT_FAIL;
}

int cmd_record(int argc, char **argv)
{
	static const struct argp_child children[] = {
		{ &watch_argp, 0, "What to record, and how to explain its denials (as for watch):", 2 },
		{},
	};
	static const struct argp argp = { .options = record_options, .parser = record_parse, .doc = record_doc,
					  .args_doc = "[-- COMMAND [ARG]...]", .children = children };
	struct record_opts o = {};
	struct pipeline_outputs po = {};
	struct recording *rec;
	struct sink *recorder;
	int rc;

	watch_opts_init(&o.w);
	if ((rc = cli_parse(&argp, argc, argv, 0, &o)) >= 0)
		return rc;
	/* what is recorded is whole cgroups: options that select processes
	 * or calls would be ignored, so they are refused */
	if ((rc = watch_refuse_terminal_options(&o.w, "record", "writes a recording (JSON) to its --output"))) {
		watch_opts_free(&o.w);
		return rc;
	}
	if (o.w.pids.n || o.w.comms.n || o.w.syscall_args.n) {
		fprintf(stderr, "sclens record: -p, -c and -s do not apply: a recording holds every call of whole "
				"cgroups; select them with --container, --pod, --namespace, --image, --host or --cgroup\n");
		watch_opts_free(&o.w);
		return EXIT_USAGE;
	}
	if (o.cmd && (watch_container_filtering(&o.w) || o.w.host_only || o.w.cgroup_path || o.w.duration_s ||
		      o.w.max_count)) {
		fprintf(stderr, "sclens record: with a command, the recording is the command's, until it exits: "
				"--container, --pod, --namespace, --image, --host, --cgroup, --duration and --count "
				"do not apply\n");
		watch_opts_free(&o.w);
		return EXIT_USAGE;
	}
	if (o.output && recorder_check_output(o.output)) {
		watch_opts_free(&o.w);
		return EXIT_FAIL;
	}
	o.w.json = true;
	if (recording_new(&rec, &o.w)) {
		watch_opts_free(&o.w);
		return EXIT_FAIL;
	}
	if (!(recorder = recorder_new(rec, o.output))) {
		recording_free(rec);
		watch_opts_free(&o.w);
		return EXIT_FAIL;
	}
	po.sinks[po.n_sinks++] = recorder;
	po.recording = rec;
	rc = o.cmd ? record_command(&o, &po) : pipeline_run(&o.w, &po);
	recorder_free(recorder);
	recording_free(rec);
	return rc;
}
