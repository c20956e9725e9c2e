/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* From a cgroup to the container the user knows: runtime, id, name,
 * image, Kubernetes pod and namespace, and its effective seccomp profile,
 * read from the runtimes' own files on the host. */
#ifndef SCLENS_CONTAINERS_H
#define SCLENS_CONTAINERS_H

#include <stdbool.h>
#include <stdint.h>
#include "defaults.h"
#include "profile.h"
#include "json_writer.h"
#include "text.h"

struct container_roots {
	const char *runc;	/* /run/runc */
	const char *docker;	/* /var/lib/docker */
	const char *containerd; /* /run/containerd/io.containerd.runtime.v2.task */
	const char *crio;	/* /run/containers/storage/overlay-containers */
	const char *podman;	/* /var/lib/containers/storage/overlay-containers */
	/* Docker 20.10 runs its own containerd; 23 and later the system's */
	const char *docker_containerd; /* /run/docker/containerd/daemon/io.containerd.runtime.v2.task */
	const char *kubelet_seccomp;   /* /var/lib/kubelet/seccomp: pods' Localhost profiles */
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
	/* the Docker-format profile the user gave the engine
	 * (docker run --security-opt seccomp=FILE keeps its content), or NULL */
	struct profile *source;
	/* a pod's Localhost profile: source's path relative to the kubelet's
	 * seccomp root (the Pod's localhostProfile), or NULL */
	char *localhost_ref;
	bool unconfined; /* --security-opt seccomp=unconfined */
	bool rootless;	 /* in a user's own tree: none of root's engine state names it */
	bool privileged;
	bool sandbox;	 /* a pod's sandbox (pause) container, as its CRI runtime marks it */
	struct recognition *recognition; /* which default it runs; computed on first use */
	bool recognised;
	bool filter_decided; /* its cgroup's entry in the kernel filter is written */
	uint64_t first_seen_ns; /* CLOCK_MONOTONIC, when first looked up */
	uint64_t last_try_ns;	/* when its runtime was last asked for its name */
	unsigned tries;		/* how often it was asked */
};

void containers_init(const struct container_roots *roots);
/* Parses a cgroup path (below the v2 root) into runtime, id, pod uid or
 * unit. Pure: no file is read. Returns false when nothing is recognised. */
bool container_from_cgroup_path(const char *path, struct container *c);
/* Resolves (and caches) the container of a cgroup. path may be NULL when
 * the cgroup is gone; leaf is the last component captured in the kernel.
 * Never NULL; for host processes runtime is NULL. */
const struct container *container_lookup(uint64_t cgroup_id, const char *path, const char *leaf);
/* As container_lookup, for a cgroup that may be new. A runtime names its
 * container only after the container's first process runs in its cgroup
 * (runc writes state.json at the end of `runc create`): a cgroup that
 * names nothing (no runtime, no unit) and still exists is resolved again,
 * in place, for CONTAINER_NAMING_NS after it was first seen, and *naming
 * says so; a decision about it should wait until it is false. */
#define CONTAINER_NAMING_NS (5 * 1000000000ULL)
/* ... asked at most this often meanwhile, once the first events were
 * asked for at once: the filter is installed (the first event) before
 * `runc create` writes its state, and the container's first denial comes
 * right after */
#define CONTAINER_RETRY_NS (100 * 1000000ULL)
#define CONTAINER_TRIES_AT_ONCE 3
const struct container *container_resolve(uint64_t cgroup_id, const char *path, const char *leaf, bool *naming);
/* Which known default c's effective profile is (computed once, from what
 * was read when the container was first seen: a container that is gone
 * since is still recognised). NULL without an effective profile. */
const struct recognition *container_recognition(const struct container *c);
/* The engine's word for c, for fixes: "docker", "podman", "containerd",
 * "kubernetes" (a pod), "cri-o", "runc", ...; NULL on the host. */
const char *container_engine(const struct container *c);
/* Containers cached now */
size_t containers_count(void);
/* Forgets the cached containers keep() says no to (a long-running daemon
 * bounds its memory with it: containers whose cgroup is gone). */
void containers_retain(bool (*keep)(uint64_t cgroup_id, void *arg), void *arg);
/* Forgets every cached container (tests, fuzzing, and SIGHUP later). */
void containers_reset(void);

/* Reads the seccomp-related metadata of the engines' files, from text
 * already read (exposed for fuzzing): a bundle's config.json, Docker's
 * config.v2.json and hostconfig.json, containers/storage's
 * containers.json, runc's state.json (true if it is this cgroup's). */
void meta_bundle_config(struct container *c, const char *text, size_t len, const char *label);
void meta_docker_config(struct container *c, const char *text, size_t len);
void meta_docker_hostconfig(struct container *c, const char *text, size_t len);
void meta_storage_list(struct container *c, const char *text, size_t len);

/* Notes that c's cgroup has its entry in the kernel's filter map. */
void container_mark_filter_decided(const struct container *c);
/* Does c match a --container ID|NAME (id prefix or exact name)? */
bool container_matches(const struct container *c, const char *query);
/* Does the image reference a container runs (as its engine keeps it:
 * "busybox", "docker.io/library/busybox:latest", "localhost/app:1") match
 * what the user asked for? A query without a tag matches every tag; one
 * without a registry matches on any registry (Docker Hub's "library/"
 * aside); a digest must be equal. */
bool image_matches(const char *image, const char *query);
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
