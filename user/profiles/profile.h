/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Seccomp profiles: Docker's format and OCI's (linux.seccomp), their
 * conversion into what the kernel runs, and evaluation of a call. */
#ifndef SCLENS_PROFILE_H
#define SCLENS_PROFILE_H

#include <stdbool.h>
#include <stdint.h>
#include <cjson/cJSON.h>

enum sc_op {
	SC_OP_NE = 1,
	SC_OP_LT,
	SC_OP_LE,
	SC_OP_EQ,
	SC_OP_GE,
	SC_OP_GT,
	SC_OP_MASKED_EQ,
};

#define SC_MAX_ARGS 16 /* conditions in one entry (an index may repeat) */

struct sc_arg {
	uint32_t index;
	uint64_t value, value_two;
	enum sc_op op;
};

/* includes / excludes of a Docker profile entry */
struct sc_cond {
	char **caps;
	int n_caps;
	char **arches; /* Go names: amd64, x86, x32, arm64, ... */
	int n_arches;
	int min_kernel; /* major * 1000 + minor; 0 when absent */
	bool present;
};

struct sc_rule {
	char **names;
	int n_names;
	uint32_t action; /* SCLENS_ACT_* */
	uint32_t errno_ret;
	bool has_errno_ret;
	struct sc_arg args[SC_MAX_ARGS];
	int n_args;
	struct sc_cond includes, excludes;
	char *comment;
	int index; /* in the source file's syscalls[] */
	int line;  /* of that entry in the source file; 0 if unknown */
};

/* Distinct arches: more than every SCMP_ARCH_* name there is, so a
 * deduplicated list always fits. */
#define SC_MAX_ARCHES 32

struct sc_arch_map {
	uint32_t arch;
	uint32_t subs[SC_MAX_ARCHES];
	int n_subs;
};

/* A warning about a profile that loads: what the engines do silently
 * (a duplicate key, an unknown syscall name), with where it is. */
struct sc_warning {
	char path[128];
	char msg[256];
	int line;
};

struct profile {
	char *label;	/* file name, for messages; or a title ("Docker 20.10 default") */
	bool titled;	/* label is a title, not a file name */
	char *text;	/* the file as read */
	cJSON *doc;	/* the whole document */
	cJSON *section; /* the seccomp object inside it */
	const char *section_path; /* "" or "/linux/seccomp": JSON Pointer prefix */
	uint32_t default_action;
	uint32_t default_errno;
	bool has_default_errno;
	uint32_t arches[SC_MAX_ARCHES]; /* AUDIT_ARCH values; x32 as SCMP_ARCH_X32 token; distinct */
	int n_arches;
	struct sc_arch_map *arch_map;
	int n_arch_map;
	struct sc_rule *rules;
	int n_rules;
	bool docker_only; /* uses Docker-only keys (includes, excludes, archMap, name) */
	struct sc_warning *warnings;
	int n_warnings;
};

/* What a bad profile gets: the JSON path of the offending value, and why. */
struct sc_error {
	char path[128];
	char msg[256];
	int line;
};

int profile_load_file(const char *path, struct profile **out, struct sc_error *err);
int profile_load_text(const char *text, size_t len, const char *label, struct profile **out,
		      struct sc_error *err);
void profile_free(struct profile *p);
/* "FILE: syscalls[3].args[0].index (line 12): ..." */
void profile_error_print(const char *label, const struct sc_error *err);
/* "sclens: FILE: warning: ..." for each warning, on stderr, escaped */
void profile_warnings_print(const struct profile *p);

/* The container a Docker profile is turned into an OCI one for. */
struct sc_target {
	uint64_t caps;	      /* bounding set, bit = capability number */
	const char *go_arch;  /* host arch in Go's words: "amd64" */
	int kernel;	      /* major * 1000 + minor */
};

/* Docker's default capability set, as a mask */
uint64_t docker_default_caps(void);
/* This host's arch and kernel, as a target with Docker's default caps */
void sc_target_host(struct sc_target *t);
/* "amd64" for "x86_64", "i386", "x32" and "amd64"; NULL if unknown */
const char *go_arch_of(const char *name);

/* Does the Docker entry apply to this container (includes/excludes)? */
bool rule_applies(const struct sc_rule *r, const struct sc_target *t);
/* The profile as Docker hands it to the runtime: entries that apply,
 * arches from archMap; rules keep their source index and line. */
int profile_effective(const struct profile *src, const struct sc_target *t, struct profile **out,
		      struct sc_error *err);
/* The OCI linux.seccomp object of a profile (effective or not). */
cJSON *profile_to_oci(const struct profile *p);

struct sc_call {
	uint32_t arch; /* AUDIT_ARCH (SCMP_ARCH_X32 for x32) */
	const char *name;
	uint64_t args[6];
};

struct sc_verdict {
	uint32_t action;
	int errno_val;		    /* -1 when the action has none */
	const struct sc_rule *rule; /* NULL: the default action decided */
	bool bad_arch;		    /* the call's arch is not in the profile */
};

/* Evaluates a call against an effective profile the way runc and
 * libseccomp build the filter: entries whose action equals the default
 * are dropped; among entries naming the call whose conditions all hold
 * (ANDed), the first decides; otherwise the default action. */
void profile_eval(const struct profile *eff, const struct sc_call *call, struct sc_verdict *v);
/* Do all conditions of r hold for call? With arch for 32-bit truncation. */
bool rule_args_match(const struct sc_rule *r, const struct sc_call *call);
bool rule_names(const struct sc_rule *r, const char *name);

const char *sc_action_profile_name(uint32_t action); /* "SCMP_ACT_ERRNO" */
const char *sc_op_name(enum sc_op op);
bool action_allows(uint32_t action);

#endif
