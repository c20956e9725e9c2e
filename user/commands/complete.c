// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Words for bash completion (completions/sclens.bash), from sclens's own
 * tables, so that they cannot drift from what sclens accepts (the command
 * names come from main.c's table). */
#include <stdio.h>
#include <string.h>
#include "commands.h"
#include "defaults.h"
#include "names.h"
#include "posture.h"
#include "selection.h"
#include "sclens.h"

int cmd_complete(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";

	if (!strcmp(what, "syscalls")) {
		for (int nr = 0; nr < 1024; nr++) {
			const char *n = syscall_name(SCLENS_ARCH_X86_64, nr);
			if (n)
				puts(n);
		}
		for (int i = 0; syscall_class_names[i]; i++)
			puts(syscall_class_names[i]);
	} else if (!strcmp(what, "profiles")) {
		defaults_load(NULL);
		for (int i = 0; i < defaults_count(); i++)
			puts(defaults_get(i)->id);
	} else if (!strcmp(what, "containers") || !strcmp(what, "pods") || !strcmp(what, "namespaces") ||
		   !strcmp(what, "images")) {
		posture_print_container_words(what);
	} else if (!strcmp(what, "capabilities")) {
		for (int cap = 0; cap <= SCLENS_CAP_LAST; cap++)
			if (cap_name(cap))
				puts(cap_name(cap) + 4); /* as --cap-add takes it: SYS_TIME */
	} else {
		fprintf(stderr, "sclens __complete: commands, syscalls, profiles, containers, pods, namespaces, images "
				"or capabilities\n");
		return EXIT_USAGE;
	}
	return EXIT_OK;
}
