/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* What every command and the pipeline share: exit codes (docs/cli.md),
 * and the signals that stop a run or ask it to reopen its files. */
#ifndef SCLENS_STATUS_H
#define SCLENS_STATUS_H

/* Exit codes, the same for every command (see docs/cli.md) */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,	   /* a runtime failure */
	EXIT_USAGE = 2,	   /* bad options or arguments */
	EXIT_ENV = 3,	   /* missing privilege, BTF or kernel support */
	EXIT_BADINPUT = 4, /* an input file (profile) is invalid */
	EXIT_FINDINGS = 5, /* posture: a finding at or above --fail-on */
};

/* set by SIGINT/SIGTERM handlers */
extern volatile int sclens_exiting;
void install_exit_handlers(void);
/* set by SIGHUP once install_reload_handler() ran (daemon) */
extern volatile int sclens_reload;
void install_reload_handler(void);

#endif
