/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* A classic-BPF interpreter for seccomp programs, with the kernel's checks
 * (seccomp_check_filter / bpf_check_classic): only the instructions seccomp
 * accepts, forward jumps inside the program, aligned 32-bit loads inside
 * struct seccomp_data, a return at the end. */
#ifndef SCLENS_CBPF_H
#define SCLENS_CBPF_H

#include <stddef.h>
#include <stdint.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#define CBPF_MAX_INSNS 4096 /* BPF_MAXINSNS */

/* 0 if the kernel would accept the program, else -EINVAL with *bad_pc */
int cbpf_check(const struct sock_filter *prog, size_t len, size_t *bad_pc);
/* Runs a checked program; returns the SECCOMP_RET_* value. *last_pc gets
 * the index of the returning instruction (may be NULL). */
uint32_t cbpf_run(const struct sock_filter *prog, size_t len, const struct seccomp_data *d, size_t *last_pc);

#endif
