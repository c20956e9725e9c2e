/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The engines' default profiles, known without being told: Docker's
 * (compiled into dockerd, so shipped with sclens), Podman's and CRI-O's
 * (containers-common on the host). A container's effective profile is
 * compared with each, converted for the container's capabilities, to say
 * which one it runs, and to explain its denials against the source with
 * its conditional entries, so that capability fixes can be named. */
#ifndef SCLENS_DEFAULTS_H
#define SCLENS_DEFAULTS_H

#include <stdbool.h>
#include <stdint.h>
#include "profile.h"
#include "text.h"

struct known_default {
	const char *id;	    /* "docker-20.10", "podman" */
	char *title;	    /* "Docker 20.10 default", "Podman default (/usr/share/containers/seccomp.json)" */
	const char *engine; /* "docker" or "podman" (Podman and CRI-O) */
	struct profile *profile; /* the source, Docker format */
};

/* Loads the shipped Docker defaults and the host's containers-common
 * profile (/etc/containers/seccomp.json, else /usr/share/containers/
 * seccomp.json; host_root prefixes both, for tests). Idempotent. */
int defaults_load(const char *host_root);
int defaults_count(void);
const struct known_default *defaults_get(int i);
/* Adds a default the user named (watch --docker-default FILE): checked
 * before the others. The registry takes p. */
int defaults_add_user(const char *path, struct profile *p);
/* By id ("docker-20.10", "podman"); NULL if none */
const struct known_default *defaults_find(const char *id);
/* A shipped profile by id, loaded as a profile labelled with its title;
 * -ENOENT when there is no such id. */
int defaults_load_builtin(const char *id, struct profile **out, struct sc_error *e);

/* A profile by file name, or by a known default's id when no such file
 * exists ("docker-20.10", "docker-29", "podman"). */
int profile_load_named(const char *name, struct profile **out, struct sc_error *e);

/* How a container's effective profile relates to one default. */
struct default_match {
	const struct known_default *def;
	int differences; /* syscalls whose entries differ after conversion */
	char **differing; /* their names */
	bool exact;	  /* same default action, arches and entries */
};

struct recognition {
	struct default_match *matches; /* every default, closest first */
	int n;
};

/* Compares eff (what the runtime loaded) with every default converted for
 * caps (the container's bounding set). */
int defaults_recognise(const struct profile *eff, uint64_t caps, struct recognition *out);
void recognition_free(struct recognition *r);
/* Is eff exactly what an engine makes of src for a container with caps
 * (same default action, arches and entries)? 0 or -errno. */
int profile_converts_to(const struct profile *src, const struct profile *eff, uint64_t caps, bool *same);
/* The default that explains a denial of name exactly: an exact match, or
 * the closest default whose entries for name are the same as the
 * container's. NULL: none does (a custom profile). */
const struct default_match *recognition_for_call(const struct recognition *r, const char *name);
/* "Docker 20.10 default", "Docker 25.0 default with 3 differences
 * (a, b, c)", or "custom" */
void recognition_describe(const struct recognition *r, struct sbuf *b);

#endif
