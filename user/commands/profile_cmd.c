// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* sclens profile: the engines' defaults (list, show), and profiles from
 * recordings (generate, merge, tighten) or compared (diff); convert is
 * explain's (explain.c). The logic is in profiles/tune.c. */
#define _GNU_SOURCE
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <seccomp.h>
#include <cjson/cJSON.h>
#include "builtin.h"
#include "cli.h"
#include "commands.h"
#include "defaults.h"
#include "files.h"
#include "names.h"
#include "profile.h"
#include "syscall_facts.h"
#include "text.h"
#include "spo.h"
#include "str_list.h"
#include "tune.h"

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
	tune_generate(&b, s, source);
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
	"seen while recording are not allowed: a call denied with another errno than\n"
	"EPERM gets that errno again (glibc falls back from clone3 on ENOSYS only).\n"
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
	if ((rc = rset_load(o.inputs, o.n_inputs, &s))) {
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

static int cmd_profile_generate(int argc, char **argv)
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

static int cmd_profile_merge(int argc, char **argv)
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

/* The table on stderr: what went, and the risk of each dangerous call
 * that stays */
static void print_tightening(const struct tightened *t, const struct rset *s, const struct profile *p)
{
	fprintf(stderr, "%-24s %-8s %s\n", "CALL", "ENTRY", "");
	for (int i = 0; i < t->n_removed; i++)
		fprintf(stderr, "%-24s %-8d removed: never called\n", t->removed[i].name, t->removed[i].entry);
	for (int i = 0; i < s->n; i++) {
		const struct syscall_fact *f = syscall_fact(s->v[i].name);
		if (f && f->danger)
			fprintf(stderr, "%-24s %-8s kept, and risky: %s\n", s->v[i].name, "", f->danger);
	}
	fprintf(stderr, "sclens: %d names removed, %d kept, from %s\n", t->n_names_removed, t->kept, p->label);
}

static int cmd_profile_tighten(int argc, char **argv)
{
	static const struct argp argp = { .options = tighten_options, .parser = gen_parse,
					  .args_doc = "RECORDING...", .doc = tighten_doc };
	struct gen_opts o = {};
	struct rset s = {};
	struct tightened t = {};
	struct profile *p = NULL;
	struct sc_error e;
	int rc, err;

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
	if ((rc = rset_load(o.inputs, o.n_inputs, &s)))
		goto out;
	if (tune_tighten(p, &s, &t)) {
		fprintf(stderr, "sclens: out of memory\n");
		rc = EXIT_FAIL;
		goto out;
	}
	print_tightening(&t, &s, p);
	char *text = cJSON_Print(t.doc);
	if (text)
		printf("%s\n", text);
	free(text);
	if (o.patch && (err = write_json_file(o.patch, t.patch))) {
		fprintf(stderr, "sclens: cannot write %s: %s\n", o.patch, strerror(-err));
		rc = EXIT_FAIL;
	}
	if (!text || output_failed(stdout, "the profile"))
		rc = EXIT_FAIL;
out:
	tightened_free(&t);
	rset_free(&s);
	profile_free(p);
	return rc;
}

/* ---- diff ---- */

static const char diff_doc[] =
	"What one profile allows that the other does not, call by call, for this\n"
	"host's arches and Docker's default capabilities: allowed, denied, or\n"
	"allowed only for some argument values (with the conditions); then the\n"
	"calls with a known risk that only one of them lets through.\n"
	"\n"
	"EXAMPLES:\n"
	"  sclens profile diff docker-20.10 web-seccomp.json\n"
	"\nOPTIONS:";

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

/* A call with a known risk that one profile lets through (all values or
 * some) and the other denies: what tightening took away, or added */
static void note_risky(struct str_list risky[2], const char *name, const char *ca, const char *cb)
{
	const struct syscall_fact *f = syscall_fact(name);
	int only = !strcmp(cb, "deny") ? 0 : !strcmp(ca, "deny") ? 1 : -1;

	if (only >= 0 && f && f->danger && !str_list_has(&risky[only], name))
		str_list_add(&risky[only], name); /* out of memory: the line above still says it */
}

static int cmd_profile_diff(int argc, char **argv)
{
	/* no options of its own: NULL, not an empty list (glibc's argp help
	 * leaks the hol of an empty one, which LeakSanitizer reports) */
	static const struct argp argp = { .options = NULL, .parser = gen_parse, .args_doc = "A B",
					  .doc = diff_doc };
	struct gen_opts o = {};
	struct profile *src[2] = {}, *eff[2] = {};
	struct sc_target t;
	struct sc_error e;
	struct str_list risky[2] = {};
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
			const char *ca = tune_classify(eff[0], arches[ai], name, &ra), *cb = tune_classify(eff[1], arches[ai], name, &rb);
			if (strcmp(ca, cb)) {
				note_risky(risky, name, ca, cb);
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
	for (int i = 0; i < 2; i++)
		if (risky[i].n) {
			printf("risky, allowed (for some values at least) only in %s:", o.inputs[i]);
			for (int k = 0; k < risky[i].n; k++)
				printf(" %s", risky[i].v[k]);
			printf("\n");
		}
	printf("%d differences\n", differ);
	rc = differ ? EXIT_FAIL : EXIT_OK; /* like diff(1): 1 when they differ */
out:
	for (int i = 0; i < 2; i++) {
		profile_free(src[i]);
		profile_free(eff[i]);
		str_list_free(&risky[i]);
	}
	if (output_failed(stdout, "the differences"))
		rc = EXIT_USAGE;
	return rc;
}

static int cmd_profile_list(void)
{
	defaults_load(NULL);
	printf("%-15s %-11s %s\n", "ID", "ENGINE", "PROFILE");
	for (int i = 0; i < defaults_count(); i++) {
		const struct known_default *d = defaults_get(i);
		printf("%-15s %-11s %s\n", d->id, d->engine ? d->engine : "-", d->title);
	}
	return EXIT_OK;
}

static int cmd_profile_show(const char *id)
{
	for (int i = 0; i < n_builtin_profiles; i++) {
		if (!strcmp(builtin_profiles[i].id, id)) {
			fwrite(builtin_profiles[i].text, 1, builtin_profiles[i].len, stdout);
			return EXIT_OK;
		}
	}
	struct profile *p;
	struct sc_error e;
	/* the IDs' aliases (docker, docker-27, docker-24.0.7) and podman: never a file */
	if (!strchr(id, '/') && access(id, F_OK) && !profile_load_named(id, &p, &e)) {
		fputs(p->text, stdout);
		profile_free(p);
		return EXIT_OK;
	}
	fprintf(stderr, "sclens profile show: no built-in profile '%s' (sclens profile list names them)\n", id);
	return EXIT_USAGE;
}

int cmd_profile(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "convert")) {
		argv[1] = "sclens profile convert";
		return cmd_profile_convert(argc - 1, argv + 1);
	}
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} tuning[] = {
		{ "generate", cmd_profile_generate }, { "merge", cmd_profile_merge },
		{ "tighten", cmd_profile_tighten },   { "diff", cmd_profile_diff },
	};
	for (size_t i = 0; argc >= 2 && i < sizeof(tuning) / sizeof(tuning[0]); i++) {
		if (!strcmp(argv[1], tuning[i].name)) {
			static char label[64];
			snprintf(label, sizeof(label), "sclens profile %s", tuning[i].name);
			argv[1] = label;
			return tuning[i].fn(argc - 1, argv + 1);
		}
	}
	bool help = argc >= 3 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"));
	if (argc >= 2 && !strcmp(argv[1], "list")) {
		if (help) {
			printf("Usage: sclens profile list\n\nThe engines' default profiles sclens knows without "
			       "being told, with their IDs.\n");
			return EXIT_OK;
		}
		if (argc == 2)
			return cmd_profile_list();
		fprintf(stderr, "sclens profile list: takes no arguments, not '%s'\n", argv[2]);
		return EXIT_USAGE;
	}
	if (argc >= 2 && !strcmp(argv[1], "show")) {
		if (help) {
			printf("Usage: sclens profile show ID\n\nPrints one of the defaults (Docker format), to "
			       "edit or to pass to an engine.\n\nEXAMPLES:\n  sclens profile show docker-20.10 > "
			       "default.json\n");
			return EXIT_OK;
		}
		if (argc == 3)
			return cmd_profile_show(argv[2]);
		fprintf(stderr, "sclens profile show: takes one ID (sclens profile list shows them)\n");
		return EXIT_USAGE;
	}
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("Usage: sclens profile convert --profile FILE|ID [OPTIONS]\n"
		       "       sclens profile list\n"
		       "       sclens profile show ID\n"
		       "       sclens profile generate [--format docker|oci|spo] RECORDING...\n"
		       "       sclens profile merge RECORDING...\n"
		       "       sclens profile tighten --profile FILE|ID [--patch FILE] RECORDING...\n"
		       "       sclens profile diff A B\n\n"
		       "  convert   print the effective OCI seccomp section of a Docker profile\n"
		       "  list      the engines' default profiles sclens knows without being told\n"
		       "  show      print one of them (Docker format), to edit or to pass to an engine\n"
		       "  generate  the smallest profile allowing what a recording (sclens record) holds\n"
		       "  merge     one profile for several recordings (replicas, a pod's containers)\n"
		       "  tighten   a profile minus what the recorded workload never called\n"
		       "  diff      what one profile allows that the other does not\n\n"
		       "EXAMPLES:\n"
		       "  sclens profile list\n"
		       "  sclens profile show docker-20.10 > default.json\n"
		       "  sclens profile convert --profile docker-20.10 --cap-add SYS_TIME\n");
		return EXIT_OK;
	}
	static const char *const subs[] = { "convert", "list", "show", "generate", "merge", "tighten", "diff" };
	const char *near = argc >= 2 ? word_suggest(argv[1], subs, sizeof(subs) / sizeof(subs[0])) : NULL;
	if (argc >= 2)
		fprintf(stderr, "sclens profile: unknown subcommand '%s'%s%s%s; it takes convert, list, show, "
				"generate, merge, tighten or diff (sclens profile --help)\n",
			argv[1], near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
	else
		fprintf(stderr, "sclens profile: expected a subcommand: convert, list, show, generate, merge, "
				"tighten or diff (sclens profile --help)\n");
	return EXIT_USAGE;
}
