// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The names of seccomp actions and of sclens's event types, as the JSON
 * schema spells them (docs/json-schema.md). */
#include <string.h>
#include <strings.h>
#include "actions.h"

static const char *const action_names[] = {
	[SCLENS_ACT_UNKNOWN] = "unknown",	 [SCLENS_ACT_ALLOW] = "allow",
	[SCLENS_ACT_ERRNO] = "errno",		 [SCLENS_ACT_KILL_PROCESS] = "kill_process",
	[SCLENS_ACT_KILL_THREAD] = "kill_thread", [SCLENS_ACT_TRAP] = "trap",
	[SCLENS_ACT_TRACE] = "trace",		 [SCLENS_ACT_USER_NOTIF] = "user_notif",
	[SCLENS_ACT_LOG] = "log",
};

const char *action_name(uint32_t action)
{
	if (action >= sizeof(action_names) / sizeof(action_names[0]))
		return "unknown";
	return action_names[action];
}

int action_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof(action_names) / sizeof(action_names[0]); i++)
		if (!strcasecmp(action_names[i], name))
			return i;
	return -1;
}

const char *event_type_name(uint32_t type)
{
	return type == SCLENS_EV_DENIAL ? "denial" : type == SCLENS_EV_FILTER_INSTALL ? "filter_install" :
	       type == SCLENS_EV_NOTIFICATION ? "notification" : type == SCLENS_EV_WOULD_DENY ? "would_deny" :
											     "unknown";
}

