// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <signal.h>
#include <stddef.h>
#include "status.h"

volatile int sclens_exiting;
volatile int sclens_reload;

static void on_hup(int sig)
{
	(void)sig;
	sclens_reload = 1;
}

/* SIGHUP asks the daemon to reopen its log and re-read runtime state */
void install_reload_handler(void)
{
	struct sigaction sa = { .sa_handler = on_hup };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
}

static void on_signal(int sig)
{
	(void)sig;
	sclens_exiting = 1;
}

/* SIGINT/SIGTERM end the poll loop; no SA_RESTART, so a blocking poll
 * returns -EINTR; the loops then see sclens_exiting and stop. */
void install_exit_handlers(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}
