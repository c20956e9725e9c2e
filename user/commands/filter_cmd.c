// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* sclens filter dump / eval: the filters a live task really runs. */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <seccomp.h>
#include "json_writer.h"
#include "cli.h"
#include "commands.h"
#include "filter.h"
#include "names.h"
#include "observer.h"
#include "sclens.h"
#include "text.h"

struct filter_opts {
	long pid;
	const char *syscall, *arch;
	uint64_t args[6];
	bool json, eval, insns, ptrace;
};

enum { OPT_ARG = 1000, OPT_PTRACE };

static const struct argp_option dump_options[] = {
	{ "json", 'j', NULL, 0, "JSON output (with the instructions)", 0 },
	{ "insns", 'i', NULL, 0, "Also print every instruction", 0 },
	{ "ptrace", OPT_PTRACE, NULL, 0,
	  "Read with ptrace, as where the kernel keeps no copy (stops the task; gives up after 3 s)", 0 },
	{},
};

static const struct argp_option eval_options[] = {
	{ "syscall", 's', "NAME", 0, "The call to evaluate", 0 },
	{ "arch", 'a', "ARCH", 0, "Its arch: x86_64 (default), i386, x32, aarch64, arm", 0 },
	{ "arg", OPT_ARG, "N=VALUE", 0, "Value of argument N (0-5)", 0 },
	{ "json", 'j', NULL, 0, "JSON output", 0 },
	{ "ptrace", OPT_PTRACE, NULL, 0,
	  "Read with ptrace, as where the kernel keeps no copy (stops the task; gives up after 3 s)", 0 },
	{},
};

static const char dump_doc[] =
	"Print every seccomp filter of a live task: instructions with syscall\n"
	"names, and which calls each filter does not simply allow, per arch.\n"
	"\n"
	"Reads the kernel's own copy of each filter with a BPF program (root, or\n"
	"CAP_BPF and CAP_PERFMON): the task is not stopped, and a task that is\n"
	"stopped, frozen or held by a debugger or strace is read as well. Where\n"
	"the kernel keeps no copy, falls back to ptrace (CAP_SYS_ADMIN), which\n"
	"stops the task while it is read.\n"
	"\n"
	"EXAMPLES:\n"
	"  sclens filter dump 1234\n"
	"  sclens filter dump $(pgrep -f my-service) --json\n"
	"\nOPTIONS:";

static const char eval_doc[] =
	"Run a call through the filters a live task really runs, as the kernel would.\n"
	"\n"
	"EXAMPLES:\n"
	"  sclens filter eval 1234 --syscall clock_settime\n"
	"  sclens filter eval 1234 -s socket --arg 0=40 --json\n"
	"\nOPTIONS:";

