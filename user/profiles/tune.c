// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Profiles from what containers really called (recordings of `sclens
 * record`): the calls of a set of recordings, the smallest profile that
 * allows them, a profile tightened to them, and how two profiles differ
 * on a call. The commands are in commands/profile.c. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <seccomp.h>
#include <cjson/cJSON.h>
#include "array.h"
#include "files.h"
#include "json_writer.h"
#include "names.h"
#include "profile.h"
#include "status.h"
#include "text.h"
#include "tune.h"

/* The calls runc makes between loading the filter and starting the
 * container's command (standard_init_linux.go: the sync pipe and exec
 * fifo, then execve), and the Go runtime's threads meanwhile. A profile
 * must allow them, or the container cannot start. */
static const char *const runtime_calls[] = {
	"execve", "write", "close", "openat", "newfstatat", "fstat", "stat", "getpid", "futex", "nanosleep",
	"sched_yield", "epoll_pwait", "epoll_ctl", "tgkill", "rt_sigreturn", "rt_sigprocmask", "rt_sigaction",
	"sigaltstack", "mmap", "munmap", "madvise", "getdents64", "fcntl", "capget", "capset", "exit_group",
	"exit", "read", "brk", "arch_prctl", "set_tid_address", "set_robust_list", "rseq", "prlimit64",
	"getrandom", "mprotect", "gettid", "readlinkat", "clone", "clone3", "prctl",
};

static bool is_runtime_call(const char *name)
{
	for (size_t i = 0; i < sizeof(runtime_calls) / sizeof(runtime_calls[0]); i++)
		if (!strcmp(runtime_calls[i], name))
			return true;
	return false;
}

static int arch_bit(const char *arch)
{
	if (!strcmp(arch, "x86_64"))
		return 1;
	if (!strcmp(arch, "i386"))
		return 2;
	if (!strcmp(arch, "x32"))
		return 4;
	return 0;
}

static struct rcall *rset_get(struct rset *s, const char *name)
{
	for (int i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].name, name))
			return &s->v[i];
	if (ARRAY_GROW(s->v, s->cap, s->n, 128))
		return NULL;
	s->v[s->n] = (struct rcall){ .name = strdup(name), .arg = -1 };
	if (!s->v[s->n].name)
		return NULL;
	return &s->v[s->n++];
}

static int rset_deny(struct rset *s, const char *name, int err)
{
	for (int i = 0; i < s->n_denied; i++)
		if (!strcmp(s->denied[i].name, name) && s->denied[i].err == err)
			return 0;
	if (ARRAY_GROW(s->denied, s->cap_denied, s->n_denied, 16))
		return -ENOMEM;
	s->denied[s->n_denied] = (struct rdenied){ .name = strdup(name), .err = err };
	return s->denied[s->n_denied++].name ? 0 : -ENOMEM;
}

void rset_free(struct rset *s)
{
	for (int i = 0; i < s->n_denied; i++)
		free(s->denied[i].name);
	free(s->denied);
	for (int i = 0; i < s->n; i++)
		free(s->v[i].name);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static void add_value(struct rcall *c, int arg, uint64_t value)
{
	if (c->arg >= 0 && c->arg != arg) {
		c->too_many = true; /* two different arguments: keep it simple */
		return;
	}
	c->arg = arg;
	for (int i = 0; i < c->n_values; i++)
		if (c->values[i] == value)
			return;
	if (c->n_values == MAX_ARG_VALUES)
		c->too_many = true;
	else
		c->values[c->n_values++] = value;
}

/* Recordings and profiles are read whole, up to this size */
#define TUNE_FILE_MAX (256u << 20)

static char *read_file(const char *path, size_t *len)
{
	char *text;
	int err = file_read_all(path, TUNE_FILE_MAX, FILE_NONBLOCK, &text, len);

	errno = -err;
	return err ? NULL : text;
}

int rset_add_recording(struct rset *s, const cJSON *doc, char *msg, size_t msg_len)
{
	const cJSON *rec = cJSON_GetObjectItem(doc, "recorded"), *c, *it;
	const cJSON *lost = cJSON_GetObjectItem(doc, "lost");

	if (!cJSON_IsArray(rec)) {
		snprintf(msg, msg_len, "no \"recorded\" list");
		return -EINVAL;
	}
	if (lost) {
		const cJSON *lc = cJSON_GetObjectItem(lost, "calls"), *la = cJSON_GetObjectItem(lost, "arg_values");
		s->lost += (cJSON_IsNumber(lc) ? lc->valuedouble : 0) + (cJSON_IsNumber(la) ? la->valuedouble : 0);
	}
	cJSON_ArrayForEach(c, rec) {
		s->containers++;
		/* a container that ran under a filter: only the calls made with
		 * it in force matter (before it, the runtime mounts, pivots and
		 * unshares, which no profile should allow); one that ran
		 * unconfined has no such line, and all its calls count */
		bool any_filtered = false;
		cJSON_ArrayForEach(it, cJSON_GetObjectItem(c, "calls"))
			any_filtered |= cJSON_IsTrue(cJSON_GetObjectItem(it, "filtered"));
		/* only a runtime's setup is mixed in: a command or host cgroup
		 * recorded unfiltered made every call it needs itself */
		if (!any_filtered && cJSON_GetObjectItem(c, "container"))
			s->unconfined++;
		cJSON_ArrayForEach(it, cJSON_GetObjectItem(c, "calls")) {
			const cJSON *name = cJSON_GetObjectItem(it, "syscall"), *arch = cJSON_GetObjectItem(it, "arch");
			const cJSON *count = cJSON_GetObjectItem(it, "count");
			if (!cJSON_IsString(name) || !cJSON_IsString(arch))
				continue; /* a number no table names: nothing a profile can say */
			if (any_filtered && !cJSON_IsTrue(cJSON_GetObjectItem(it, "filtered")))
				continue;
			struct rcall *rc = rset_get(s, name->valuestring);
			if (!rc)
				return -ENOMEM;
			rc->count += cJSON_IsNumber(count) ? (uint64_t)count->valuedouble : 0;
			rc->arches |= arch_bit(arch->valuestring);
			s->arches |= arch_bit(arch->valuestring);
		}
		cJSON_ArrayForEach(it, cJSON_GetObjectItem(c, "denials")) {
			const cJSON *name = cJSON_GetObjectItem(it, "syscall"), *action = cJSON_GetObjectItem(it, "action");
			const cJSON *err = cJSON_GetObjectItem(it, "errno");
			if (!cJSON_IsString(name) || !cJSON_IsString(action) || strcmp(action->valuestring, "errno") ||
			    !cJSON_IsNumber(err) || err->valueint < 1 || err->valueint > 4095)
				continue;
			if (rset_deny(s, name->valuestring, err->valueint))
				return -ENOMEM;
		}
		cJSON_ArrayForEach(it, cJSON_GetObjectItem(c, "args")) {
			const cJSON *name = cJSON_GetObjectItem(it, "syscall"), *arg = cJSON_GetObjectItem(it, "arg");
			const cJSON *value = cJSON_GetObjectItem(it, "value");
			if (!cJSON_IsString(name) || !cJSON_IsNumber(arg) || !cJSON_IsNumber(value))
				continue;
			if (any_filtered && !cJSON_IsTrue(cJSON_GetObjectItem(it, "filtered")))
				continue;
			struct rcall *rc = rset_get(s, name->valuestring);
			if (!rc)
				return -ENOMEM;
			/* cJSON keeps numbers as doubles: exact below 2^53, which
			 * clone flags, socket families and personas are */
			add_value(rc, arg->valueint, (uint64_t)value->valuedouble);
		}
	}
	return 0;
}

static int cmp_rcall(const void *a, const void *b)
{
	return strcmp(((const struct rcall *)a)->name, ((const struct rcall *)b)->name);
}

static void names_entry(struct jw *w, struct rset *s, bool runtime, const char *comment)
{
	bool any = false;

	for (int i = 0; i < s->n; i++)
		if (is_runtime_call(s->v[i].name) == runtime && (s->v[i].arg < 0 || s->v[i].too_many))
			any = true;
	if (!any)
		return;
	jw_obj_begin(w);
	jw_key(w, "names");
	jw_arr_begin(w);
	for (int i = 0; i < s->n; i++)
		if (is_runtime_call(s->v[i].name) == runtime && (s->v[i].arg < 0 || s->v[i].too_many))
			jw_str(w, s->v[i].name);
	jw_arr_end(w);
	jw_kv_str(w, "action", "SCMP_ACT_ALLOW");
	jw_kv_str(w, "comment", comment);
	jw_obj_end(w);
}

/* Calls denied with an errno other than the default's EPERM while
 * recorded, and never allowed: the same errno again, since the workload
 * relied on it (an ENOSYS that makes a library fall back stays ENOSYS) */
static void denied_entries(struct jw *w, const struct rset *s)
{
	for (int i = 0; i < s->n_denied; i++) {
		const struct rdenied *d = &s->denied[i];
		bool first = true, allowed = false;
		for (int j = 0; j < s->n && !allowed; j++)
			allowed = !strcmp(s->v[j].name, d->name);
		for (int j = 0; j < i && first; j++)
			first = strcmp(s->denied[j].name, d->name) != 0;
		if (d->err == 1 || allowed || !first) /* EPERM is the default; one errno a call */
			continue;
		jw_obj_begin(w);
		jw_key(w, "names");
		jw_arr_begin(w);
		jw_str(w, d->name);
		jw_arr_end(w);
		jw_kv_str(w, "action", "SCMP_ACT_ERRNO");
		jw_kv_u64(w, "errnoRet", d->err);
		jw_kv_str(w, "comment", "denied with this errno while recorded: the workload relied on that answer");
		jw_obj_end(w);
	}
}

/* The profile (Docker's format; OCI's is the same object) allowing what
 * s holds and nothing else: ERRNO(EPERM) for the rest. */
void tune_generate(struct sbuf *b, struct rset *s, const char *source)
{
	struct jw w;
	char comment[256];

	qsort(s->v, s->n, sizeof(*s->v), cmp_rcall);
	jw_init(&w, b);
	jw_obj_begin(&w);
	jw_kv_str(&w, "defaultAction", "SCMP_ACT_ERRNO");
	jw_kv_u64(&w, "defaultErrnoRet", 1);
	jw_key(&w, "architectures");
	jw_arr_begin(&w);
	if (s->arches & 1 || !s->arches)
		jw_str(&w, "SCMP_ARCH_X86_64");
	if (s->arches & 2)
		jw_str(&w, "SCMP_ARCH_X86");
	if (s->arches & 4)
		jw_str(&w, "SCMP_ARCH_X32");
	jw_arr_end(&w);
	jw_key(&w, "syscalls");
	jw_arr_begin(&w);
	names_entry(&w, s, true,
		    "recorded, and needed by the runtime to start the container (runc init calls them between "
		    "loading the filter and starting the command)");
	snprintf(comment, sizeof(comment), "recorded by sclens: %s", source);
	names_entry(&w, s, false, comment);
	for (int i = 0; i < s->n; i++) {
		struct rcall *c = &s->v[i];
		if (c->arg < 0 || c->too_many)
			continue;
		for (int j = 0; j < c->n_values; j++) {
			jw_obj_begin(&w);
			jw_key(&w, "names");
			jw_arr_begin(&w);
			jw_str(&w, c->name);
			jw_arr_end(&w);
			jw_kv_str(&w, "action", "SCMP_ACT_ALLOW");
			jw_key(&w, "args");
			jw_arr_begin(&w);
			jw_obj_begin(&w);
			jw_kv_u64(&w, "index", c->arg);
			jw_kv_u64(&w, "value", c->values[j]);
			jw_kv_u64(&w, "valueTwo", 0);
			jw_kv_str(&w, "op", "SCMP_CMP_EQ");
			jw_obj_end(&w);
			jw_arr_end(&w);
			snprintf(comment, sizeof(comment), "recorded with argument %d equal to this value only", c->arg);
			jw_kv_str(&w, "comment", comment);
			jw_obj_end(&w);
		}
	}
	denied_entries(&w, s);
	jw_arr_end(&w);
	jw_obj_end(&w);
	sb_putc(b, '\n');
}

/* Loads every input as a recording; 0 or an exit code (message printed) */
int rset_load(char **paths, int n, struct rset *s)
{
	for (int i = 0; i < n; i++) {
		size_t len;
		char msg[256] = "";
		char *text = read_file(paths[i], &len);
		if (!text) {
			fprintf(stderr, "sclens: cannot read %s: %s\n", paths[i], strerror(errno));
			return EXIT_FAIL;
		}
		cJSON *doc = cJSON_ParseWithLength(text, len);
		free(text);
		const cJSON *kind = doc ? cJSON_GetObjectItem(doc, "kind") : NULL;
		if (!doc || !cJSON_IsString(kind) || strcmp(kind->valuestring, "sclens-recording")) {
			fprintf(stderr, "sclens: %s is not a recording of sclens record%s\n", paths[i],
				doc ? " (no \"kind\": \"sclens-recording\")" : " (not JSON)");
			cJSON_Delete(doc);
			return EXIT_BADINPUT;
		}
		int err = rset_add_recording(s, doc, msg, sizeof(msg));
		cJSON_Delete(doc);
		if (err) {
			fprintf(stderr, "sclens: %s: %s\n", paths[i], err == -ENOMEM ? "out of memory" : msg);
			return err == -ENOMEM ? EXIT_FAIL : EXIT_BADINPUT;
		}
	}
	if (s->unconfined)
		fprintf(stderr, "sclens: warning: %d container%s ran without a seccomp filter while recorded: the "
				"runtime's own setup calls (mount, pivot_root, ...) cannot be told apart and are "
				"allowed too; record under the engine's default profile for a tighter result\n",
			s->unconfined, s->unconfined == 1 ? "" : "s");
	if (s->lost)
		fprintf(stderr, "sclens: warning: the recordings say %llu calls or values found the kernel's maps "
				"full: the profile may miss them\n", (unsigned long long)s->lost);
	return 0;
}


static bool recorded(const struct rset *s, const char *name)
{
	for (int i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].name, name))
			return true;
	return false;
}

static int note_removed(struct tightened *t, const char *name, int entry)
{
	if (ARRAY_GROW(t->removed, t->cap_removed, t->n_removed, 32))
		return -ENOMEM;
	t->removed[t->n_removed] = (struct tighten_removal){ .entry = entry };
	snprintf(t->removed[t->n_removed++].name, sizeof(t->removed[0].name), "%s", name);
	return 0;
}

/* One allowing entry keeps only the names recorded: its patch operation,
 * or NULL when it stays as it was */
static cJSON *tighten_entry(const struct profile *p, cJSON *syscalls, int i, const struct rset *s,
			    struct tightened *t)
{
	cJSON *entry = cJSON_GetArrayItem(syscalls, i), *names = cJSON_GetObjectItem(entry, "names");
	const cJSON *action = cJSON_GetObjectItem(entry, "action");
	const cJSON *n;
	char path[128];

	if (!cJSON_IsArray(names) || !cJSON_IsString(action) || strstr(action->valuestring, "ALLOW") == NULL)
		return NULL; /* only what allows is tightened: denials stay */
	cJSON *keep = cJSON_CreateArray();
	cJSON_ArrayForEach(n, names) {
		if (!cJSON_IsString(n))
			continue;
		if (recorded(s, n->valuestring)) {
			cJSON_AddItemToArray(keep, cJSON_CreateString(n->valuestring));
			t->kept++;
		} else if (!note_removed(t, n->valuestring, i)) {
			t->n_names_removed++;
		}
	}
	snprintf(path, sizeof(path), "%s/syscalls/%d", p->section_path, i);
	cJSON *op = cJSON_CreateObject();
	if (!cJSON_GetArraySize(keep)) {
		cJSON_AddStringToObject(op, "op", "remove");
		cJSON_AddStringToObject(op, "path", path);
		cJSON_DeleteItemFromArray(syscalls, i);
		cJSON_Delete(keep);
	} else if (cJSON_GetArraySize(keep) != cJSON_GetArraySize(names)) {
		strncat(path, "/names", sizeof(path) - strlen(path) - 1);
		cJSON_AddStringToObject(op, "op", "replace");
		cJSON_AddStringToObject(op, "path", path);
		cJSON_AddItemToObject(op, "value", cJSON_Duplicate(keep, true));
		cJSON_ReplaceItemInObject(entry, "names", keep);
	} else {
		cJSON_Delete(op);
		cJSON_Delete(keep);
		return NULL;
	}
	return op;
}

int tune_tighten(const struct profile *p, const struct rset *s, struct tightened *t)
{
	memset(t, 0, sizeof(*t));
	t->doc = cJSON_Duplicate(p->doc, true);
	t->patch = cJSON_CreateArray();
	if (!t->doc || !t->patch) {
		tightened_free(t);
		return -ENOMEM;
	}
	cJSON *section = p->section_path[0] ? cJSON_GetObjectItem(cJSON_GetObjectItem(t->doc, "linux"), "seccomp")
					    : t->doc;
	cJSON *syscalls = cJSON_GetObjectItem(section, "syscalls");
	/* from the last entry: removing one leaves the earlier indexes, and
	 * the patch's paths, as they were */
	for (int i = cJSON_GetArraySize(syscalls) - 1; i >= 0; i--) {
		cJSON *op = tighten_entry(p, syscalls, i, s, t);
		if (op)
			cJSON_AddItemToArray(t->patch, op);
	}
	return 0;
}

void tightened_free(struct tightened *t)
{
	cJSON_Delete(t->doc);
	cJSON_Delete(t->patch);
	free(t->removed);
	memset(t, 0, sizeof(*t));
}

/* "allow", "deny", or "args" (depends on the arguments) */
const char *tune_classify(const struct profile *eff, uint32_t arch, const char *name, const struct sc_rule **rule)
{
	struct sc_call zero = { .arch = arch, .name = name }, ones = zero;
	struct sc_verdict a, b;

	for (int i = 0; i < 6; i++)
		ones.args[i] = ~0ULL;
	profile_eval(eff, &zero, &a);
	profile_eval(eff, &ones, &b);
	*rule = NULL;
	bool za = action_allows(a.action), oa = action_allows(b.action);
	/* a rule with conditions that matches neither probe still makes the
	 * call depend on its arguments */
	for (int i = 0; i < eff->n_rules; i++) {
		const struct sc_rule *r = &eff->rules[i];
		if (r->n_args && rule_names(r, name) && action_allows(r->action) != za) {
			*rule = r;
			return "args";
		}
	}
	if (za != oa) {
		*rule = za ? a.rule : b.rule;
		return "args";
	}
	return za ? "allow" : "deny";
}

