/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* --cap-add / --cap-drop / --arch / --kernel, as `docker run` takes them. */
#ifndef SCLENS_CAPOPTS_H
#define SCLENS_CAPOPTS_H

#include <stdbool.h>
#include <stdint.h>
#include "profile.h"

struct cap_opts {
	uint64_t add, drop;
	bool add_all, drop_all;
	const char *arch;   /* of the call: x86_64, i386, x32, aarch64, arm */
	const char *kernel; /* "X.Y" to pretend */
};

/* Parses a capability name ("SYS_TIME", "CAP_SYS_TIME", "ALL") into o. */
int cap_opts_add(struct cap_opts *o, const char *name, bool add);
/* The container's target: Docker's defaults + adds - drops (drops of ALL
 * first, as docker does), arch and kernel. -EINVAL with a message. */
int cap_opts_target(const struct cap_opts *o, struct sc_target *t, uint32_t *call_arch);

#endif
