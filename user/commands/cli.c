// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json_writer.h"
#include "cli.h"
#include "commands.h"
#include "text.h"

static bool has_arg(int argc, char **argv, const char *a, const char *b)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], a) || (b && !strcmp(argv[i], b)))
			return true;
	}
	return false;
}

static volatile bool parsing;

/* argp exits on a bad option: the JSON form of the error goes out then */
static void json_error_at_exit(int status, void *arg)
{
	(void)arg;
	if (parsing && status != 0)
		print_json_error("invalid arguments", "see the message on stderr, or --help");
}

int cli_parse(const struct argp *argp, int argc, char **argv, unsigned flags, void *input)
{
	static bool registered;
	int err;

	/* -h as users expect it (argp only knows -? and --help) */
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "-h"))
			argv[i] = "--help";
	if (has_arg(argc, argv, "--json", "-j") && !registered) {
		on_exit(json_error_at_exit, NULL);
		registered = true;
	}
	argp_err_exit_status = EXIT_USAGE;
	parsing = true;
	err = argp_parse(argp, argc, argv, flags, NULL, input);
	parsing = false;
	return err ? EXIT_USAGE : -1;
}

int parse_duration(const char *s, long *seconds)
{
	char *end;
	long mult = 1;

	errno = 0;
	long v = strtol(s, &end, 10);
	if (end == s || errno || v <= 0)
		return -EINVAL;
	if (!strcmp(end, "") || !strcmp(end, "s"))
		mult = 1;
	else if (!strcmp(end, "m"))
		mult = 60;
	else if (!strcmp(end, "h"))
		mult = 3600;
	else if (!strcmp(end, "d"))
		mult = 86400;
	else
		return -EINVAL;
	if (v > 365L * 86400 / mult)
		return -ERANGE;
	*seconds = v * mult;
	return 0;
}
