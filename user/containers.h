/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* From a cgroup to the container the user knows: runtime, id, name,
 * image, Kubernetes pod and namespace, and its effective seccomp profile,
 * read from the runtimes' own files on the host. */
#ifndef SCLENS_CONTAINERS_H
#define SCLENS_CONTAINERS_H

#include <stdbool.h>
#include <stdint.h>
#include "profile.h"
#include "json_writer.h"
#include "text.h"

struct container_roots {
	const char *runc;	/* /run/runc */
	const char *docker;	/* /var/lib/docker */
	const char *containerd; /* /run/containerd/io.containerd.runtime.v2.task */
	const char *crio;	/* /run/containers/storage/overlay-containers */
	const char *podman;	/* /var/lib/containers/storage/overlay-containers */
};

struct container {
	uint64_t cgroup_id;
	char *runtime;	/* docker, containerd, cri-o, podman, runc, systemd-nspawn; NULL on the host */
	char *id;
	char *name;
	char *image;
	char *pod, *namespace, *container_name; /* Kubernetes */
	char *pod_uid;	/* from the cgroup path */
	char *unit;	/* systemd unit, for host processes */
	char *bundle;	/* OCI bundle directory, when known */
	struct profile *profile; /* effective profile from the bundle, or NULL */
	uint64_t caps;	/* bounding set from the bundle */
	bool has_caps;
	bool filter_decided; /* its cgroup's entry in the kernel filter is written */
};

void containers_init(const struct container_roots *roots);
/* Parses a cgroup path (below the v2 root) into runtime, id, pod uid or
 * unit. Pure: no file is read. Returns false when nothing is recognised. */
bool container_from_cgroup_path(const char *path, struct container *c);
/* Resolves (and caches) the container of a cgroup. path may be NULL when
 * the cgroup is gone; leaf is the last component captured in the kernel.
 * Never NULL; for host processes runtime is NULL. */
const struct container *container_lookup(uint64_t cgroup_id, const char *path, const char *leaf);
/* Notes that c's cgroup has its entry in the kernel's filter map. */
void container_mark_filter_decided(const struct container *c);
/* Does c match a --container ID|NAME (id prefix or exact name)? */
bool container_matches(const struct container *c, const char *query);
/* The member "container" (or "host" with its unit), or nothing */
void container_json(struct jw *w, const struct container *c);
/* short label for the human line (raw: the printer escapes it): name,
 * namespace/pod/container, short id, or host and its unit */
void container_label(struct sbuf *b, const struct container *c);
void container_free(struct container *c);

/* Reads a small JSON file from a host path without following a symlink in
 * its last component; NULL with errno set on failure. */
struct cJSON *read_json_nofollow(const char *path, size_t max_bytes);

#endif
