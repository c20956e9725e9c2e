// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* sclens profile generate | merge | tighten | diff: profiles from what
 * containers really called (recordings of `sclens record`). */
#define _GNU_SOURCE
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <seccomp.h>
#include <cjson/cJSON.h>
#include "cli.h"
#include "commands.h"
#include "defaults.h"
#include "json_writer.h"
#include "names.h"
#include "profile.h"
#include "syscall_facts.h"
#include "text.h"
#include "tune.h"
#include "files.h"
#include "array.h"

/* Distinct values of a conditioned argument kept as conditions; past
 * this, the call is allowed whatever the argument */
#define MAX_ARG_VALUES 16

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

struct rcall {
	char *name;
	uint64_t count;
	uint32_t arches; /* bit 0 x86_64, 1 i386, 2 x32 */
	int arg;	 /* conditioned argument, -1 none */
	uint64_t values[MAX_ARG_VALUES];
	int n_values;
	bool too_many; /* more distinct values than kept */
};

struct rset {
	struct rcall *v;
	int n, cap;
	uint32_t arches;
	int containers;
	int unconfined; /* recorded without a filter: setup calls included */
	uint64_t lost;
};

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

static void rset_free(struct rset *s)
{
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

/* Adds a recording's calls to s. 0, or -EINVAL with msg set. */
static int rset_add_recording(struct rset *s, const cJSON *doc, char *msg, size_t msg_len)
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
		if (!any_filtered)
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

/* The profile (Docker's format; OCI's is the same object) allowing what
 * s holds and nothing else: ERRNO(EPERM) for the rest. */
static void write_profile(struct sbuf *b, struct rset *s, const char *source)
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
	jw_arr_end(&w);
	jw_obj_end(&w);
	sb_putc(b, '\n');
}

/* Loads every input as a recording; 0 or an exit code (message printed) */
static int load_recordings(char **paths, int n, struct rset *s)
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

struct gen_opts {
	const char *format; /* docker, oci, spo */
	const char *name;   /* spo: metadata.name */
	char *inputs[64];
	int n_inputs;
	const char *profile; /* tighten */
	const char *patch;   /* tighten: write the RFC 6902 patch here */
};

enum { OPT_FORMAT = 'F', OPT_NAME = 5000, OPT_PATCH, OPT_PROFILE = 'f' };

