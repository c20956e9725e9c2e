// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <seccomp.h>
#include "actions.h"
#include "fix.h"
#include "selection.h"
#include "names.h"
#include "sclens.h"
#include "syscall_facts.h"

static int eval_for(const struct profile *src, const struct sc_target *t, const struct sc_call *call,
		    struct profile **eff, struct sc_verdict *v)
{
	struct sc_error e;
	int err = profile_effective(src, t, eff, &e);

	if (err)
		return err;
	profile_eval(*eff, call, v);
	return 0;
}

/* The source entry that names the call and needs cap in its includes. */
static const struct sc_rule *entry_needing_cap(const struct profile *src, const char *name, int cap)
{
	for (int i = 0; i < src->n_rules; i++) {
		const struct sc_rule *r = &src->rules[i];
		if (!rule_names(r, name) || !action_allows(r->action))
			continue;
		for (int k = 0; k < r->includes.n_caps; k++)
			if (cap_from_name(r->includes.caps[k]) == cap)
				return r;
	}
	return NULL;
}

static cJSON *json_u64(uint64_t v)
{
	char num[32];

	snprintf(num, sizeof(num), "%llu", (unsigned long long)v);
	return cJSON_CreateRaw(num);
}

static void patch_op(cJSON *patch, const char *op, const char *path, cJSON *value)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "op", op);
	cJSON_AddStringToObject(o, "path", path);
	if (value)
		cJSON_AddItemToObject(o, "value", value);
	cJSON_AddItemToArray(patch, o);
}

/* The entry to add: the call alone, narrowed to the value of its flags,
 * family or command argument where it has one (the narrowest change). */
static cJSON *new_entry(const struct sc_call *call, const struct syscall_fact *f)
{
	cJSON *e = cJSON_CreateObject(), *names = cJSON_AddArrayToObject(e, "names");

	cJSON_AddItemToArray(names, cJSON_CreateString(call->name));
	cJSON_AddStringToObject(e, "action", "SCMP_ACT_ALLOW");
	if (f && f->narrow_arg >= 0) {
		cJSON *args = cJSON_AddArrayToObject(e, "args"), *a = cJSON_CreateObject();
		cJSON_AddNumberToObject(a, "index", f->narrow_arg);
		cJSON_AddItemToObject(a, "value", json_u64(call->args[f->narrow_arg]));
		cJSON_AddStringToObject(a, "op", "SCMP_CMP_EQ");
		cJSON_AddItemToArray(args, a);
	}
	cJSON_AddStringToObject(e, "comment", "added by sclens");
	return e;
}

/* Applies the few operations we generate to a copy of the document. */
static cJSON *apply_patch(const struct profile *src, const cJSON *patch)
{
	cJSON *doc = cJSON_Duplicate(src->doc, 1), *op;
	cJSON *section = doc;

	if (!doc)
		return NULL;
	if (src->section_path[0])
		section = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "linux"), "seccomp");
	cJSON_ArrayForEach(op, patch)
	{
		const char *kind = cJSON_GetObjectItemCaseSensitive(op, "op")->valuestring;
		const char *path = cJSON_GetObjectItemCaseSensitive(op, "path")->valuestring;
		cJSON *value = cJSON_GetObjectItemCaseSensitive(op, "value");
		const char *rel = path + strlen(src->section_path);
		cJSON *sys = cJSON_GetObjectItemCaseSensitive(section, "syscalls");
		int idx;

		if (!sys) {
			sys = cJSON_CreateArray();
			cJSON_AddItemToObject(section, "syscalls", sys);
		}
		if (!strcmp(kind, "add") && !strcmp(rel, "/syscalls/-")) {
			cJSON_AddItemToArray(sys, cJSON_Duplicate(value, 1));
		} else if (!strcmp(kind, "remove") && sscanf(rel, "/syscalls/%d", &idx) == 1) {
			cJSON_DeleteItemFromArray(sys, idx);
		} else if (!strcmp(kind, "replace") && sscanf(rel, "/syscalls/%d/names", &idx) == 1) {
			cJSON *entry = cJSON_GetArrayItem(sys, idx);
			cJSON_DeleteItemFromObjectCaseSensitive(entry, "name");
			if (cJSON_GetObjectItemCaseSensitive(entry, "names"))
				cJSON_ReplaceItemInObjectCaseSensitive(entry, "names", cJSON_Duplicate(value, 1));
			else
				cJSON_AddItemToObject(entry, "names", cJSON_Duplicate(value, 1));
		} else if (!strcmp(kind, "add") && !strcmp(rel, "/architectures/-")) {
			cJSON *arr = cJSON_GetObjectItemCaseSensitive(section, "architectures");
			if (arr)
				cJSON_AddItemToArray(arr, cJSON_Duplicate(value, 1));
		}
	}
	return doc;
}

