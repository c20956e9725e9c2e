// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* sclens explain / sclens profile convert: offline questions to a profile. */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <seccomp.h>
#include "json_writer.h"
#include "files.h"
#include "capopts.h"
#include "commands.h"
#include "builtin.h"
#include "defaults.h"
#include "tune.h"
#include "cli.h"
#include "fix.h"
#include "selection.h"
#include "names.h"
#include "profile.h"
#include "text.h"

struct explain_opts {
	const char *profile;
	struct str_list syscalls; /* repeatable, and lists */
	const char *write_profile;
	struct cap_opts caps;
	uint64_t args[6];
	bool json;
};

enum { OPT_CAP_ADD = 1000, OPT_CAP_DROP, OPT_ARG, OPT_KERNEL, OPT_WRITE };

static const struct argp_option explain_options[] = {
	{ "color", 1999, "WHEN", 0, "Colour: auto (on a terminal, unless NO_COLOR is set), always, never", 0 },
	{ "profile", 'f', "FILE", 0, "Seccomp profile (Docker or OCI format, or a bundle's config.json)", 0 },
	{ "syscall", 's', "NAME", 0, "The syscall to explain", 0 },
	{ "arch", 'a', "ARCH", 0, "Arch of the call: x86_64, i386, x32, aarch64, arm (default: this host's)", 0 },
	{ "cap-add", OPT_CAP_ADD, "CAP", 0, "Add a capability to Docker's default set (ALL accepted)", 0 },
	{ "cap-drop", OPT_CAP_DROP, "CAP", 0, "Drop a capability from it (ALL accepted)", 0 },
	{ "arg", OPT_ARG, "N=VALUE", 0, "Value of argument N (0-5) of the call", 0 },
	{ "kernel", OPT_KERNEL, "X.Y", 0, "Kernel version for minKernel (default: this one)", 0 },
	{ "write-profile", OPT_WRITE, "FILE", 0, "Write the corrected profile to FILE", 0 },
	{ "json", 'j', NULL, 0, "JSON output", 0 },
	{},
};

static const char explain_doc[] =
	"Tell what a seccomp profile does with a call, which entry decides, and\n"
	"what to change. -s takes names, x86_64 numbers and classes (%clock, ...),\n"
	"repeated or as a list: each is explained. The profile is a file, or a\n"
	"default sclens ships (sclens profile list: docker-20.10, podman, ...).\n"
	"\n"
	"The container has Docker's default capabilities, plus --cap-add, minus\n"
	"--cap-drop.\n"
	"\n"
	"EXAMPLES:\n"
	"  sclens explain -f docker-default.json -s clock_settime\n"
	"  sclens explain -f docker-default.json -s clock_settime --cap-add SYS_TIME\n"
	"  sclens explain -f docker-default.json -s socket --arg 0=40 --json\n"
	"  sclens explain -f my.json -s mount --write-profile fixed.json\n"
	"\nOPTIONS:";

static error_t common_cap_parse(int key, char *arg, struct argp_state *state, struct cap_opts *c)
{
	switch (key) {
	case 'a':
		c->arch = arg;
		return 0;
	case OPT_CAP_ADD:
	case OPT_CAP_DROP:
		if (cap_opts_add(c, arg, key == OPT_CAP_ADD))
			argp_error(state, "unknown capability '%s'", arg);
		return 0;
	case OPT_KERNEL:
		c->kernel = arg;
		return 0;
	}
	return ARGP_ERR_UNKNOWN;
}

static error_t explain_parse(int key, char *arg, struct argp_state *state)
{
	struct explain_opts *o = state->input;

	switch (key) {
	case 1999:
		if (color_mode_set(arg))
			argp_error(state, "--color takes auto, always or never, not '%s'", arg);
		break;
	case 'f':
		o->profile = arg;
		break;
	case 's':
		str_list_add(&o->syscalls, arg);
		break;
	case OPT_ARG:
		if (parse_syscall_arg(arg, o->args))
			argp_error(state, "--arg wants N=VALUE with N from 0 to 5 and an unsigned VALUE, not '%s'", arg);
		break;
	case OPT_WRITE:
		o->write_profile = arg;
		break;
	case 'j':
		o->json = true;
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	case ARGP_KEY_END:
		if (!o->profile || !o->syscalls.n)
			argp_error(state, "--profile and --syscall are required");
		break;
	default:
		return common_cap_parse(key, arg, state, &o->caps);
	}
	return 0;
}

