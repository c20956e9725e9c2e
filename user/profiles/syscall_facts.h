/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* What the kernel itself requires for a call, and what allowing a
 * dangerous call gives away. */
#ifndef SCLENS_SYSCALL_FACTS_H
#define SCLENS_SYSCALL_FACTS_H

struct syscall_fact {
	const char *name;
	int kernel_cap;	   /* capability the kernel checks (-1: none worth naming) */
	const char *cap_when; /* when the kernel checks it, or NULL for always */
	const char *danger;   /* what allowing it gives away, or NULL */
	int narrow_arg;	   /* argument that narrows an entry (flags, command), -1 if none */
};

/* NULL when nothing is known of the call */
const struct syscall_fact *syscall_fact(const char *name);

#endif