static error_t gen_parse(int key, char *arg, struct argp_state *state)
{
	struct gen_opts *o = state->input;

	switch (key) {
	case OPT_FORMAT:
		if (strcmp(arg, "docker") && strcmp(arg, "oci") && strcmp(arg, "spo"))
			argp_error(state, "--format takes docker, oci or spo, not '%s'", arg);
		o->format = arg;
		break;
	case OPT_NAME: o->name = arg; break;
	case OPT_PROFILE: o->profile = arg; break;
	case OPT_PATCH: o->patch = arg; break;
	case ARGP_KEY_ARG:
		if (o->n_inputs == 64)
			argp_error(state, "at most 64 inputs");
		o->inputs[o->n_inputs++] = arg;
		break;
	case ARGP_KEY_END:
		if (!o->n_inputs)
			argp_error(state, "give the recording (from sclens record)");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_option gen_options[] = {
	{ "format", OPT_FORMAT, "FORMAT", 0,
	  "docker (default; --security-opt seccomp=FILE), oci (the linux.seccomp object), spo (a Security "
	  "Profiles Operator SeccompProfile, YAML)", 0 },
	{ "name", OPT_NAME, "NAME", 0, "spo: the SeccompProfile's metadata.name (default: generated)", 0 },
	{},
};

/* Renders the profile in the chosen format on stdout; exit code */
static int emit_profile(struct rset *s, const struct gen_opts *o, const char *source)
{
	struct sbuf b;
	int rc = EXIT_OK;

	sb_init(&b);
	write_profile(&b, s, source);
	if (b.oom) {
		sb_free(&b);
		return EXIT_FAIL;
	}
	if (o->format && !strcmp(o->format, "spo")) {
		rc = profile_json_to_spo_yaml(b.s, o->name ? o->name : "sclens-generated", stdout) ? EXIT_FAIL : EXIT_OK;
	} else {
		fputs(b.s, stdout);
	}
	sb_free(&b);
	if (output_failed(stdout, "the profile"))
		rc = EXIT_FAIL;
	return rc;
}

static const char generate_doc[] =
	"The smallest profile that allows what a recording holds: every call\n"
	"recorded, on the arches recorded, with the argument values recorded where\n"
	"profiles condition on them; ERRNO(EPERM) for everything else. Calls the\n"
	"runtime needs to start the container are in an entry of their own. Denials\n"
	"seen while recording are not allowed (the workload got an error for them).\n"
	"\n"
	"EXAMPLES:\n"
	"  sclens profile generate web.rec.json > web-seccomp.json\n"
	"  docker run --security-opt seccomp=web-seccomp.json ...\n"
	"  sclens profile generate --format spo --name web web.rec.json > web.yaml\n"
	"\nOPTIONS:";

/* generate and merge: the same work, said differently */
static int generate(int argc, char **argv, const char *doc, bool merged)
{
	const struct argp argp = { .options = gen_options, .parser = gen_parse, .args_doc = "RECORDING...", .doc = doc };
	struct gen_opts o = {};
	struct rset s = {};
	char source[512];
	int rc;

	if ((rc = cli_parse(&argp, argc, argv, 0, &o)) >= 0)
		return rc;
	if ((rc = load_recordings(o.inputs, o.n_inputs, &s))) {
		rset_free(&s);
		return rc;
	}
	if (merged)
		snprintf(source, sizeof(source), "merged from %d recordings (%d containers)", o.n_inputs, s.containers);
	else
		snprintf(source, sizeof(source), "%d container%s in %d recording%s", s.containers,
			 s.containers == 1 ? "" : "s", o.n_inputs, o.n_inputs == 1 ? "" : "s");
	rc = emit_profile(&s, &o, source);
	rset_free(&s);
	return rc;
}

int cmd_profile_generate(int argc, char **argv)
{
	return generate(argc, argv, generate_doc, false);
}

static const char merge_doc[] =
	"One profile for several recordings: the replicas of a workload, or the\n"
	"containers of a pod. It allows what any of them called.\n"
	"\n"
	"EXAMPLES:\n"
	"  sclens profile merge web-1.rec.json web-2.rec.json > web-seccomp.json\n"
	"\nOPTIONS:";

int cmd_profile_merge(int argc, char **argv)
{
	return generate(argc, argv, merge_doc, true);
}

/* ---- tighten ---- */

static const struct argp_option tighten_options[] = {
	{ "profile", OPT_PROFILE, "FILE|ID", 0, "The profile to tighten (a file, or a default: docker-20.10, ...)", 0 },
	{ "patch", OPT_PATCH, "FILE", 0, "Also write the RFC 6902 JSON patch from the old profile to the new", 0 },
	{},
};

static const char tighten_doc[] =
	"The profile minus what the recorded workload never called: each entry keeps\n"
	"only the names recorded, entries left empty go. Prints the new profile on\n"
	"stdout, and on stderr a table of what was removed and the risk of each\n"
	"dangerous call that stays.\n"
	"\n"
	"EXAMPLES:\n"
	"  sclens profile tighten --profile docker-20.10 web.rec.json > web.json\n"
	"  sclens profile tighten -f custom.json --patch p.json web.rec.json > new.json\n"
	"\nOPTIONS:";

static bool recorded(const struct rset *s, const char *name)
{
	for (int i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].name, name))
			return true;
	return false;
}

int cmd_profile_tighten(int argc, char **argv)
{
	static const struct argp argp = { .options = tighten_options, .parser = gen_parse,
					  .args_doc = "RECORDING...", .doc = tighten_doc };
	struct gen_opts o = {};
	struct rset s = {};
	struct profile *p = NULL;
	struct sc_error e;
	int rc;

	if ((rc = cli_parse(&argp, argc, argv, 0, &o)) >= 0)
		return rc;
	if (!o.profile) {
		fprintf(stderr, "sclens: --profile is required: the profile to tighten\n");
		return EXIT_USAGE;
	}
	if (profile_load_named(o.profile, &p, &e)) {
		profile_error_print(o.profile, &e);
		return EXIT_BADINPUT;
	}
	if ((rc = load_recordings(o.inputs, o.n_inputs, &s)))
		goto out;
	cJSON *doc = cJSON_Duplicate(p->doc, true);
	cJSON *section = p->section_path[0] ? cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "linux"), "seccomp") : doc;
	cJSON *syscalls = cJSON_GetObjectItem(section, "syscalls");
	cJSON *patch = cJSON_CreateArray();
	int removed = 0, kept = 0;
	fprintf(stderr, "%-24s %-8s %s\n", "CALL", "ENTRY", "");
	for (int i = cJSON_GetArraySize(syscalls) - 1; i >= 0; i--) {
		cJSON *entry = cJSON_GetArrayItem(syscalls, i), *names = cJSON_GetObjectItem(entry, "names");
		const cJSON *action = cJSON_GetObjectItem(entry, "action");
		if (!cJSON_IsArray(names) || !cJSON_IsString(action) || strstr(action->valuestring, "ALLOW") == NULL)
			continue; /* only what allows is tightened: denials stay */
		cJSON *keep = cJSON_CreateArray();
		const cJSON *n;
		cJSON_ArrayForEach(n, names) {
			if (!cJSON_IsString(n))
				continue;
			if (recorded(&s, n->valuestring)) {
				cJSON_AddItemToArray(keep, cJSON_CreateString(n->valuestring));
				kept++;
			} else {
				fprintf(stderr, "%-24s %-8d removed: never called\n", n->valuestring, i);
				removed++;
			}
		}
		char path[128];
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
			continue;
		}
		cJSON_AddItemToArray(patch, op);
	}
	/* the dangerous calls the workload does use: say what they give away */
	for (int i = 0; i < s.n; i++) {
		const struct syscall_fact *f = syscall_fact(s.v[i].name);
		if (f && f->danger)
			fprintf(stderr, "%-24s %-8s kept, and risky: %s\n", s.v[i].name, "", f->danger);
	}
	fprintf(stderr, "sclens: %d names removed, %d kept, from %s\n", removed, kept, p->label);
	char *out = cJSON_Print(doc);
	if (out)
		printf("%s\n", out);
	free(out);
	if (o.patch) {
		int err = write_json_file(o.patch, patch);
		if (err) {
			fprintf(stderr, "sclens: cannot write %s: %s\n", o.patch, strerror(-err));
			rc = EXIT_FAIL;
		}
	}
	cJSON_Delete(patch);
	cJSON_Delete(doc);
	if (output_failed(stdout, "the profile"))
		rc = EXIT_FAIL;
