/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef SCLENS_COMMANDS_H
#define SCLENS_COMMANDS_H

#define SCLENS_VERSION "0.1.0"

/* Exit codes, the same for every command (see docs/cli.md) */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,	   /* a runtime failure */
	EXIT_USAGE = 2,	   /* bad options or arguments */
	EXIT_ENV = 3,	   /* missing privilege, BTF or kernel support */
	EXIT_BADINPUT = 4, /* an input file (profile) is invalid */
	EXIT_FINDINGS = 5, /* posture: a finding at or above --fail-on */
};

int cmd_watch(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_profile(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_filter(int argc, char **argv);
int cmd_posture(int argc, char **argv);
int cmd_daemon(int argc, char **argv);
int cmd_record(int argc, char **argv);
/* for the shell's completion: sclens __complete commands|syscalls|containers|profiles */
int cmd_complete(int argc, char **argv);

/* set by SIGINT/SIGTERM handlers */
extern volatile int sclens_exiting;
void install_exit_handlers(void);
/* set by SIGHUP once install_reload_handler() ran (daemon) */
extern volatile int sclens_reload;
void install_reload_handler(void);

#endif
