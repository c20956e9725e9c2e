/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Command-line parsing shared by every command: argp that accepts -h,
 * and that answers a bad option in JSON too when --json was asked for. */
#ifndef SCLENS_CLI_H
#define SCLENS_CLI_H

#include <argp.h>
#include <stdbool.h>

/* Parses argv with argp. Returns -1 to go on, or the exit status to
 * return now (0 after --help, EXIT_USAGE after an error, which is also
 * printed as {"error": ...} on stdout when -j/--json is in argv). */
int cli_parse(const struct argp *argp, int argc, char **argv, unsigned flags, void *input);
/* "30", "30s", "5m", "2h", "1d" as seconds; -EINVAL */
int parse_duration(const char *s, long *seconds);

#endif