static void json_error(bool json, const char *what, const char *detail)
{
	if (json)
		print_json_error(what, detail);
}

/* Loads a profile, printing the error in both forms on failure. */
static int load_profile(const char *path, bool json, struct profile **p)
{
	struct sc_error e;
	int err = profile_load_named(path, p, &e);

	if (err) {
		char detail[512];
		profile_error_print(path, &e);
		if (e.line)
			snprintf(detail, sizeof(detail), "%s: %s%s(line %d) %s", path, e.path, e.path[0] ? ": " : "", e.line, e.msg);
		else
			snprintf(detail, sizeof(detail), "%s: %s%s%s", path, e.path, e.path[0] ? ": " : "", e.msg);
		json_error(json, "invalid profile", detail);
	} else {
		profile_warnings_print(*p);
	}
	return err;
}

int cmd_explain(int argc, char **argv)
{
	static const struct argp argp = { .options = explain_options, .parser = explain_parse, .doc = explain_doc };
	struct explain_opts o = {};
	struct profile *p = NULL;
	struct sc_target t;
	struct sc_call call = {};
	struct explanation x;
	struct sbuf b;
	int rc = EXIT_OK;

	if ((rc = cli_parse(&argp, argc, argv, 0, &o)) >= 0)
		return rc;
	rc = EXIT_OK;
	if (cap_opts_target(&o.caps, &t, &call.arch)) {
		str_list_free(&o.syscalls);
		return EXIT_USAGE;
	}
	struct syscall_set calls = {};
	for (int i = 0; i < o.syscalls.n; i++) {
		char msg[256];
		if (syscall_set_add(&calls, o.syscalls.v[i], msg, sizeof(msg))) {
			fprintf(stderr, "sclens: %s\n", msg);
			json_error(o.json, "unknown syscall", msg);
			syscall_set_free(&calls);
			str_list_free(&o.syscalls);
			return EXIT_USAGE;
		}
	}
	str_list_free(&o.syscalls);
	if (load_profile(o.profile, o.json, &p)) {
		syscall_set_free(&calls);
		return EXIT_BADINPUT;
	}
	sb_init(&b);
	/* each call asked for, in order; one JSON object per line */
	for (int i = 0; i < calls.n && rc == EXIT_OK; i++) {
		call.name = calls.names[i];
		memcpy(call.args, o.args, sizeof(call.args));
		int nr = seccomp_syscall_resolve_name_arch(call.arch, call.name);
		if (nr < 0 && nr != __NR_SCMP_ERROR && calls.n > 1)
			continue; /* a class's call this arch lacks */
		if (nr == __NR_SCMP_ERROR) {
			fprintf(stderr, "sclens: %s has no syscall '%s'\n", o.caps.arch ? o.caps.arch : "x86_64", call.name);
			json_error(o.json, "unknown syscall", call.name);
			rc = EXIT_USAGE;
			break;
		}
		if (explain_call(p, &t, &call, &x)) {
			fprintf(stderr, "sclens: out of memory\n");
			rc = EXIT_FAIL;
			break;
		}
		sb_reset(&b);
		if (i && !o.json)
			sb_putc(&b, '\n');
		if (o.json) {
			struct jw w;
			jw_init(&w, &b);
			jw_obj_begin(&w);
			jw_kv_str(&w, "syscall", call.name);
			jw_kv_str(&w, "profile", p->label);
			explanation_json(&w, &x, p, &call);
			jw_obj_end(&w);
			sb_putc(&b, '\n');
		} else {
			explanation_plain(&b, &x, p, &call, "");
		}
		if (!b.oom)
			fputs(b.s, stdout);
		if (o.write_profile && calls.n > 1) {
			fprintf(stderr, "sclens: --write-profile takes one syscall\n");
			rc = EXIT_USAGE;
		} else if (o.write_profile) {
			if (!x.fixed) {
				fprintf(stderr, "sclens: no profile change to write: %s\n",
					x.allowed ? "the profile allows the call" :
					x.intended ? "the denial is intended" : "a capability is the fix");
			} else {
				int err = write_json_file(o.write_profile, x.fixed);
				if (err) {
					fprintf(stderr, "sclens: cannot write %s: %s\n", o.write_profile, strerror(-err));
					rc = EXIT_FAIL;
				} else if (!o.json) {
					printf("wrote the corrected profile to %s\n", o.write_profile);
				}
			}
		}
		explanation_free(&x);
	}
	sb_free(&b);
	syscall_set_free(&calls);
	profile_free(p);
	return rc;
}

