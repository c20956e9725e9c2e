/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef SCLENS_COMMANDS_H
#define SCLENS_COMMANDS_H

#define SCLENS_VERSION "0.1.0"

#include "status.h"

/* the options of watch, also those of daemon and record (an argp child) */
extern const struct argp watch_argp;
/* record and daemon: EXIT_USAGE (said on stderr) when an option for the
 * terminal's report (--json, --color, --installs) was given, else 0 */
struct watch_opts;
int watch_refuse_terminal_options(const struct watch_opts *o, const char *command, const char *writes);

int cmd_watch(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_profile(int argc, char **argv);
/* sclens profile convert, which takes explain's capability options */
int cmd_profile_convert(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_filter(int argc, char **argv);
int cmd_posture(int argc, char **argv);
int cmd_daemon(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_log(int argc, char **argv);
int cmd_top(int argc, char **argv);
/* for the shell's completion: sclens __complete commands|syscalls|containers|profiles */
int cmd_complete(int argc, char **argv);

#endif
