/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The command `sclens run` starts: released when the observer is ready,
 * and its exit turned into sclens's exit status. */
#ifndef SCLENS_CHILD_H
#define SCLENS_CHILD_H

#include <sys/types.h>

/* Lets the child (blocked reading go_fd's other end) go on. On failure
 * the child is killed and reaped, never left blocked: -errno. */
int child_release(pid_t child, int go_fd);
/* The exit status sclens reports for a finished wait status: the
 * command's own, 128 + signal, or EXIT_FAIL when it is not known. */
int child_exit_code(int status);

#endif
