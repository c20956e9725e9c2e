/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Where the node's containerd daemons keep their tasks. A containerd can
 * keep its state anywhere (k3s: /run/k3s/containerd; Docker 20.10's own:
 * /var/run/docker/containerd/daemon): each running containerd is asked
 * through its command line and its config file, as `ps` and its config
 * show them, so no option is needed. Only daemons that run on the host
 * (its root filesystem, as root, outside any container's cgroup) count: a
 * tenant's process named containerd names nothing. */
#ifndef SCLENS_CONTAINERD_H
#define SCLENS_CONTAINERD_H

#include <stddef.h>

/* The state directory a containerd command line and its config give:
 * --state DIR, else the config's top-level `state = "DIR"` (the config
 * from --config/-c FILE, else /etc/containerd/config.toml, read through
 * read_config), else /run/containerd. 0 or -errno. Pure but for
 * read_config, for tests. */
int containerd_state_of(const char *const *argv, int argc,
			char *(*read_config)(const char *path, void *arg), void *arg, char *out, size_t n);

/* The top-level string value of key in a containerd config.toml (before
 * its first [table]); 0, -ENOENT, or -ENAMETOOLONG. */
int containerd_toml_top_string(const char *toml, const char *key, char *out, size_t n);

/* The task roots (<state>/io.containerd.runtime.v2.task) of every
 * containerd running on the host now, looked up again at most every few
 * seconds; *n of them, in a static list valid until the next call. */
const char *const *containerd_task_roots(int *n);

#endif
