/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* A pod's Localhost seccomp profile, found where the kubelet keeps them.
 * The kubelet hands the runtime an absolute path under its seccomp root
 * (<root-dir>/seccomp, /var/lib/kubelet/seccomp); containerd converts the
 * file into the bundle and keeps no note of its name. So the file is
 * found by content: the one whose conversion for the container's
 * capabilities is exactly the bundle's profile. The root is the node's,
 * written by root (or the Security Profiles Operator): a tenant cannot
 * make a file there to be named after. */
#ifndef SCLENS_KUBELET_H
#define SCLENS_KUBELET_H

#include <stdint.h>
#include "profile.h"

#define KUBELET_SECCOMP_ROOT "/var/lib/kubelet/seccomp"
/* The seccomp root under a kubelet's --root-dir (a static buffer: the last
 * one asked for) */
const char *kubelet_seccomp_root(const char *root_dir);
/* files looked at, at most, under the root (depth 4: the operator's
 * operator/<namespace>/<name>.json is 3) */
#define KUBELET_MAX_FILES 256

/* The profile file under root that becomes eff for a container with caps:
 * *src (labelled with its path, so rules name their lines) and *ref (its
 * path relative to root, the Pod's localhostProfile; malloc'd). 0,
 * -ENOENT when no file does, or -errno. Files are tried in name order. */
int kubelet_localhost_find(const char *root, const struct profile *eff, uint64_t caps, struct profile **src,
			   char **ref);

#endif
