// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#define _GNU_SOURCE
#include <errno.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "privileges.h"

/* The highest capability this kernel knows (CAP_CHECKPOINT_RESTORE is 40) */
static int last_cap(void)
{
	int last = 40;

	while (last < 63 && prctl(PR_CAPBSET_READ, last + 1, 0, 0, 0) >= 0)
		last++;
	return last;
}

int privileges_drop_to(uint64_t keep, uint64_t *kept)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = {};
	uint64_t eff, perm;

	if (syscall(SYS_capget, &h, d))
		return -errno;
	eff = d[0].effective | (uint64_t)d[1].effective << 32;
	perm = d[0].permitted | (uint64_t)d[1].permitted << 32;
	/* the bounding set first, while CAP_SETPCAP is still ours */
	if (perm & (1ULL << CAP_SETPCAP))
		for (int c = 0; c <= last_cap(); c++)
			if (!(keep & (1ULL << c)) && prctl(PR_CAPBSET_READ, c, 0, 0, 0) == 1 &&
			    prctl(PR_CAPBSET_DROP, c, 0, 0, 0))
				return -errno;
	eff &= keep;
	perm &= keep;
	d[0].effective = (uint32_t)eff;
	d[1].effective = eff >> 32;
	d[0].permitted = (uint32_t)perm;
	d[1].permitted = perm >> 32;
	d[0].inheritable = d[1].inheritable = 0;
	if (syscall(SYS_capset, &h, d))
		return -errno;
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) && errno != EINVAL)
		return -errno;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -errno;
	if (kept)
		*kept = eff;
	return 0;
}
