// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <string.h>
#include <seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include "apply.h"
#include "names.h"
#include "sclens.h"

static uint32_t scmp_action(uint32_t action, int errno_val)
{
	switch (action) {
	case SCLENS_ACT_ALLOW: return SCMP_ACT_ALLOW;
	case SCLENS_ACT_ERRNO: return SCMP_ACT_ERRNO(errno_val < 0 ? 1 : errno_val);
	case SCLENS_ACT_KILL_PROCESS: return SCMP_ACT_KILL_PROCESS;
	case SCLENS_ACT_KILL_THREAD: return SCMP_ACT_KILL_THREAD;
	case SCLENS_ACT_TRAP: return SCMP_ACT_TRAP;
	case SCLENS_ACT_TRACE: return SCMP_ACT_TRACE(0);
	case SCLENS_ACT_LOG: return SCMP_ACT_LOG;
	case SCLENS_ACT_USER_NOTIF: return SCMP_ACT_NOTIFY;
	}
	return SCMP_ACT_KILL_THREAD;
}

static int rule_errno(const struct sc_rule *r)
{
	return r->has_errno_ret ? (int)r->errno_ret : 1;
}

static scmp_filter_ctx build_ctx(const struct profile *eff, int *skipped, int *errp)
{
	uint32_t def = scmp_action(eff->default_action, eff->has_default_errno ? (int)eff->default_errno : 1);
	scmp_filter_ctx ctx = seccomp_init(def);
	bool native_listed = !eff->n_arches;
	int err = 0;

	*skipped = 0;
	*errp = 0;
	if (!ctx) {
		*errp = -ENOMEM;
		return NULL;
	}
	for (int i = 0; i < eff->n_arches; i++) {
		if (eff->arches[i] == seccomp_arch_native()) {
			native_listed = true;
			continue;
		}
		err = seccomp_arch_add(ctx, eff->arches[i]);
		if (err && err != -EEXIST)
			goto out;
	}
	if (!native_listed)
		seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE);
	for (int i = 0; i < eff->n_rules; i++) {
		const struct sc_rule *r = &eff->rules[i];
		uint32_t act = scmp_action(r->action, rule_errno(r));
		struct scmp_arg_cmp cmp[SC_MAX_ARGS];

		if (act == def)
			continue; /* libseccomp refuses it; runc skips it too */
		for (int k = 0; k < r->n_args; k++) {
			cmp[k].arg = r->args[k].index;
			cmp[k].op = (enum scmp_compare)r->args[k].op; /* same numbering as libseccomp */
			cmp[k].datum_a = r->args[k].value;
			cmp[k].datum_b = r->args[k].value_two;
		}
		for (int n = 0; n < r->n_names; n++) {
			int nr = seccomp_syscall_resolve_name(r->names[n]);
			if (nr == __NR_SCMP_ERROR) {
				(*skipped)++;
				continue;
			}
			err = seccomp_rule_add_array(ctx, act, nr, r->n_args, cmp);
			if (err == -EEXIST || err == -EINVAL) {
				(*skipped)++;
				err = 0;
			} else if (err) {
				goto out;
			}
		}
	}
	return ctx;
out:
	seccomp_release(ctx);
	*errp = err;
	return NULL;
}

int profile_apply(const struct profile *eff, int *skipped)
{
	int err;
	scmp_filter_ctx ctx = build_ctx(eff, skipped, &err);

	if (!ctx)
		return err;
	err = seccomp_load(ctx);
	seccomp_release(ctx);
	return err;
}

int profile_export_bpf(const struct profile *eff, struct sock_filter **prog, size_t *len)
{
	int skipped, err, fd;
	scmp_filter_ctx ctx = build_ctx(eff, &skipped, &err);
	off_t size;

	if (!ctx)
		return err;
	fd = memfd_create("sclens-bpf", MFD_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		goto out;
	}
	err = seccomp_export_bpf(ctx, fd);
	if (err)
		goto out;
	size = lseek(fd, 0, SEEK_END);
	*prog = malloc(size ? size : 1);
	*len = size / sizeof(struct sock_filter);
	if (!*prog) {
		err = -ENOMEM;
		goto out;
	}
	if (pread(fd, *prog, size, 0) != size) {
		free(*prog);
		err = -EIO;
	}
out:
	if (fd >= 0)
		close(fd);
	seccomp_release(ctx);
	return err;
}

int caps_limit(uint64_t caps)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = {};

	for (int c = 0; c <= SCLENS_CAP_LAST; c++) {
		if (caps & (1ULL << c))
			continue;
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) && errno != EINVAL)
			return -errno;
	}
	if (syscall(SYS_capget, &h, d))
		return -errno;
	for (int i = 0; i < 2; i++) {
		uint32_t m = (uint32_t)(caps >> (32 * i));
		d[i].effective &= m;
		d[i].permitted &= m;
		d[i].inheritable &= m;
	}
	if (syscall(SYS_capset, &h, d))
		return -errno;
	return 0;
}
