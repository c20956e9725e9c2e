/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The pipeline's explain stage: a denial explained against its profile
 * once (through the explain cache), with how often this container made
 * this call (the once-per-fix rule of the human form). */
#ifndef SCLENS_EXPLAINER_H
#define SCLENS_EXPLAINER_H

#include <stdbool.h>
#include <stdint.h>
#include "sink.h"

/* What a denial is explained against */
struct explain_src {
	const struct profile *profile; /* Docker-format source, or an effective profile */
	uint64_t caps;		       /* the container's bounding set, if has_caps */
	bool has_caps;		       /* else the process's effective set is used */
	const char *engine;	       /* for the fix's words; NULL: every engine's */
	const char *profile_ref;       /* --profile argument that names it, or NULL */
	const char *title;	       /* what the container runs, said for people; NULL: the label */
	const char *localhost_ref;     /* a pod's Localhost profile, relative to the kubelet's root */
};

struct explainer;

int explainer_new(struct explainer **out);
void explainer_free(struct explainer *x);
/* Forgets explanations (their profiles belonged to containers now freed) */
void explainer_drop(struct explainer *x);
/* e explained against src, its occurrence counted in scope; NULL when the
 * call has no name or no explanation can be made. Valid until the next
 * call. */
const struct explained *explainer_explain(struct explainer *x, const struct sclens_event *e,
					  const struct explain_src *src, const char *scope);
/* Explanations made for the first time (occurrence 1) */
uint64_t explainer_first_count(const struct explainer *x);

#endif
