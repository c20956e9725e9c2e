/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* What a long-running sclens keeps of root once its programs are attached,
 * its files open and its port bound: the capabilities it still uses, the
 * same set the systemd unit and the DaemonSet grant. */
#ifndef SCLENS_PRIVILEGES_H
#define SCLENS_PRIVILEGES_H

#include <stdint.h>

/* CAP_BPF and CAP_PERFMON (maps, the shadow programs compiled on first
 * need), CAP_DAC_READ_SEARCH (the runtimes' root-only state, cgroup
 * handles), CAP_SYS_PTRACE (other processes' /proc), CAP_SYS_RESOURCE */
#define SCLENS_DAEMON_CAPS \
	((1ULL << 39) | (1ULL << 38) | (1ULL << 2) | (1ULL << 19) | (1ULL << 24))

/* Drops every other capability from the effective, permitted, inheritable
 * and bounding sets, and sets no_new_privs. *kept: what remains. 0 or
 * -errno (nothing half done is left: the bounding set goes last). */
int privileges_drop_to(uint64_t keep, uint64_t *kept);

#endif
