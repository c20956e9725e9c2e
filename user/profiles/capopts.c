// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdio.h>
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
		*call_arch = SCMP_ARCH_X86_64;
	if (o->arch) {
		const char *go = go_arch_of(o->arch);
		if (!go) {
			fprintf(stderr, "sclens: unknown arch '%s' (x86_64, i386, x32)\n", o->arch);
			return -EINVAL;
		}
		t->go_arch = go;
		if (call_arch) {
			if (!strcasecmp(o->arch, "i386"))
				*call_arch = SCMP_ARCH_X86;
			else if (!strcasecmp(o->arch, "x32"))
				*call_arch = SCMP_ARCH_X32;
			else if (!strcasecmp(o->arch, "x86_64") || !strcasecmp(o->arch, "amd64"))
				*call_arch = SCMP_ARCH_X86_64;
			else {
				fprintf(stderr, "sclens: calls can be explained for x86_64, i386 and x32\n");
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
