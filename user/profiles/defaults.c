// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "builtin.h"
#include "defaults.h"
#include "sclens.h"

#define MAX_DEFAULTS 16

static struct known_default defaults[MAX_DEFAULTS];
static int n_defaults;
static bool loaded;

int defaults_load_builtin(const char *id, struct profile **out, struct sc_error *e)
{
	for (int i = 0; i < n_builtin_profiles; i++) {
		const struct builtin_profile *b = &builtin_profiles[i];
		if (strcmp(b->id, id))
			continue;
		int err = profile_load_text(b->text, b->len, b->title, out, e);
		if (!err)
			(*out)->titled = true;
		return err;
	}
	memset(e, 0, sizeof(*e));
	snprintf(e->msg, sizeof(e->msg), "no built-in profile named \"%.64s\"", id);
	return -ENOENT;
}

/* "docker-27" -> 27 * 1000 + 0; -1 if not docker-MAJOR[.MINOR[.PATCH]] */
static long docker_version(const char *id)
{
	unsigned major, minor = 0;
	int n = 0;

	if (strncmp(id, "docker-", 7) || sscanf(id + 7, "%u%n", &major, &n) != 1)
		return -1;
	const char *rest = id + 7 + n;
	if (*rest == '.' && sscanf(rest + 1, "%u%n", &minor, &n) == 1)
		rest += 1 + n;
	if (*rest == '.') { /* a patch release: the minor's profile */
		unsigned patch;
		if (sscanf(rest + 1, "%u%n", &patch, &n) != 1)
			return -1;
		rest += 1 + n;
	}
	return *rest ? -1 : (long)major * 1000 + minor;
}

/* The shipped default a Docker version runs: "docker" is the newest,
 * "docker-27" or "docker-24.0.7" the one whose range holds it (each id is
 * the first version of its range) */
static const char *docker_alias(const char *name)
{
	long want = strcmp(name, "docker") ? docker_version(name) : 1000000;
	const char *best = NULL;
	long best_v = -1;

	if (want < 0)
		return NULL;
	for (int i = 0; i < n_builtin_profiles; i++) {
		long v = docker_version(builtin_profiles[i].id);
		if (v >= 0 && v <= want && v > best_v) {
			best = builtin_profiles[i].id;
			best_v = v;
		}
	}
	return best;
}

int profile_load_named(const char *name, struct profile **out, struct sc_error *e)
{
	if (strchr(name, '/') || !access(name, F_OK))
		return profile_load_file(name, out, e);
	if (!defaults_load_builtin(name, out, e))
		return 0;
	const char *alias = docker_alias(name);
	if (alias && !defaults_load_builtin(alias, out, e))
		return 0;
	/* "containerd": the newest containerd default shipped */
	for (int i = n_builtin_profiles - 1; i >= 0 && !strcmp(name, "containerd"); i--)
		if (!strncmp(builtin_profiles[i].id, "containerd-", 11))
			return defaults_load_builtin(builtin_profiles[i].id, out, e);
	if (!strcmp(name, "podman")) {
		defaults_load(NULL);
		const struct known_default *d = defaults_find("podman");
		if (d)
			return profile_load_file(d->profile->label, out, e);
	}
	memset(e, 0, sizeof(*e));
	if (docker_version(name) >= 0)
		snprintf(e->msg, sizeof(e->msg), "no built-in profile for a Docker that old (the oldest is docker-20.10; "
						 "sclens profile list names them)");
	else
		snprintf(e->msg, sizeof(e->msg),
			 "no such file, and no built-in profile of that name (sclens profile list names them)");
	return -ENOENT;
}

static void add(const char *id, const char *title, const char *engine, struct profile *p)
{
	struct known_default *d = &defaults[n_defaults++];

	d->id = id;
	d->title = strdup(title);
	d->engine = engine;
	d->profile = p;
}