/* ---- sclens profile convert ---- */

struct convert_opts {
	const char *profile;
	struct cap_opts caps;
};

static const struct argp_option convert_options[] = {
	{ "profile", 'f', "FILE", 0, "Docker-format seccomp profile", 0 },
	{ "arch", 'a', "ARCH", 0, "Host arch (default: this one): x86_64, aarch64, ...", 0 },
	{ "cap-add", OPT_CAP_ADD, "CAP", 0, "Add a capability to Docker's default set (ALL accepted)", 0 },
	{ "cap-drop", OPT_CAP_DROP, "CAP", 0, "Drop a capability from it (ALL accepted)", 0 },
	{ "kernel", OPT_KERNEL, "X.Y", 0, "Kernel version for minKernel (default: this one)", 0 },
	{},
};

static const char convert_doc[] =
	"Print the OCI linux.seccomp section that Docker would hand to the runtime.\n"
	"\n"
	"EXAMPLES:\n"
	"  sclens profile convert -f docker-default.json > seccomp.json\n"
	"  sclens profile convert -f docker-default.json --cap-add SYS_TIME\n"
	"\nOPTIONS:";

static error_t convert_parse(int key, char *arg, struct argp_state *state)
{
	struct convert_opts *o = state->input;

	switch (key) {
	case 'f':
		o->profile = arg;
		return 0;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		return 0;
	case ARGP_KEY_END:
		if (!o->profile)
			argp_error(state, "--profile is required");
		return 0;
	}
	return common_cap_parse(key, arg, state, &o->caps);
}

static int cmd_profile_convert(int argc, char **argv)
{
	static const struct argp argp = { .options = convert_options, .parser = convert_parse, .doc = convert_doc };
	struct convert_opts o = {};
	struct profile *p, *eff;
	struct sc_target t;
	struct sc_error e;
	cJSON *oci;
	char *text;

	int parsed = cli_parse(&argp, argc, argv, 0, &o);
	if (parsed >= 0)
		return parsed;
	if (cap_opts_target(&o.caps, &t, NULL))
		return EXIT_USAGE;
	if (load_profile(o.profile, false, &p))
		return EXIT_BADINPUT;
	if (profile_effective(p, &t, &eff, &e)) {
		profile_error_print(o.profile, &e);
		profile_free(p);
		return EXIT_FAIL;
	}
	oci = profile_to_oci(eff);
	text = oci ? cJSON_Print(oci) : NULL;
	int rc = text ? EXIT_OK : EXIT_FAIL;
	if (text && (printf("%s\n", text) < 0 || output_failed(stdout, "the output")))
		rc = EXIT_FAIL;
	free(text);
	cJSON_Delete(oci);
	profile_free(eff);
	profile_free(p);
	return rc;
}

static int cmd_profile_list(void)
{
	defaults_load(NULL);
	printf("%-14s %-8s %s\n", "ID", "ENGINE", "PROFILE");
	for (int i = 0; i < defaults_count(); i++) {
		const struct known_default *d = defaults_get(i);
		printf("%-14s %-8s %s\n", d->id, d->engine ? d->engine : "-", d->title);
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
	if (!strcmp(id, "podman") && !profile_load_named(id, &p, &e)) {
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
