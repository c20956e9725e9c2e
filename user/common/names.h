/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Names of arches, syscalls, errnos, actions and capabilities. */
#ifndef SCLENS_NAMES_H
#define SCLENS_NAMES_H

#include <stdint.h>
#include <stdbool.h>

/* "x86_64", "i386", "x32", ... for an AUDIT_ARCH value and raw number */
const char *arch_name(uint32_t audit_arch, int32_t raw_nr);
/* AUDIT_ARCH value for a name accepted by arch_name(); 0 if unknown */
uint32_t arch_from_name(const char *name);
/* Strips the x32 flag from a raw syscall number. */
int32_t syscall_nr_clean(uint32_t audit_arch, int32_t raw_nr);

/* The syscall's name in that arch's table, or NULL. The string is owned by
 * a cache and lives until exit. Thread-safe. */
const char *syscall_name(uint32_t audit_arch, int32_t raw_nr);
/* The number of a syscall name in an arch's table, or a negative errno
 * (-ENOENT when that arch has no such call). */
int syscall_number(uint32_t audit_arch, const char *name);

/* Does libseccomp (or the kernel, for calls newer than its table) know
 * this syscall name on some arch? */
bool syscall_known(const char *name);
/* The closest known syscall name to a misspelt one, or NULL when none is
 * close. Static storage. */
const char *syscall_suggest(const char *name);

/* "EPERM", ...; NULL if unknown */
const char *errno_name(int err);
/* errno number of a name such as "EPERM" or "eperm"; -1 if unknown */
int errno_from_name(const char *name);

/* Capability names: "CAP_SYS_TIME" (index = capability number) */
#define SCLENS_CAP_LAST 40
const char *cap_name(int cap);
/* Accepts "SYS_TIME", "CAP_SYS_TIME", any case; -1 if unknown */
int cap_from_name(const char *name);
/* The capability name closest to a misspelt one ("SYS_TIME" for
 * "SYS_TIMES"), without CAP_, or NULL */
const char *cap_suggest(const char *name);

/* The call of a kernel count row: its name, "unknown" for numbers no
 * table has (the kernel counts them as one), "over_budget" for a cgroup's
 * denials past its budget of kinds */
const char *count_syscall_name(uint32_t audit_arch, int32_t nr);

/* The choice closest to a misspelt word (two edits at most), or NULL */
const char *word_suggest(const char *word, const char *const *choices, size_t n);

#endif