static void build_patch(const struct profile *src, const struct sc_target *t, const struct sc_call *call,
			struct explanation *x)
{
	const struct syscall_fact *f = syscall_fact(call->name);
	char path[96];
	struct profile *eff = NULL;
	struct sc_verdict after_removal;

	x->patch = cJSON_CreateArray();
	if (x->v.bad_arch) {
		snprintf(path, sizeof(path), "%s/architectures/-", src->section_path);
		const char *an = call->arch == SCMP_ARCH_X86 ? "SCMP_ARCH_X86" :
				 call->arch == SCMP_ARCH_X32 ? "SCMP_ARCH_X32" : "SCMP_ARCH_X86_64";
		patch_op(x->patch, "add", path, cJSON_CreateString(an));
	}
	after_removal = x->v;
	if (x->rule_index >= 0) {
		/* an entry denies it explicitly: take the call out of that entry */
		const struct sc_rule *r = &src->rules[x->rule_index];
		if (r->n_names <= 1) {
			snprintf(path, sizeof(path), "%s/syscalls/%d", src->section_path, x->rule_index);
			patch_op(x->patch, "remove", path, NULL);
		} else {
			cJSON *names = cJSON_CreateArray();
			for (int i = 0; i < r->n_names; i++)
				if (strcmp(r->names[i], call->name))
					cJSON_AddItemToArray(names, cJSON_CreateString(r->names[i]));
			snprintf(path, sizeof(path), "%s/syscalls/%d/names", src->section_path, x->rule_index);
			patch_op(x->patch, "replace", path, names);
		}
		/* what decides once it is gone? */
		struct profile tmp = *src;
		struct sc_rule *rules = calloc(src->n_rules ? src->n_rules : 1, sizeof(*rules));
		int n = 0;
		if (rules) {
			for (int i = 0; i < src->n_rules; i++)
				if (i != x->rule_index)
					rules[n++] = src->rules[i];
			tmp.rules = rules;
			tmp.n_rules = n;
			if (!eval_for(&tmp, t, call, &eff, &after_removal))
				profile_free(eff);
			free(rules);
		}
	}
	if (!action_allows(after_removal.action) || x->rule_index < 0) {
		snprintf(path, sizeof(path), "%s/syscalls/-", src->section_path);
		patch_op(x->patch, "add", path, new_entry(call, f));
	}
	x->fixed = apply_patch(src, x->patch);
}

/* The capabilities the entries naming the call are conditional on */
static uint64_t caps_named_for(const struct profile *src, const char *name)
{
	uint64_t mask = 0;

	for (int i = 0; i < src->n_rules; i++) {
		const struct sc_rule *r = &src->rules[i];
		if ((!r->includes.n_caps && !r->excludes.n_caps) || !rule_names(r, name))
			continue;
		for (int k = 0; k < r->includes.n_caps; k++) {
			int cap = cap_from_name(r->includes.caps[k]);
			mask |= cap >= 0 ? 1ULL << cap : 0;
		}
		for (int k = 0; k < r->excludes.n_caps; k++) {
			int cap = cap_from_name(r->excludes.caps[k]);
			mask |= cap >= 0 ? 1ULL << cap : 0;
		}
	}
	return mask;
}

