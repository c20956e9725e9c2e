/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* What -s/--syscall selects: names, numbers (x86_64's table) and strace's
 * classes (%clock, %file, %network, ...), as lists or repeated options.
 * Calls are matched by name, so a selection holds on every arch. */
#ifndef SCLENS_SELECTION_H
#define SCLENS_SELECTION_H

#include <stdbool.h>
#include <stddef.h>
#include "str_list.h"

struct syscall_set {
	char **names;
	int n;
};

/* Adds "a,b,%clock,227" to set. On an unknown name or class: -ENOENT and a
 * message with the closest name in err. */
int syscall_set_add(struct syscall_set *set, const char *arg, char *err, size_t err_len);
bool syscall_set_has(const struct syscall_set *set, const char *name);
void syscall_set_free(struct syscall_set *set);
/* The classes strace knows, for --help and completion: "%clock", ... */
extern const char *const syscall_class_names[];

/* "time", "file", ...: the class most of names belong to (at least half),
 * for people ("clock_settime and 3 other time calls"); NULL if none */
const char *syscall_class_word(char *const *names, int n);


#endif
