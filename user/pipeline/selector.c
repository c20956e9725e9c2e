// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "names.h"
#include "profile.h"
#include "selector.h"

void watch_opts_init(struct watch_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->filters.nr = -1;
	o->filters.method = -1;
	/* a node's tenants share the ring buffer: each cgroup's storm is
	 * paced (watch --rate-limit 0 to see every event) */
	o->filters.events_per_s = 1000;
	o->filters.events_burst = 1000;
}

/* -p, -c and -s in user space: lists, and names on every arch */
bool watch_event_selected(const struct watch_opts *o, const struct sclens_event *e)
{
	if (o->pids.n) {
		char pid[16];
		snprintf(pid, sizeof(pid), "%u", e->pid);
		if (!str_list_has(&o->pids, pid))
			return false;
	}
	if (o->comms.n) {
		char comm[SCLENS_COMM_LEN + 1];
		snprintf(comm, sizeof(comm), "%.*s", SCLENS_COMM_LEN, e->comm);
		if (!str_list_has(&o->comms, comm))
			return false;
	}
	if (e->type != SCLENS_EV_FILTER_INSTALL && o->syscalls.n &&
	    !syscall_set_has(&o->syscalls, syscall_name(e->arch, e->nr)))
		return false;
	return true;
}

bool watch_container_filtering(const struct watch_opts *o)
{
	return o->containers.n || o->pods.n || o->namespaces.n || o->images.n;
}

/* The container filters the user gave (all must hold). */
bool watch_container_wanted(const struct watch_opts *o, const struct container *c)
{
	if (o->host_only && c->runtime)
		return false;
	if (o->containers.n) {
		bool any = false;
		for (int i = 0; i < o->containers.n && !any; i++)
			any = container_matches(c, o->containers.v[i]);
		if (!any)
			return false;
	}
	if (o->pods.n && !str_list_has(&o->pods, c->pod))
		return false;
	if (o->namespaces.n && !str_list_has(&o->namespaces, c->namespace))
		return false;
	if (o->images.n) {
		bool any = false;
		for (int i = 0; i < o->images.n && !any; i++)
			any = image_matches(c->image, o->images.v[i]);
		if (!any)
			return false;
	}
	return true;
}

void watch_opts_free(struct watch_opts *o)
{
	str_list_free(&o->containers);
	str_list_free(&o->pods);
	str_list_free(&o->namespaces);
	str_list_free(&o->images);
	str_list_free(&o->syscall_args);
	str_list_free(&o->pids);
	str_list_free(&o->comms);
	syscall_set_free(&o->syscalls);
	profile_free(o->shadow);
	o->shadow = NULL;
	for (int i = 0; i < o->n_profiles; i++) {
		profile_free(o->profiles[i].profile);
		free((char *)o->profiles[i].container);
	}
	o->n_profiles = 0; /* freed once, whoever frees it again */
}

bool watch_cgroup_wanted(const struct watch_opts *o, uint64_t cgroup_id, const struct container *c)
{
	return (!o->cgroup_id || cgroup_id == o->cgroup_id) && watch_container_wanted(o, c);
}