int explain_call(const struct profile *src, const struct sc_target *t, const struct sc_call *call,
		 struct explanation *x)
{
	struct profile *eff = NULL;
	const struct syscall_fact *f = syscall_fact(call->name);
	int err;

	memset(x, 0, sizeof(*x));
	x->kernel_cap = -1;
	x->rule_index = x->rule_line = -1;
	err = eval_for(src, t, call, &eff, &x->v);
	if (err)
		return err;
	if (x->v.rule) {
		x->rule_index = x->v.rule->index;
		x->rule_line = x->v.rule->line;
	}
	if (f) {
		x->danger = f->danger;
		x->kernel_cap = f->kernel_cap;
		x->kernel_cap_when = f->cap_when;
		x->kernel_cap_missing = f->kernel_cap >= 0 && !(t->caps & (1ULL << f->kernel_cap));
	}
	x->allowed = action_allows(x->v.action);
	if (x->allowed)
		goto out;
	if (x->v.rule && x->v.action == SCLENS_ACT_ERRNO && x->v.errno_val == ENOSYS) {
		x->intended = true;
		goto out;
	}
	/* (1) a capability whose conditional entries would allow the call:
	 * only those the call's own entries name can (each try converts the
	 * whole profile: 400,000 entries must not be converted 40 times) */
	uint64_t named = caps_named_for(src, call->name);
	for (int c = 0; c <= SCLENS_CAP_LAST && x->n_caps < FIX_MAX; c++) {
		struct sc_target t2 = *t;
		struct profile *e2;
		struct sc_verdict v2;

		if ((t->caps & (1ULL << c)) || !(named & (1ULL << c)))
			continue;
		t2.caps |= 1ULL << c;
		if (eval_for(src, &t2, call, &e2, &v2))
			continue;
		if (action_allows(v2.action)) {
			const struct sc_rule *r = entry_needing_cap(src, call->name, c);
			x->caps[x->n_caps].cap = c;
			x->caps[x->n_caps].src_index = r ? r->index : -1;
			x->caps[x->n_caps].src_line = r ? r->line : 0;
			x->n_caps++;
		}
		profile_free(e2);
	}
	/* (2) argument-conditional entries that almost matched */
	for (int i = 0; i < eff->n_rules && x->n_misses < FIX_MAX; i++) {
		const struct sc_rule *r = &eff->rules[i];
		if (!rule_names(r, call->name) || !action_allows(r->action) || !r->n_args)
			continue;
		for (int k = 0; k < r->n_args; k++) {
			struct sc_rule one = *r;
			one.n_args = 1;
			one.args[0] = r->args[k];
			if (!rule_args_match(&one, call)) {
				struct arg_miss *m = &x->misses[x->n_misses++];
				m->src_index = r->index;
				m->src_line = r->line;
				m->cond = r->args[k];
				m->passed = call->args[r->args[k].index];
				break;
			}
		}
	}
	/* (3) the profile change, when no capability does it */
	if (!x->n_caps)
		build_patch(src, t, call, x);
out:
	profile_free(eff);
	return 0;
}

void explanation_free(struct explanation *x)
{
	cJSON_Delete(x->patch);
	cJSON_Delete(x->fixed);
	x->patch = x->fixed = NULL;
}

static const char *bare_cap(int cap)
{
	const char *n = cap_name(cap);
	return n ? n + 4 : "?";
}

/* A fix in the words of the engine that runs the container */
static void cap_command(char *out, size_t n, const char *engine, const char *cap)
{
	if (!engine)
		snprintf(out, n, "docker run --cap-add %s ...   (podman run --cap-add %s ...)", cap, cap);
	else if (!strcmp(engine, "docker"))
		snprintf(out, n, "docker run --cap-add %s ...", cap);
	else if (!strcmp(engine, "podman"))
		snprintf(out, n, "podman run --cap-add %s ...", cap);
	else if (!strcmp(engine, "containerd"))
		snprintf(out, n, "ctr run --cap-add CAP_%s ...   (nerdctl run --cap-add %s ...)", cap, cap);
	else if (!strcmp(engine, "kubernetes") || !strcmp(engine, "cri-o"))
		snprintf(out, n, "securityContext.capabilities.add: [\"%s\"] in the container's spec", cap);
	else
		snprintf(out, n, "add CAP_%s to the container's capabilities (%s)", cap, engine);
}

