/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* `sclens posture`: every container's seccomp posture, and the host checks
 * of the KISA container checklist (2024), gathered once and printed as a
 * table or JSON. */
#ifndef SCLENS_POSTURE_H
#define SCLENS_POSTURE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "text.h"

enum posture_level { LEVEL_INFO, LEVEL_LOW, LEVEL_MEDIUM, LEVEL_HIGH };

struct finding {
	enum posture_level level;
	const char *check; /* "seccomp_unconfined", "capability_added", ... (docs/posture.md) */
	char subject[160]; /* a container's name, or "host" */
	char message[512];
	char fix[256];
	const char *source; /* "KISA 2024" or "sclens" */
};

struct findings {
	struct finding *v;
	int n, cap;
};

const char *posture_level_name(enum posture_level l);
/* "high" ... "info"; -1 if unknown */
int posture_level_from_name(const char *name);

/* Host checks, reading files below host_root ("" for /). Pure file
 * reading, so that fixture trees can stand in for a host. */
void posture_check_docker_group(struct findings *f, const char *host_root);
void posture_check_audit(struct findings *f, const char *host_root, bool ask_auditctl);
/* dockerd_cmdline: the running dockerd's NUL-separated command line (len
 * bytes), or NULL when none runs */
void posture_check_icc(struct findings *f, const char *host_root, const char *dockerd_cmdline, size_t len);
void posture_check_docker_socket(struct findings *f, const char *host_root);

int findings_add(struct findings *f, enum posture_level level, const char *check, const char *subject,
		 const char *source, const char *fix, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
void findings_free(struct findings *f);
/* For completion: the running containers' names (what: "containers"),
 * or their "pods", "namespaces" or "images", each once, one a line */
void posture_print_container_words(const char *what);

#endif