static error_t filter_parse(int key, char *arg, struct argp_state *state)
{
	struct filter_opts *o = state->input;

	switch (key) {
	case 's': o->syscall = arg; break;
	case 'a': o->arch = arg; break;
	case 'j': o->json = true; break;
	case 'i': o->insns = true; break;
	case OPT_PTRACE: o->ptrace = true; break;
	case OPT_ARG:
		if (parse_syscall_arg(arg, o->args))
			argp_error(state, "--arg wants N=VALUE with N from 0 to 5 and an unsigned VALUE, not '%s'", arg);
		break;
	case ARGP_KEY_ARG:
		if (o->pid)
			argp_error(state, "unexpected argument '%s'", arg);
		if (parse_int(arg, 1, INT32_MAX, &o->pid))
			argp_error(state, "invalid PID '%s'", arg);
		break;
	case ARGP_KEY_END:
		if (!o->pid)
			argp_error(state, "give the PID of the task");
		if (o->eval && !o->syscall)
			argp_error(state, "--syscall is required");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static int read_stack(const struct filter_opts *o, struct filter_stack *s)
{
	/* the kernel's own copies first: no stop, no ptrace; ptrace where
	 * this kernel cannot (no BTF, no orig_prog, no BPF privileges) */
	int err = o->ptrace ? -EOPNOTSUPP : observer_read_task_filters(o->pid, s);
	const char *msg = NULL;

	/* a zombie keeps its place in the task list, not its filters */
	if (err == -EMEDIUMTYPE && filter_task_exited(o->pid))
		err = -ESRCH;
	if (err && err != -ESRCH && err != -EMEDIUMTYPE) {
		err = filter_stack_read(o->pid, s); /* gives up after 3 s */
	}
	switch (err) {
	case 0: return 0;
	case -ETIMEDOUT: msg = o->ptrace ? "the task did not stop within 3 s to be read (frozen, or in an "
					   "uninterruptible wait); without --ptrace the kernel's copy is read"
					 : "the task did not stop within 3 s to be read (frozen, or in an uninterruptible "
					   "wait); this kernel keeps no copy of its filters that sclens can read";
		break;
	case -ESRCH: msg = "no such process, or it exited while being read"; break;
	case -EINVAL: msg = "the process has no seccomp filter"; break;
	case -EPERM:
		msg = geteuid() ? "not permitted: reading filters needs root (CAP_SYS_ADMIN)"
				: "the kernel refused to attach: another tracer holds the task (TracerPid in "
				  "/proc/PID/status), or a security module forbids it";
		break;
	case -EMEDIUMTYPE: msg = "the process has no seccomp filter"; break;
	default: msg = strerror(-err);
	}
	fprintf(stderr, "sclens: cannot read the filters of %ld: %s\n", o->pid, msg);
	if (o->json)
		print_json_error("cannot read the filters", msg);
	return err;
}

static int exit_for(int err)
{
	return err == -EPERM ? EXIT_ENV : EXIT_FAIL;
}

static int cmd_filter_dump(int argc, char **argv)
{
	static const struct argp argp = { .options = dump_options, .parser = filter_parse, .args_doc = "PID", .doc = dump_doc };
	struct filter_opts o = {};
	struct filter_stack s;
	struct sbuf b;
	int err;

	int parsed = cli_parse(&argp, argc, argv, 0, &o);
	if (parsed >= 0)
		return parsed;
	if ((err = read_stack(&o, &s)))
		return exit_for(err);
	sb_init(&b);
	filter_stack_dump(&b, &s, o.json, o.insns || o.json);
	if (!b.oom)
		printf("%s%s", b.s, o.json ? "\n" : "");
	sb_free(&b);
	filter_stack_free(&s);
	return EXIT_OK;
}

static int cmd_filter_eval(int argc, char **argv)
{
	static const struct argp argp = { .options = eval_options, .parser = filter_parse, .args_doc = "PID", .doc = eval_doc };
	struct filter_opts o = { .eval = true };
	struct filter_stack s;
	struct seccomp_data d = {};
	struct stack_verdict v;
	uint32_t token = SCMP_ARCH_X86_64;
	int nr, err;

	int parsed = cli_parse(&argp, argc, argv, 0, &o);
	if (parsed >= 0)
		return parsed;
	if (o.arch) {
		token = !strcmp(o.arch, "x32") ? SCMP_ARCH_X32 : arch_from_name(o.arch);
		if (!token) {
			fprintf(stderr, "sclens: unknown arch '%s'\n", o.arch);
			return EXIT_USAGE;
		}
	}
	nr = seccomp_syscall_resolve_name_arch(token, o.syscall);
	if (nr == __NR_SCMP_ERROR || nr < 0) {
		const char *near = syscall_suggest(o.syscall);
		fprintf(stderr, "sclens: unknown syscall '%s' for %s%s%s%s\n", o.syscall, o.arch ? o.arch : "x86_64",
			near ? " (did you mean " : "", near ? near : "", near ? "?)" : "");
		if (o.json)
			print_json_error("unknown syscall", o.syscall);
		return EXIT_USAGE;
	}
	if ((err = read_stack(&o, &s)))
		return exit_for(err);
	d.nr = nr;
	d.arch = token == SCMP_ARCH_X32 ? SCMP_ARCH_X86_64 : token;
	memcpy(d.args, o.args, sizeof(d.args));
	filter_stack_eval(&s, &d, &v);
	uint32_t act = seccomp_ret_to_action(v.ret), data = v.ret & SECCOMP_RET_DATA;
	if (o.json) {
		struct sbuf b;
		struct jw w;
		sb_init(&b);
		jw_init(&w, &b);
		jw_obj_begin(&w);
		jw_kv_str(&w, "type", "filter_eval");
		jw_kv_i64(&w, "pid", o.pid);
		jw_kv_str(&w, "syscall", o.syscall);
		jw_kv_i64(&w, "nr", nr & ~SCLENS_X32_SYSCALL_BIT);
		jw_kv_str(&w, "action", seccomp_ret_action(v.ret));
		if (act == SCLENS_ACT_ERRNO) {
			jw_kv_u64(&w, "errno", data);
			jw_kv_str(&w, "errno_name", errno_name(data));
		} else if (act != SCLENS_ACT_ALLOW && act != SCLENS_ACT_LOG) {
			jw_kv_u64(&w, "data", data);
		}
		jw_kv_i64(&w, "filter", v.filter + 1); /* from 1, newest first, as watch's replay */
		jw_kv_i64(&w, "filters", s.n);
		jw_kv_u64(&w, "insn", v.insn);
		jw_key(&w, "filter_id");
		jw_hex(&w, s.progs[v.filter].hash, 16);
		jw_obj_end(&w);
		if (!b.oom)
			printf("%s\n", b.s);
		sb_free(&b);
	} else {
		struct sbuf b;
		sb_init(&b);
		filter_insn_format(&b, &s.progs[v.filter].insns[v.insn], v.insn, token, false);
		printf("%s: %s", o.syscall, seccomp_ret_action(v.ret));
		if (act == SCLENS_ACT_ERRNO)
			printf(" %s (%u)", errno_name(data) ? errno_name(data) : "errno", data);
		printf("\ndecided by filter %d of %d (%s), instruction %zu: %s\n", v.filter + 1, s.n,
		       v.filter == 0 ? "newest" : "older", v.insn, b.s ? b.s : "");
		sb_free(&b);
	}
	filter_stack_free(&s);
	return EXIT_OK;
}

int cmd_filter(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "dump")) {
		argv[1] = "sclens filter dump";
		return cmd_filter_dump(argc - 1, argv + 1);
	}
	if (argc >= 2 && !strcmp(argv[1], "eval")) {
		argv[1] = "sclens filter eval";
		return cmd_filter_eval(argc - 1, argv + 1);
	}
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("Usage: sclens filter dump PID [--json]\n"
		       "       sclens filter eval PID --syscall NAME [--arch ARCH] [--arg N=VALUE]... [--json]\n");
		return EXIT_OK;
	}
	fprintf(stderr, "sclens filter: expected a subcommand: dump or eval\n");
	return EXIT_USAGE;
}