/* A Localhost profile's fixed copy, beside it: "dir/name-fixed.json"
 * relative to the kubelet's root (ref) and its full path (file) */
static bool localhost_fixed(const struct explanation *x, char *ref, size_t n_ref, char *file, size_t n_file)
{
	const char *r = x->localhost_ref, *full = x->profile_ref;
	size_t lr = r ? strlen(r) : 0, lf = full ? strlen(full) : 0;

	if (!r || !full || lf < lr || strcmp(full + lf - lr, r))
		return false;
	int stem = lr > 5 && !strcmp(r + lr - 5, ".json") ? (int)lr - 5 : (int)lr;
	snprintf(ref, n_ref, "%.*s-fixed.json", stem, r);
	snprintf(file, n_file, "%.*s%s", (int)(lf - lr), full, ref);
	return true;
}

static void profile_command(char *out, size_t n, const struct explanation *x)
{
	const char *engine = x->engine;
	char ref[1024], file[2048];

	if (localhost_fixed(x, ref, sizeof(ref), file, sizeof(file))) {
		snprintf(out, n, "securityContext.seccompProfile: {type: Localhost, localhostProfile: %s}", ref);
		return;
	}
	if (engine && !strcmp(engine, "docker"))
		snprintf(out, n, "docker run --security-opt seccomp=FIXED.json ...");
	else if (engine && !strcmp(engine, "podman"))
		snprintf(out, n, "podman run --security-opt seccomp=FIXED.json ...");
	else if (engine && !strcmp(engine, "containerd"))
		snprintf(out, n, "ctr run --seccomp --seccomp-profile FIXED.json ...   (nerdctl run --security-opt seccomp=FIXED.json ...)");
	else if (engine && (!strcmp(engine, "kubernetes") || !strcmp(engine, "cri-o")))
		snprintf(out, n, "securityContext.seccompProfile: {type: Localhost, localhostProfile: FIXED.json}");
	else
		snprintf(out, n, "docker run --security-opt seccomp=FIXED.json ...; Kubernetes: "
				 "securityContext.seccompProfile: {type: Localhost, localhostProfile: FIXED.json}");
}

/* The patch as the user applies it. Against an engine's internal bundle
 * (where the effective profile sits at /linux/seccomp) it is given for the
 * Docker-format file the user gave the engine: the same paths without the
 * bundle's prefix. */
static char *patch_text(const struct explanation *x, const struct profile *src)
{
	size_t pre = strlen(src->section_path);
	bool internal = pre && x->engine && strcmp(x->engine, "runc");
	cJSON *copy = internal ? cJSON_Duplicate(x->patch, 1) : NULL, *op;
	char *text;

	if (!internal)
		return cJSON_PrintUnformatted(x->patch);
	cJSON_ArrayForEach(op, copy)
	{
		cJSON *path = cJSON_GetObjectItemCaseSensitive(op, "path");
		if (cJSON_IsString(path) && !strncmp(path->valuestring, src->section_path, pre)) {
			char *rest = strdup(path->valuestring + pre); /* no overlapping copy */
			if (rest)
				cJSON_SetValuestring(path, rest);
			free(rest);
		}
	}
	text = cJSON_PrintUnformatted(copy);
	cJSON_Delete(copy);
	return text;
}

/* A Localhost profile the Security Profiles Operator installed
 * (operator/NAMESPACE/NAME.json under the kubelet's root) is changed in
 * its SeccompProfile, whose spec is the profile: the same patch under
 * /spec, as one kubectl command. NULL when it is not the operator's. */
