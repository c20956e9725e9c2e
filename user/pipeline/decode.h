/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Arguments as strace shows them, for the calls containers are denied
 * most: clone/clone3/unshare/setns flags, socket family and type, mount
 * flags, open flags and modes, personality, ptrace requests, keyctl
 * commands, some ioctl requests. */
#ifndef SCLENS_DECODE_H
#define SCLENS_DECODE_H

#include <stdbool.h>
#include <stdint.h>
#include "text.h"

/* Appends argument i of a call to name: decoded when known, else hex.
 * Returns false when the call has fewer than i + 1 arguments known (the
 * caller stops there), true otherwise. */
bool decode_arg(struct sbuf *b, const char *name, int i, uint64_t v);
/* The whole argument list, "(CLONE_NEWNS)" style; strs (may be NULL):
 * the text of path arguments read from the process, NULL where none */
void decode_args(struct sbuf *b, const char *name, const uint64_t args[6], const char *const strs[6]);
/* The strings of an event, by argument (NULL where none) */
struct sclens_event;
void event_arg_strings(const struct sclens_event *e, const char *out[6]);

#endif
