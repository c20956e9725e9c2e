// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* sclens record: what the selected containers really call, counted in the
 * kernel from their first instruction, written as a recording file
 * (docs/tuning.md) for `sclens profile generate|tighten|merge`. */
#define _GNU_SOURCE
#include <argp.h>
#include <stdio.h>
#include "cli.h"
#include "commands.h"
#include "pipeline.h"
#include "recorder.h"
#include "recording.h"

struct record_opts {
	struct watch_opts w;
	const char *output;
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
	"  sclens profile generate web.rec.json > web-seccomp.json\n"
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
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

int cmd_record(int argc, char **argv)
{
	static const struct argp_child children[] = {
		{ &watch_argp, 0, "What to record, and how to explain its denials (as for watch):", 2 },
		{},
	};
	static const struct argp argp = { .options = record_options, .parser = record_parse, .doc = record_doc,
					  .children = children };
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
	rc = pipeline_run(&o.w, &po);
	recorder_free(recorder);
	recording_free(rec);
	return rc;
}