static char *spo_command(const struct explanation *x, const char *patch)
{
	const char *r = x->localhost_ref, *ns, *name, *slash;
	char *cmd = NULL;

	if (!r || strncmp(r, "operator/", 9) || !patch)
		return NULL;
	ns = r + 9;
	slash = strchr(ns, '/');
	name = slash ? slash + 1 : NULL;
	size_t nl = name ? strlen(name) : 0;
	if (!name || strchr(name, '/') || nl <= 5 || strcmp(name + nl - 5, ".json"))
		return NULL;
	cJSON *ops = cJSON_Parse(patch), *op;
	cJSON_ArrayForEach(op, ops)
	{
		cJSON *path = cJSON_GetObjectItemCaseSensitive(op, "path");
		char spec[4096];
		if (cJSON_IsString(path) && snprintf(spec, sizeof(spec), "/spec%s", path->valuestring) < (int)sizeof(spec))
			cJSON_SetValuestring(path, spec);
	}
	char *text = ops ? cJSON_PrintUnformatted(ops) : NULL;
	if (text && asprintf(&cmd, "kubectl -n %.*s patch seccompprofile %.*s --type json -p '%s'", (int)(slash - ns), ns,
			     (int)(nl - 5), name, text) < 0)
		cmd = NULL;
	free(text);
	cJSON_Delete(ops);
	return cmd;
}

static void put_entry_ref(struct sbuf *b, const struct explanation *x, const struct profile *src, int index, int line)
{
	sb_printf(b, "syscalls[%d]", index);
	if (x->profile_title && !src->titled) {
		/* an engine's own copy: named for what it is, not by its path */
		sb_puts(b, " of ");
		sb_put_esc(b, x->profile_title);
		return;
	}
	if (line > 0) {
		/* file names, comments and names come from files the container's
		 * owner may control: escaped, never raw to a terminal */
		if (src->titled) {
			sb_printf(b, ", line %d", line);
		} else {
			sb_puts(b, " at ");
			sb_put_esc(b, src->label);
			sb_printf(b, ":%d", line);
		}
	}
}

static void put_rule_text(struct sbuf *b, const struct explanation *x, const struct profile *src)
{
	if (x->rule_index >= 0) {
		const struct sc_rule *r = &src->rules[x->rule_index];
		sb_puts(b, "entry ");
		put_entry_ref(b, x, src, x->rule_index, x->rule_line);
		sb_printf(b, ": %s", sc_action_profile_name(r->action));
		if (r->has_errno_ret)
			sb_printf(b, " errnoRet %u", r->errno_ret);
		if (r->comment) {
			sb_puts(b, " (\"");
			sb_put_esc(b, r->comment);
			sb_puts(b, "\")");
		}
	} else if (x->v.bad_arch) {
		sb_puts(b, "the call's architecture is not in the profile: libseccomp's bad-arch action");
	} else {
		sb_printf(b, "the default action (defaultAction %s", sc_action_profile_name(src->default_action));
		if (src->has_default_errno)
			sb_printf(b, ", defaultErrnoRet %u", src->default_errno);
		sb_puts(b, "): no entry allows the call");
	}
}

static void put_verdict(struct sbuf *b, const struct explanation *x)
{
	sb_puts(b, action_name(x->v.action));
	if (x->v.errno_val >= 0) {
		const char *en = errno_name(x->v.errno_val);
		sb_printf(b, " %s (%d)", en ? en : "errno", x->v.errno_val);
	}
}

