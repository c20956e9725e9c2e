// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <seccomp.h>
#include "capopts.h"
#include "names.h"

int cap_opts_add(struct cap_opts *o, const char *name, bool add)
{
	int c;

	if (!strcasecmp(name, "ALL") || !strcasecmp(name, "CAP_ALL")) {
		if (add)
			o->add_all = true;
		else
			o->drop_all = true;
		return 0;
	}
	c = cap_from_name(name);
	if (c < 0)
		return -EINVAL;
	if (add)
		o->add |= 1ULL << c;
	else
		o->drop |= 1ULL << c;
	return 0;
}

/* The calls a host of this Go arch makes natively */
static uint32_t native_call_arch(const char *go_arch)
{
	return !strcmp(go_arch, "arm64") ? SCMP_ARCH_AARCH64 : SCMP_ARCH_X86_64;
}

int cap_opts_target(const struct cap_opts *o, struct sc_target *t, uint32_t *call_arch)
{
	uint64_t all = (SCLENS_CAP_LAST == 63) ? ~0ULL : ((1ULL << (SCLENS_CAP_LAST + 1)) - 1);

	sc_target_host(t);
	/* docker: ALL in --cap-add wins; --cap-drop ALL starts from nothing */
	if (o->drop_all)
		t->caps = 0;
	t->caps &= ~o->drop;
	t->caps |= o->add;
	if (o->add_all)
		t->caps = all;
	if (call_arch)
		*call_arch = native_call_arch(t->go_arch);
	if (o->arch) {
		/* a 32-bit arm call runs on an arm64 host, under its profile */
		bool arm32 = !strcasecmp(o->arch, "arm");
		const char *go = arm32 ? "arm64" : go_arch_of(o->arch);
		if (!go) {
			fprintf(stderr, "sclens: unknown arch '%s' (x86_64, i386, x32, aarch64, arm)\n", o->arch);
			return -EINVAL;
		}
		t->go_arch = go;
		if (call_arch) {
			if (!strcasecmp(o->arch, "i386"))
				*call_arch = SCMP_ARCH_X86;
			else if (!strcasecmp(o->arch, "x32"))
				*call_arch = SCMP_ARCH_X32;
			else if (arm32)
				*call_arch = SCMP_ARCH_ARM;
			else if (!strcasecmp(o->arch, "x86_64") || !strcasecmp(o->arch, "amd64"))
				*call_arch = SCMP_ARCH_X86_64;
			else if (!strcasecmp(o->arch, "aarch64") || !strcasecmp(o->arch, "arm64"))
				*call_arch = SCMP_ARCH_AARCH64;
			else {
				fprintf(stderr, "sclens: calls can be explained for x86_64, i386, x32, aarch64 and arm\n");
				return -EINVAL;
			}
		}
	}
	if (o->kernel) {
		unsigned major, minor;
		char tail;
		if (sscanf(o->kernel, "%u.%u%c", &major, &minor, &tail) != 2) {
			fprintf(stderr, "sclens: --kernel wants a version such as 5.15\n");
			return -EINVAL;
		}
		t->kernel = major * 1000 + minor;
	}
	return 0;
}
