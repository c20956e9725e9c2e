/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The Security Profiles Operator's SeccompProfile (YAML, with libyaml):
 * written from a profile, and read as one */
#ifndef SCLENS_SPO_H
#define SCLENS_SPO_H

#include <stddef.h>
#include <stdio.h>

/* Writes a Docker-format profile (JSON text) as an SPO SeccompProfile named
 * name. 0 or a negative errno. */
int profile_json_to_spo_yaml(const char *json, const char *name, FILE *out);
/* A profile in YAML (an SPO SeccompProfile, or a plain profile written in
 * YAML) as JSON text for the profile parser (malloc'd), or NULL with msg. */
char *spo_yaml_to_profile_json(const char *text, size_t len, char *msg, size_t msg_len);

#endif