void explanation_plain(struct sbuf *b, const struct explanation *x, const struct profile *src,
		       const struct sc_call *call, const char *in)
{
	sb_puts(b, in);
	sb_put_esc(b, call->name);
	sb_puts(b, ": ");
	put_verdict(b, x);
	sb_putc(b, '\n');
	if (x->allowed) {
		sb_printf(b, "%sthe profile allows it", in);
		if (x->rule_index >= 0) {
			sb_puts(b, " (");
			put_entry_ref(b, x, src, x->rule_index, x->rule_line);
			sb_putc(b, ')');
		}
		sb_putc(b, '\n');
		if (x->kernel_cap_missing)
			sb_printf(b, "%sbut the kernel also requires CAP_%s%s%s, which this container lacks: "
				     "add it (docker run --cap-add %s)\n",
				  in, bare_cap(x->kernel_cap), x->kernel_cap_when ? " " : "",
				  x->kernel_cap_when ? x->kernel_cap_when : "", bare_cap(x->kernel_cap));
		return;
	}
	sb_printf(b, "%srule: ", in);
	put_rule_text(b, x, src);
	sb_putc(b, '\n');
	if (x->intended) {
		sb_printf(b, "%swhy:  denied on purpose with ENOSYS, so that callers fall back to an older "
			     "call (glibc falls back from clone3 to clone)\n%sfix:  none needed: the fallback works\n",
			  in, in);
		return;
	}
	for (int i = 0; i < x->n_caps; i++) {
		const struct cap_fix *c = &x->caps[i];
		if (c->src_index >= 0) {
			const struct sc_rule *r = &src->rules[c->src_index];
			sb_printf(b, "%swhy:  ", in);
			sb_put_esc(b, x->profile_title ? x->profile_title : src->label);
			sb_puts(b, " allows ");
			if (r->n_names > 4) {
				/* a long entry: the call, and what kind the others are */
				const char *word = syscall_class_word(r->names, r->n_names);
				sb_put_esc(b, call->name);
				sb_printf(b, " and %d other %s%scalls", r->n_names - 1, word ? word : "", word ? " " : "");
			} else {
				for (int k = 0; k < r->n_names; k++) {
					sb_puts(b, k ? (k == r->n_names - 1 ? " and " : ", ") : "");
					sb_put_esc(b, r->names[k]);
				}
			}
			sb_printf(b, " only for containers with CAP_%s (", bare_cap(c->cap));
			put_entry_ref(b, x, src, c->src_index, c->src_line);
			sb_puts(b, ")\n");
		} else {
			sb_printf(b, "%swhy:  with CAP_%s the profile's conditional entries allow it\n", in,
				  bare_cap(c->cap));
		}
		char cmd[160];
		cap_command(cmd, sizeof(cmd), x->engine, bare_cap(c->cap));
		sb_printf(b, "%s%sfix:%s  %s\n", in, color_on("1;32"), color_off(), cmd);
		if (!x->engine)
			sb_printf(b, "%s      Kubernetes: securityContext.capabilities.add: [\"%s\"]\n", in, bare_cap(c->cap));
		if (c->cap == 21)
			sb_printf(b, "%s      warning: CAP_SYS_ADMIN gives away most of what the profile protects\n", in);
	}
	for (int i = 0; i < x->n_misses; i++) {
		const struct arg_miss *m = &x->misses[i];
		sb_printf(b, "%snear:  ", in);
		put_entry_ref(b, x, src, m->src_index, m->src_line);
		sb_printf(b, " allows it when arg%u %s %#llx", m->cond.index, sc_op_name(m->cond.op),
			  (unsigned long long)m->cond.value);
		if (m->cond.op == SC_OP_MASKED_EQ)
			sb_printf(b, " == %#llx", (unsigned long long)m->cond.value_two);
		sb_printf(b, "; the call passed arg%u = %#llx\n", m->cond.index, (unsigned long long)m->passed);
	}
	if (x->danger)
		sb_printf(b, "%srisk: allowing %s: %s\n", in, call->name, x->danger);
	if (x->patch) {
		char *p = patch_text(x, src);
		char cmd[256];
		sb_printf(b, "%s%sfix:%s  change the profile (JSON Patch, RFC 6902): %s\n", in, color_on("1;32"), color_off(),
			  p ? p : "");
		char ref[1024], file[2048];
		bool localhost = localhost_fixed(x, ref, sizeof(ref), file, sizeof(file));
		if (x->profile_ref) {
			sb_printf(b, "%s      write it: sclens explain --profile ", in);
			sb_put_esc(b, x->profile_ref);
			sb_printf(b, " -s %s --write-profile ", call->name);
			sb_put_esc(b, localhost ? file : "FIXED.json");
			sb_puts(b, "\n");
		} else if (x->engine) {
			sb_printf(b, "%s      in the profile file you gave the engine\n", in);
		}
		profile_command(cmd, sizeof(cmd), x);
		sb_printf(b, "%s      then: %s\n", in, cmd);
		char *spo = spo_command(x, p);
		if (spo) {
			sb_printf(b, "%s      or, where the Security Profiles Operator keeps it: ", in);
			sb_put_esc(b, spo);
			sb_puts(b, "\n");
		}
		free(spo);
		free(p);
	}
	if (x->kernel_cap_missing && !x->n_caps) {
		char add[256];
		cap_command(add, sizeof(add), x->engine, bare_cap(x->kernel_cap));
		sb_printf(b, "%snote: the kernel itself requires CAP_%s%s%s for %s: add it too (%s)\n", in,
			  bare_cap(x->kernel_cap), x->kernel_cap_when ? " " : "",
			  x->kernel_cap_when ? x->kernel_cap_when : "", call->name, add);
	}
}

