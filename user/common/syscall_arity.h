/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* How many arguments a syscall takes, by its name (the kernel's own
 * declarations, counted by scripts/gen-syscall-arity.py). */
#ifndef SCLENS_SYSCALL_ARITY_H
#define SCLENS_SYSCALL_ARITY_H

/* 0 to 6, or -1 for a name the table does not hold */
int syscall_arity(const char *name);

#endif
