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
	{ "profile", 'f', "FILE|ID", 0,
	  "Seccomp profile: a file (Docker or OCI format, or a bundle's config.json) or a default's id (docker-20.10, "
	  "containerd, podman: sclens profile list)", 0 },
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
			argp_error(state, "unknown capability '%s'%s%s%s", arg, cap_suggest(arg) ? " (did you mean " : "",
				   cap_suggest(arg) ? cap_suggest(arg) : "", cap_suggest(arg) ? "?)" : "");
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
			jw_kv_str(&w, "type", "explain");
			jw_kv_str(&w, "syscall", call.name);
			jw_kv_str(&w, "profile", p->label);
			explanation_json(&w, &x, p, &call);
			jw_obj_end(&w);
			sb_putc(&b, '\n');
		} else {
			explanation_plain(&b, &x, p, &call, "");
		}
		struct sbuf wrapped;
		sb_init(&wrapped);
		if (!o.json && output_width() > 0 && !b.oom) /* a terminal: no line past its edge */
			sb_put_lines_wrapped(&wrapped, b.s, b.len, output_width());
		if (wrapped.s && !wrapped.oom)
			fputs(wrapped.s, stdout);
		else if (!b.oom)
			fputs(b.s, stdout);
		sb_free(&wrapped);
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
	{ "profile", 'f', "FILE|ID", 0, "Docker-format seccomp profile: a file or a default's id (sclens profile list)", 0 },
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

int cmd_profile_convert(int argc, char **argv)
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