void explanation_fix_command(const struct explanation *x, char *out, size_t n)
{
	out[0] = 0;
	if (x->allowed)
		return;
	if (x->intended)
		snprintf(out, n, "none needed (ENOSYS on purpose)");
	else if (x->n_caps)
		cap_command(out, n, x->engine, bare_cap(x->caps[0].cap));
	else if (x->patch)
		profile_command(out, n, x);
	else if (x->kernel_cap_missing && x->kernel_cap >= 0)
		cap_command(out, n, x->engine, bare_cap(x->kernel_cap));
}

void explanation_summary(struct sbuf *b, const struct explanation *x, const struct profile *src,
			 const struct sc_call *call)
{
	if (x->allowed) {
		sb_puts(b, "profile allows it");
		return;
	}
	sb_puts(b, "rule: ");
	if (x->rule_index >= 0)
		sb_printf(b, "syscalls[%d]", x->rule_index);
	else
		sb_puts(b, x->v.bad_arch ? "bad arch" : "defaultAction");
	sb_puts(b, "; fix: ");
	if (x->intended)
		sb_puts(b, "none needed (ENOSYS on purpose)");
	else if (x->n_caps)
		sb_printf(b, "--cap-add %s", bare_cap(x->caps[0].cap));
	else if (x->patch)
		sb_puts(b, "profile entry (see explanation)");
}

#define JSON_ENTRY_NAMES 16

/* A profile entry as a JSON object value. An entry of hundreds of names
 * (Docker's first) is given by the call it is about and its size: every
 * event carries its explanation, and a storm must stay cheap to write. */
static void json_entry(struct jw *w, const struct profile *src, int index, int line, const char *call)
{
	const struct sc_rule *r = &src->rules[index];
	bool brief = r->n_names > JSON_ENTRY_NAMES && call && rule_names(r, call);

	jw_obj_begin(w);
	jw_kv_i64(w, "index", index);
	if (line > 0)
		jw_kv_i64(w, "line", line);
	jw_key(w, "names");
	jw_arr_begin(w);
	for (int k = 0; k < r->n_names; k++)
		if (!brief || !strcmp(r->names[k], call))
			jw_str(w, r->names[k]);
	jw_arr_end(w);
	if (brief)
		jw_kv_i64(w, "names_total", r->n_names);
	jw_kv_str(w, "action", sc_action_profile_name(r->action));
	jw_kv_str_opt(w, "comment", r->comment);
	jw_obj_end(w);
}

