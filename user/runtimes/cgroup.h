/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* cgroup v2: where it is mounted, and cgroup id <-> path. */
#ifndef SCLENS_CGROUP_H
#define SCLENS_CGROUP_H

#include <stdbool.h>
#include <stdint.h>

/* Mount point of the cgroup v2 hierarchy ("/sys/fs/cgroup" on unified
 * hosts, "/sys/fs/cgroup/unified" on hybrid ones); NULL if none. */
const char *cgroup2_root(void);
/* The id the kernel reports (bpf_get_current_cgroup_id) for a directory
 * of the v2 hierarchy: its inode number. Negative errno on failure. */
int cgroup_id_of_path(const char *path, uint64_t *id);
/* Path below the v2 root ("/system.slice/foo.scope"), cached; rescans
 * the hierarchy on a miss (at most once per second). NULL if unknown
 * (a cgroup removed before we saw it). */
const char *cgroup_path_of_id(uint64_t id);

/* Does the cgroup of this id still exist? (true when it cannot be told) */
bool cgroup_alive(uint64_t id);
/* Forgets the cached paths keep() says no to; how many are cached */
void cgroup_retain(bool (*keep)(uint64_t id, void *arg), void *arg);
size_t cgroup_cached(void);

#endif
