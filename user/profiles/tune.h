/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Profiles from recordings (sclens record): the calls recorded, the
 * profile generated from them, a profile tightened to them, the verdict
 * classes diff compares. Pure logic, no printing but rset_load's messages: commands/profile.c
 * says it to users. */
#ifndef SCLENS_TUNE_H
#define SCLENS_TUNE_H

#include <stddef.h>
#include <stdio.h>

#include <stdbool.h>
#include <stdint.h>
#include "text.h"

struct cJSON;
struct profile;
struct sc_rule;

/* Distinct values of a conditioned argument kept as conditions; past
 * this, the call is allowed whatever the argument */
#define MAX_ARG_VALUES 16

/* One call of the recordings */
struct rcall {
	char *name;
	uint64_t count;
	uint32_t arches; /* bit 0 x86_64, 1 i386, 2 x32 */
	int arg;	 /* conditioned argument, -1 none */
	uint64_t values[MAX_ARG_VALUES];
	int n_values;
	bool too_many; /* more distinct values than kept */
};

/* The calls of a set of recordings */
/* A call the workload was denied with an errno while recorded: it relied on
 * that answer (glibc falls back from clone3 on ENOSYS, not on EPERM) */
struct rdenied {
	char *name;
	int err;
};

struct rset {
	struct rcall *v;
	int n, cap;
	struct rdenied *denied;
	int n_denied, cap_denied;
	uint32_t arches;
	int containers;
	int unconfined; /* recorded without a filter: setup calls included */
	uint64_t lost;
};

/* Loads every path as a recording into s: 0 or an exit code (the
 * message printed) */
int rset_load(char **paths, int n, struct rset *s);
/* Adds one recording's calls (a parsed document). 0, -ENOMEM, or -EINVAL
 * with msg set */
int rset_add_recording(struct rset *s, const struct cJSON *doc, char *msg, size_t msg_len);
void rset_free(struct rset *s);

/* The profile (Docker's format; OCI's is the same object) allowing what s
 * holds and nothing else: ERRNO(EPERM) for the rest. source: said in a
 * comment. Sorts s. */
void tune_generate(struct sbuf *b, struct rset *s, const char *source);

/* A name an entry of the profile lost: never called */
struct tighten_removal {
	char name[64];
	int entry;	  /* its index in syscalls */
};

/* The profile minus what the recordings never called */
struct tightened {
	struct cJSON *doc;   /* the new profile */
	struct cJSON *patch; /* RFC 6902, from the old to the new */
	struct tighten_removal *removed;
	int n_removed, cap_removed;
	int n_names_removed, kept;
};

/* Each allowing entry of p keeps only the names s recorded, and goes when
 * none is left; denying entries stay. 0 or -ENOMEM */
int tune_tighten(const struct profile *p, const struct rset *s, struct tightened *t);
void tightened_free(struct tightened *t);

/* How an effective profile treats a call: "allow", "deny", or "args"
 * (depends on the arguments: *rule says which) */
const char *tune_classify(const struct profile *eff, uint32_t arch, const char *name, const struct sc_rule **rule);


#endif