void explanation_json(struct jw *w, const struct explanation *x, const struct profile *src,
		      const struct sc_call *call)
{
	jw_kv_str(w, "action", action_name(x->v.action));
	if (x->v.errno_val >= 0) {
		jw_kv_i64(w, "errno", x->v.errno_val);
		jw_kv_str(w, "errno_name", errno_name(x->v.errno_val));
	}
	jw_key(w, "rule");
	if (x->rule_index >= 0)
		json_entry(w, src, x->rule_index, x->rule_line, call->name);
	else
		jw_null(w);
	jw_kv_str(w, "decided_by", x->rule_index >= 0 ? "entry" : x->v.bad_arch ? "bad_arch" : "default_action");
	jw_key(w, "fix");
	jw_arr_begin(w);
	if (x->intended) {
		jw_obj_begin(w);
		jw_kv_str(w, "kind", "none_needed");
		jw_kv_str(w, "reason", "denied on purpose with ENOSYS so that callers fall back to an older call");
		jw_obj_end(w);
	}
	for (int i = 0; i < x->n_caps; i++) {
		const char *c = bare_cap(x->caps[i].cap);
		char text[96];
		jw_obj_begin(w);
		jw_kv_str(w, "kind", "capability");
		snprintf(text, sizeof(text), "CAP_%s", c);
		jw_kv_str(w, "capability", text);
		snprintf(text, sizeof(text), "--cap-add %s", c);
		jw_kv_str(w, "docker", text);
		jw_kv_str(w, "podman", text);
		snprintf(text, sizeof(text), "securityContext.capabilities.add: [\"%s\"]", c);
		jw_kv_str(w, "kubernetes", text);
		char cmd[160];
		cap_command(cmd, sizeof(cmd), x->engine, c);
		jw_kv_str_opt(w, "engine", x->engine);
		jw_kv_str(w, "command", cmd);
		if (x->caps[i].src_index >= 0) {
			jw_key(w, "entry");
			json_entry(w, src, x->caps[i].src_index, x->caps[i].src_line, call->name);
		}
		jw_obj_end(w);
	}
	for (int i = 0; i < x->n_misses; i++) {
		const struct arg_miss *m = &x->misses[i];
		jw_obj_begin(w);
		jw_kv_str(w, "kind", "argument");
		jw_key(w, "entry");
		json_entry(w, src, m->src_index, m->src_line, call->name);
		jw_kv_u64(w, "arg_index", m->cond.index);
		jw_kv_str(w, "op", sc_op_name(m->cond.op));
		jw_kv_u64(w, "value", m->cond.value);
		jw_kv_u64(w, "value_two", m->cond.value_two);
		jw_kv_u64(w, "passed", m->passed);
		jw_obj_end(w);
	}
	if (x->patch) {
		char *p = patch_text(x, src);
		jw_obj_begin(w);
		jw_kv_str(w, "kind", "profile");
		jw_key(w, "json_patch");
		jw_raw(w, p ? p : "[]");
		jw_kv_str(w, "docker", "--security-opt seccomp=FILE");
		jw_kv_str(w, "kubernetes", "securityContext.seccompProfile: {type: Localhost, localhostProfile: FILE}");
		char cmd[256];
		profile_command(cmd, sizeof(cmd), x);
		jw_kv_str_opt(w, "engine", x->engine);
		jw_kv_str(w, "command", cmd);
		char ref[1024], file[2048];
		bool localhost = localhost_fixed(x, ref, sizeof(ref), file, sizeof(file));
		if (localhost)
			jw_kv_str(w, "localhost_profile", ref);
		char *spo = spo_command(x, p);
		if (spo)
			jw_kv_str(w, "spo", spo);
		free(spo);
		if (x->profile_ref) {
			char wr[4096];
			snprintf(wr, sizeof(wr), "sclens explain --profile %s -s %s --write-profile %s", x->profile_ref,
				 call->name, localhost ? file : "FIXED.json");
			jw_kv_str(w, "write_with", wr);
		}
		jw_obj_end(w);
		free(p);
	}
	jw_arr_end(w);
	jw_kv_str_opt(w, "risk", x->danger);
	if (x->kernel_cap >= 0) {
		char text[64];
		snprintf(text, sizeof(text), "CAP_%s", bare_cap(x->kernel_cap));
		jw_kv_str(w, "kernel_requires", text);
		jw_kv_bool(w, "kernel_cap_missing", x->kernel_cap_missing);
	}
	(void)call;
}