out:
	rset_free(&s);
	profile_free(p);
	return rc;
}

/* ---- diff ---- */

static const char diff_doc[] =
	"What one profile allows that the other does not, call by call, for this\n"
	"host's arches and Docker's default capabilities: allowed, denied, or\n"
	"allowed only for some argument values (with the conditions).\n"
	"\n"
	"EXAMPLES:\n"
	"  sclens profile diff docker-20.10 web-seccomp.json\n"
	"\nOPTIONS:";

/* "allow", "deny", or "args" (depends on the arguments) */
static const char *classify(const struct profile *eff, uint32_t arch, const char *name, const struct sc_rule **rule)
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

static void print_conditions(const struct sc_rule *r)
{
	if (!r || !r->n_args)
		return;
	printf(" (");
	for (int i = 0; i < r->n_args; i++)
		printf("%sarg%u %s %#llx", i ? " && " : "", r->args[i].index, sc_op_name(r->args[i].op),
		       (unsigned long long)r->args[i].value);
	printf(")");
}

int cmd_profile_diff(int argc, char **argv)
{
	/* no options of its own: NULL, not an empty list (glibc's argp help
	 * leaks the hol of an empty one, which LeakSanitizer reports) */
	static const struct argp argp = { .options = NULL, .parser = gen_parse, .args_doc = "A B",
					  .doc = diff_doc };
	struct gen_opts o = {};
	struct profile *src[2] = {}, *eff[2] = {};
	struct sc_target t;
	struct sc_error e;
	int rc, differ = 0;

	if ((rc = cli_parse(&argp, argc, argv, 0, &o)) >= 0)
		return rc;
	/* diff(1)'s codes: 0 the same, 1 they differ, 2 trouble (a usage
	 * error, a profile that cannot be read, a failed write) */
	if (o.n_inputs != 2) {
		fprintf(stderr, "sclens: profile diff takes two profiles\n");
		return EXIT_USAGE;
	}
	sc_target_host(&t);
	for (int i = 0; i < 2; i++) {
		if (profile_load_named(o.inputs[i], &src[i], &e) || profile_effective(src[i], &t, &eff[i], &e)) {
			profile_error_print(o.inputs[i], &e);
			rc = EXIT_USAGE;
			goto out;
		}
	}
	/* this host's arches: native and compat */
	const uint32_t arches[] = { !strcmp(t.go_arch, "arm64") ? SCMP_ARCH_AARCH64 : SCMP_ARCH_X86_64,
				    !strcmp(t.go_arch, "arm64") ? SCMP_ARCH_ARM : SCMP_ARCH_X86 };
	for (size_t ai = 0; ai < 2; ai++) {
		for (int nr = 0; nr < 1024; nr++) {
			char *name = seccomp_syscall_resolve_num_arch(arches[ai], nr);
			if (!name)
				continue;
			const struct sc_rule *ra, *rb;
			const char *ca = classify(eff[0], arches[ai], name, &ra), *cb = classify(eff[1], arches[ai], name, &rb);
			if (strcmp(ca, cb)) {
				printf("%-8s %-24s %-6s in %s", arch_name(arches[ai], nr), name, ca, o.inputs[0]);
				print_conditions(ra);
				printf(", %s in %s", cb, o.inputs[1]);
				print_conditions(rb);
				printf("\n");
				differ++;
			}
			free(name);
		}
	}
	printf("%d differences\n", differ);
	rc = differ ? EXIT_FAIL : EXIT_OK; /* like diff(1): 1 when they differ */
out:
	for (int i = 0; i < 2; i++) {
		profile_free(src[i]);
		profile_free(eff[i]);
	}
	if (output_failed(stdout, "the differences"))
		rc = EXIT_USAGE;
	return rc;
}
