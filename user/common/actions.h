/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The names of seccomp actions (SCLENS_ACT_*) and event types (SCLENS_EV_*) */
#ifndef SCLENS_ACTIONS_H
#define SCLENS_ACTIONS_H

#include <stdint.h>
#include <linux/types.h>
#include "sclens.h"

/* "errno", "kill_process", ...; "unknown" past the table */
const char *action_name(uint32_t action);
/* -1 if unknown; any case */
int action_from_name(const char *name);
/* "denial", "filter_install", "notification", "would_deny" */
const char *event_type_name(uint32_t type);

#endif