int defaults_load(const char *host_root)
{
	struct sc_error e;
	struct profile *p;
	char path[4096];

	if (loaded)
		return 0;
	loaded = true;
	/* newest first: of equally close matches, the newest is named */
	for (int i = n_builtin_profiles - 1; i >= 0 && n_defaults < MAX_DEFAULTS - 1; i--) {
		if (defaults_load_builtin(builtin_profiles[i].id, &p, &e)) {
			fprintf(stderr, "sclens: internal error: built-in profile %s: %s\n", builtin_profiles[i].id, e.msg);
			continue;
		}
		bool containerd = !strncmp(builtin_profiles[i].id, "containerd-", 11);
		add(builtin_profiles[i].id, builtin_profiles[i].title, containerd ? "containerd" : "docker", p);
	}
	/* containers-common: /etc overrides /usr/share, as Podman reads it */
	static const char *const podman_paths[] = { "/etc/containers/seccomp.json", "/usr/share/containers/seccomp.json" };
	for (size_t i = 0; i < sizeof(podman_paths) / sizeof(podman_paths[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", host_root ? host_root : "", podman_paths[i]);
		if (access(path, F_OK))
			continue;
		if (profile_load_file(path, &p, &e)) {
			profile_error_print(path, &e);
			break;
		}
		char title[4200];
		snprintf(title, sizeof(title), "Podman/CRI-O default (%s)", podman_paths[i]);
		add("podman", title, "podman", p);
		break;
	}
	return 0;
}

int defaults_add_user(const char *path, struct profile *p)
{
	if (n_defaults == MAX_DEFAULTS)
		return -ENOSPC;
	/* first place: the user's word wins over what sclens ships */
	memmove(&defaults[1], &defaults[0], n_defaults * sizeof(defaults[0]));
	n_defaults++;
	defaults[0] = (struct known_default){ .id = path, .title = strdup(path), .engine = NULL, .profile = p };
	return 0;
}

int defaults_count(void)
{
	return n_defaults;
}

const struct known_default *defaults_get(int i)
{
	return i >= 0 && i < n_defaults ? &defaults[i] : NULL;
}

const struct known_default *defaults_find(const char *id)
{
	for (int i = 0; i < n_defaults; i++)
		if (!strcmp(defaults[i].id, id))
			return &defaults[i];
	return NULL;
}

/* ---- comparing effective profiles, syscall by syscall ---- */

struct sig {
	const char *name;
	char text[160]; /* what one entry does for the name */
};

static int errno_of(const struct sc_rule *r)
{
	return r->action == SCLENS_ACT_ERRNO ? (r->has_errno_ret ? (int)r->errno_ret : 1) : -1;
}

static int cmp_sig(const void *a, const void *b)
{
	const struct sig *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : strcmp(x->text, y->text);
}

/* Every (name, what the entry does) of an effective profile, sorted;
 * entries with the default action are left out, as libseccomp drops them. */
static struct sig *signatures(const struct profile *p, int *n)
{
	int total = 0, k = 0;
	int def_errno = p->default_action == SCLENS_ACT_ERRNO ? (p->has_default_errno ? (int)p->default_errno : 1) : -1;

	for (int i = 0; i < p->n_rules; i++)
		total += p->rules[i].n_names;
	struct sig *s = calloc(total ? total : 1, sizeof(*s));
	if (!s)
		return NULL;
	for (int i = 0; i < p->n_rules; i++) {
		const struct sc_rule *r = &p->rules[i];
		if (r->action == p->default_action && errno_of(r) == def_errno)
			continue;
		char text[160];
		int len = snprintf(text, sizeof(text), "%u/%d", r->action, errno_of(r));
		for (int a = 0; a < r->n_args && len < (int)sizeof(text); a++)
			len += snprintf(text + len, sizeof(text) - len, "/%u:%d:%llx:%llx", r->args[a].index, r->args[a].op,
					(unsigned long long)r->args[a].value, (unsigned long long)r->args[a].value_two);
		for (int j = 0; j < r->n_names; j++) {
			s[k].name = r->names[j];
			snprintf(s[k].text, sizeof(s[k].text), "%s", text);
			k++;
		}
	}
	qsort(s, k, sizeof(*s), cmp_sig);
	*n = k;
	return s;
}

static int add_name(char ***list, int *n, const char *name)
{
	if (*n && !strcmp((*list)[*n - 1], name))
		return 0;
	char **l = realloc(*list, (*n + 1) * sizeof(char *));
	if (!l)
		return -ENOMEM;
	*list = l;
	l[(*n)++] = strdup(name);
	return 0;
}

/* Names whose entries differ between two sorted signature lists. */
static int compare(const struct sig *a, int na, const struct sig *b, int nb, char ***names, int *n)
{
	int i = 0, j = 0;

	while (i < na || j < nb) {
		int c = i >= na ? 1 : j >= nb ? -1 : strcmp(a[i].name, b[j].name);
		const char *name = c <= 0 ? a[i].name : b[j].name;
		int ia = i, jb = j;
		while (i < na && !strcmp(a[i].name, name))
			i++;
		while (j < nb && !strcmp(b[j].name, name))
			j++;
		bool same = i - ia == j - jb;
		for (int k = 0; same && k < i - ia; k++)
			same = !strcmp(a[ia + k].text, b[jb + k].text);
		if (!same && add_name(names, n, name))
			return -ENOMEM;
	}
	return 0;
}

static bool same_arches(const struct profile *a, const struct profile *b)
{
	if (a->n_arches != b->n_arches)
		return false;
	for (int i = 0; i < a->n_arches; i++) {
		bool found = false;
		for (int k = 0; k < b->n_arches; k++)
			found |= a->arches[i] == b->arches[k];
		if (!found)
			return false;
	}
	return true;
}

static int cmp_match(const void *a, const void *b)
{
	const struct default_match *x = a, *y = b;
	if (x->exact != y->exact)
		return x->exact ? -1 : 1;
	return x->differences - y->differences;
}

int profile_converts_to(const struct profile *src, const struct profile *eff, uint64_t caps, bool *same)
{
	struct sc_target t;
	struct profile *conv;
	struct sc_error e;
	char **differing = NULL;
	int n_eff, n_conv, n_diff = 0, err;

	*same = false;
	sc_target_host(&t);
	t.caps = caps;
	if ((err = profile_effective(src, &t, &conv, &e)))
		return err;
	struct sig *s_eff = signatures(eff, &n_eff), *s_conv = signatures(conv, &n_conv);
	bool same_default = conv->default_action == eff->default_action &&
			    (conv->default_action != SCLENS_ACT_ERRNO ||
			     (conv->has_default_errno ? conv->default_errno : 1) ==
				     (eff->has_default_errno ? eff->default_errno : 1));
	err = !s_eff || !s_conv ? -ENOMEM : compare(s_eff, n_eff, s_conv, n_conv, &differing, &n_diff);
	*same = !err && same_default && !n_diff && same_arches(conv, eff);
	for (int i = 0; i < n_diff; i++)
		free(differing[i]);
	free(differing);
	free(s_eff);
	free(s_conv);
	profile_free(conv);
	return err;
}

int defaults_recognise(const struct profile *eff, uint64_t caps, struct recognition *out)
{
	struct sc_target t;
	int n_eff, err = 0;
	struct sig *s_eff;

	memset(out, 0, sizeof(*out));
	if (!eff)
		return -EINVAL;
	s_eff = signatures(eff, &n_eff);
	if (!s_eff)
		return -ENOMEM;
	out->matches = calloc(n_defaults ? n_defaults : 1, sizeof(*out->matches));
	if (!out->matches) {
		free(s_eff);
		return -ENOMEM;
	}
	sc_target_host(&t);
	t.caps = caps;
	for (int i = 0; i < n_defaults && !err; i++) {
		struct profile *conv;
		struct sc_error e;
		struct default_match *m = &out->matches[out->n];
		int n_conv;

		if (profile_effective(defaults[i].profile, &t, &conv, &e))
			continue;
		struct sig *s_conv = signatures(conv, &n_conv);
		m->def = &defaults[i];
		bool same_default = conv->default_action == eff->default_action &&
				    (conv->default_action != SCLENS_ACT_ERRNO ||
				     (conv->has_default_errno ? conv->default_errno : 1) ==
					     (eff->has_default_errno ? eff->default_errno : 1));
		if (!s_conv)
			err = -ENOMEM;
		else if (!same_default)
			m->differences = 1 << 20; /* every call is decided differently */
		else
			err = compare(s_eff, n_eff, s_conv, n_conv, &m->differing, &m->differences);
		m->exact = !err && same_default && !m->differences && same_arches(conv, eff);
		out->n++;
		free(s_conv);
		profile_free(conv);
	}
	free(s_eff);
	/* stable: of equally close ones, the newest (loaded first) stays first */
	for (int i = 1; i < out->n; i++)
		for (int k = i; k > 0 && cmp_match(&out->matches[k], &out->matches[k - 1]) < 0; k--) {
			struct default_match tmp = out->matches[k];
			out->matches[k] = out->matches[k - 1];
			out->matches[k - 1] = tmp;
		}
	if (err)
		recognition_free(out);
	return err;
}

void recognition_free(struct recognition *r)
{
	for (int i = 0; i < r->n; i++) {
		for (int k = 0; k < r->matches[i].differences && r->matches[i].differing; k++)
			free(r->matches[i].differing[k]);
		free(r->matches[i].differing);
	}
	free(r->matches);
	memset(r, 0, sizeof(*r));
}

static bool differs_on(const struct default_match *m, const char *name)
{
	if (m->differences >= (1 << 20))
		return true;
	for (int k = 0; k < m->differences; k++)
		if (!strcmp(m->differing[k], name))
			return true;
	return false;
}

/* Close enough to call it that default, changed: a few calls differ. */
#define NEAR_DIFFERENCES 24

const struct default_match *recognition_for_call(const struct recognition *r, const char *name)
{
	for (int i = 0; i < r->n; i++) {
		const struct default_match *m = &r->matches[i];
		if (m->exact)
			return m;
		if (m->differences <= NEAR_DIFFERENCES && !differs_on(m, name))
			return m;
	}
	return NULL;
}

void recognition_describe(const struct recognition *r, struct sbuf *b)
{
	const struct default_match *m = r->n ? &r->matches[0] : NULL;

	if (!m || (!m->exact && m->differences > NEAR_DIFFERENCES)) {
		sb_puts(b, "custom");
		return;
	}
	sb_puts(b, m->def->title);
	if (m->exact)
		return;
	sb_printf(b, " with %d difference%s (", m->differences, m->differences == 1 ? "" : "s");
	for (int k = 0; k < m->differences && k < 5; k++)
		sb_printf(b, "%s%s", k ? ", " : "", m->differing[k]);
	sb_puts(b, m->differences > 5 ? ", ...)" : ")");
}
