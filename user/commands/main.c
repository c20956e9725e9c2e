// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdio.h>
#include <string.h>
#include "commands.h"
#include "names.h"
#include "text.h"


static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "watch", cmd_watch, "report seccomp denials on this host as they happen" },
	{ "record", cmd_record, "record what containers really call, to make a profile from it" },
	{ "daemon", cmd_daemon, "run as a service: Prometheus metrics and a rotated JSON log" },
	{ "top", cmd_top, "a live view of denials per container, refreshed in place" },
	{ "log", cmd_log, "read the daemon's logs back, grouped by container and call" },
	{ "explain", cmd_explain, "tell which profile entry decides a call, and the fix" },
	{ "profile", cmd_profile, "make, tighten, merge, compare and convert profiles; the engines' defaults" },
	{ "run", cmd_run, "run a command under a profile and explain its denials" },
	{ "filter", cmd_filter, "dump and evaluate the filters a live process really runs" },
	{ "posture", cmd_posture, "every container's seccomp posture, and the host's checklist items" },
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: sclens COMMAND [OPTIONS]\n\n"
		   "Finds out which seccomp rule made a call fail, and what to change.\n\nCommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nOptions:\n  -h, --help     this text ('sclens help COMMAND': a command's)\n"
		   "  -V, --version  sclens's version\n"
		   "\nExit status: 0 success; 1 a runtime failure (or a failed write); 2 bad\n"
		   "options or arguments; 3 missing privilege or kernel support; 4 an invalid\n"
		   "input file; 5 posture findings at or above --fail-on.\n"
		   "\n'sclens COMMAND --help' (or -h) describes each command.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	/* sclens help COMMAND: that command's help, as git and docker do */
	if (!strcmp(argv[1], "help") && argc > 2) {
		static char help_flag[] = "--help";
		char *sub[] = { argv[0], argv[2], help_flag, NULL };
		return main(3, sub);
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "__complete") && argc > 2 && !strcmp(argv[2], "commands")) {
		/* from the table that runs them: completion cannot miss one */
		for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
			puts(commands[i].name);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "__complete"))
		return cmd_complete(argc - 1, argv + 1);
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V") || !strcmp(argv[1], "version")) {
		printf("sclens %s\n", SCLENS_VERSION);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (!strcmp(argv[1], commands[i].name)) {
			static char prog[64];
			/* argp names the program from argv[0] in its messages */
			snprintf(prog, sizeof(prog), "sclens %s", commands[i].name);
			argv[1] = prog;
			int rc = commands[i].fn(argc - 1, argv + 1);
			/* what is still buffered must reach its file: a failed write
			 * is an error, never a silent success */
			if (output_failed(stdout, "the output") && rc == EXIT_OK)
				rc = EXIT_FAIL;
			return rc;
		}
	}
	const char *names[sizeof(commands) / sizeof(commands[0])];
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		names[i] = commands[i].name;
	const char *near = word_suggest(argv[1], names, sizeof(names) / sizeof(names[0]));
	fprintf(stderr, "sclens: unknown command '%s'%s%s%s\n", argv[1], near ? " (did you mean '" : "",
		near ? near : "", near ? "'?)" : "");
	usage(stderr);
	return EXIT_USAGE;
}
