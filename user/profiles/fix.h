/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Why a call was denied by a profile, and what to change, best first. */
#ifndef SCLENS_FIX_H
#define SCLENS_FIX_H

#include "profile.h"
#include "json_writer.h"
#include "text.h"

#define FIX_MAX 8

struct cap_fix {
	int cap;
	int src_index; /* the source entry that allows the call with it, -1 if none */
	int src_line;
};

struct arg_miss {
	int src_index, src_line;
	struct sc_arg cond; /* the first condition that failed */
	uint64_t passed;
};

struct explanation {
	struct sc_verdict v;
	int rule_index, rule_line; /* of the deciding entry, -1 for the default action */
	bool allowed;
	bool intended;		   /* denied on purpose (ENOSYS so that callers fall back) */
	struct cap_fix caps[FIX_MAX];
	int n_caps;
	struct arg_miss misses[FIX_MAX];
	int n_misses;
	/* names the deciding capability entry allows with it, for the why */
	cJSON *patch;	      /* RFC 6902 JSON Patch against the source file, or NULL */
	cJSON *fixed;	      /* the source document with the patch applied, or NULL */
	const char *danger;   /* what allowing the call gives away, or NULL */
	int kernel_cap;	      /* capability the kernel requires, -1 if none */
	const char *kernel_cap_when;
	bool kernel_cap_missing;
	/* set by the caller after explain_call: whose words the fix uses
	 * ("docker", "podman", "containerd", "kubernetes", ...; NULL: all),
	 * and what to pass as --profile to write the corrected file (a
	 * built-in id or a path; NULL when sclens has no file for it) */
	const char *engine;
	const char *profile_ref;
	/* how the profile is named in the why (a recognised default:
	 * "containerd's default (...)"); NULL: its label */
	const char *profile_title;
	/* a pod's Localhost profile (profile_ref is its path): the fixed file
	 * goes beside it, and the Pod names it relative to the kubelet's root */
	const char *localhost_ref;
};

/* Explains call against src for target; 0 or a negative errno. */
int explain_call(const struct profile *src, const struct sc_target *t, const struct sc_call *call,
		 struct explanation *x);
void explanation_free(struct explanation *x);

/* Human form, several lines, each starting with indent. */
void explanation_plain(struct sbuf *b, const struct explanation *x, const struct profile *src,
		       const struct sc_call *call, const char *indent);
/* JSON members (no braces): "action","errno","rule","fix",... */
void explanation_json(struct jw *w, const struct explanation *x, const struct profile *src,
		      const struct sc_call *call);
/* One short line for a watch event: "rule: ...; fix: ..." */
/* The first fix in the words of the container's engine (the JSON fix's
 * "command"), "" when there is none */
void explanation_fix_command(const struct explanation *x, char *out, size_t n);
void explanation_summary(struct sbuf *b, const struct explanation *x, const struct profile *src,
			 const struct sc_call *call);

#endif
