/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Profiles from recordings (sclens record): generate, merge, tighten, diff;
 * and the Security Profiles Operator's YAML form. */
#ifndef SCLENS_TUNE_H
#define SCLENS_TUNE_H

#include <stddef.h>
#include <stdio.h>

int cmd_profile_generate(int argc, char **argv);
int cmd_profile_merge(int argc, char **argv);
int cmd_profile_tighten(int argc, char **argv);
int cmd_profile_diff(int argc, char **argv);

/* Writes a Docker-format profile (JSON text) as an SPO SeccompProfile named
 * name. 0 or a negative errno. */
int profile_json_to_spo_yaml(const char *json, const char *name, FILE *out);
/* A profile in YAML (an SPO SeccompProfile, or a plain profile written in
 * YAML) as JSON text for the profile parser (malloc'd), or NULL with msg. */
char *spo_yaml_to_profile_json(const char *text, size_t len, char *msg, size_t msg_len);

#endif
