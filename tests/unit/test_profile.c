// The profile engine against moby's real profiles, one row per case; and
// every x86_64 syscall against the filter libseccomp builds from the same
// effective profile, run through the cBPF interpreter.
#include <errno.h>
#include <time.h>
#include <stdlib.h>
#include <unistd.h>
#include <seccomp.h>
#include <linux/filter.h>
#include "unit.h"
#include "apply.h"
#include "cbpf.h"
#include "names.h"
#include "profile.h"
#include "sclens.h"

#define PROFILES "../shared/profiles/"
#define ALLOW SCLENS_ACT_ALLOW
#define ERRNO SCLENS_ACT_ERRNO
#define KILLT SCLENS_ACT_KILL_THREAD

static struct profile *load(const char *name)
{
	struct profile *p = NULL;
	struct sc_error e;
	char path[256];

	snprintf(path, sizeof(path), PROFILES "%s", name);
	if (profile_load_file(path, &p, &e)) {
		printf("#   cannot load %s: %s: %s\n", path, e.path, e.msg);
		return NULL;
	}
	return p;
}

static uint64_t caps_plus(const char *cap)
{
	uint64_t c = docker_default_caps();
	return cap ? c | (1ULL << cap_from_name(cap)) : c;
}

struct row {
	const char *profile;
	const char *syscall;
	uint32_t arch;
	const char *cap_add; /* on top of Docker's defaults */
	int kernel;	     /* 0: 6.18 */
	int arg_index;	     /* -1: all zero */
	uint64_t arg;
	uint32_t action;
	int errno_val;	     /* -1: none */
	int rule;	     /* deciding syscalls[] index, -1: default action */
};

#define X86_64 SCMP_ARCH_X86_64
static const struct row rows[] = {
	/* the reference case */
	{ "docker-default.json", "clock_settime", X86_64, NULL, 0, -1, 0, ERRNO, 1, -1 },
	{ "docker-default.json", "clock_settime", X86_64, "SYS_TIME", 0, -1, 0, ALLOW, -1, 27 },
	{ "docker-default.json", "settimeofday", X86_64, NULL, 0, -1, 0, ERRNO, 1, -1 },
	{ "docker-default.json", "clock_settime", SCMP_ARCH_X86, NULL, 0, -1, 0, ERRNO, 1, -1 },
	{ "docker-default.json", "clock_settime", SCMP_ARCH_X86, "SYS_TIME", 0, -1, 0, ALLOW, -1, 27 },
	/* clone3: ENOSYS on purpose, unless CAP_SYS_ADMIN */
	{ "docker-default.json", "clone3", X86_64, NULL, 0, -1, 0, ERRNO, 38, 20 },
	{ "docker-default.json", "clone3", X86_64, "SYS_ADMIN", 0, -1, 0, ALLOW, -1, 17 },
	/* clone: namespace flags need CAP_SYS_ADMIN */
	{ "docker-default.json", "clone", X86_64, NULL, 0, 0, 0x11, ALLOW, -1, 18 },
	{ "docker-default.json", "clone", X86_64, NULL, 0, 0, 0x10000000 /* CLONE_NEWUSER */, ERRNO, 1, -1 },
	{ "docker-default.json", "clone", X86_64, "SYS_ADMIN", 0, 0, 0x10000000, ALLOW, -1, 17 },
	/* personality: only listed values */
	{ "docker-default.json", "personality", X86_64, NULL, 0, 0, 0, ALLOW, -1, 5 },
	{ "docker-default.json", "personality", X86_64, NULL, 0, 0, 8, ALLOW, -1, 6 },
	{ "docker-default.json", "personality", X86_64, NULL, 0, 0, 0xffffffff, ALLOW, -1, 9 },
	{ "docker-default.json", "personality", X86_64, NULL, 0, 0, 0x0040000 /* ADDR_NO_RANDOMIZE */, ERRNO, 1, -1 },
	/* socket: every family but AF_VSOCK (40) */
	{ "docker-default.json", "socket", X86_64, NULL, 0, 0, 2, ALLOW, -1, 2 },
	{ "docker-default.json", "socket", X86_64, NULL, 0, 0, 39, ALLOW, -1, 3 },
	{ "docker-default.json", "socket", X86_64, NULL, 0, 0, 40, ERRNO, 1, -1 },
	{ "docker-default.json", "socket", X86_64, NULL, 0, 0, 41, ALLOW, -1, 4 },
	/* ptrace: minKernel 4.8 */
	{ "docker-default.json", "ptrace", X86_64, NULL, 0, -1, 0, ALLOW, -1, 1 },
	{ "docker-default.json", "ptrace", X86_64, NULL, 4004, -1, 0, ERRNO, 1, -1 },
	/* ...but CAP_SYS_PTRACE has its own entry without minKernel */
	{ "docker-default.json", "ptrace", X86_64, "SYS_PTRACE", 4004, -1, 0, ALLOW, -1, 25 },
	/* includes.arches: amd64 and x32 */
	{ "docker-default.json", "arch_prctl", X86_64, NULL, 0, -1, 0, ALLOW, -1, 12 },
	{ "docker-default.json", "modify_ldt", X86_64, NULL, 0, -1, 0, ALLOW, -1, 13 },
	/* arches outside the archMap of an amd64 host */
	{ "docker-default.json", "getpid", SCMP_ARCH_AARCH64, NULL, 0, -1, 0, KILLT, -1, -1 },
	{ "docker-default.json", "getpid", X86_64, NULL, 0, -1, 0, ALLOW, -1, 0 },
	{ "docker-default.json", "mount", X86_64, NULL, 0, -1, 0, ERRNO, 1, -1 },
	{ "docker-default.json", "mount", X86_64, "SYS_ADMIN", 0, -1, 0, ALLOW, -1, 17 },
	{ "docker-default.json", "bpf", X86_64, "BPF", 0, -1, 0, ALLOW, -1, 31 },
	{ "docker-default.json", "syslog", X86_64, "SYSLOG", 0, -1, 0, ALLOW, -1, 30 },
	{ "docker-default.json", "reboot", X86_64, NULL, 0, -1, 0, ERRNO, 1, -1 },
	{ "docker-default.json", "no_such_call", X86_64, NULL, 0, -1, 0, ERRNO, 1, -1 },
	/* moby's fixtures */
	{ "moby-fixture-conditional_include.json", "chmod", X86_64, NULL, 0, -1, 0, ALLOW, -1, 0 },
	{ "moby-fixture-conditional_include.json", "syslog", X86_64, NULL, 0, -1, 0, ERRNO, 1, -1 },
	{ "moby-fixture-conditional_include.json", "syslog", X86_64, "SYSLOG", 0, -1, 0, ALLOW, -1, 1 },
	{ "moby-fixture-conditional_include.json", "ptrace", X86_64, NULL, 0, -1, 0, ALLOW, -1, 2 },
	{ "moby-fixture-conditional_include.json", "ptrace", X86_64, "SYS_ADMIN", 0, -1, 0, ERRNO, 1, -1 },
	{ "moby-fixture-example.json", "syslog", X86_64, NULL, 0, -1, 0, ERRNO, 12345, 3 },
	{ "moby-fixture-example.json", "open", X86_64, NULL, 0, -1, 0, ALLOW, -1, 1 },
	{ "moby-fixture-example.json", "clone", X86_64, NULL, 0, 0, 0x11, ALLOW, -1, 0 },
	{ "moby-fixture-example.json", "clone", X86_64, NULL, 0, 0, 0x10000000, ERRNO, 1, -1 },
	{ "moby-fixture-default-old-format.json", "accept", X86_64, NULL, 0, -1, 0, ALLOW, -1, 0 },
	{ "moby-fixture-default-old-format.json", "chown32", SCMP_ARCH_X86, NULL, 0, -1, 0, ALLOW, -1, 11 },
	{ "moby-fixture-default-old-format.json", "kexec_load", X86_64, NULL, 0, -1, 0, ERRNO, 1, -1 },
};

static void profile_rows(void)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		struct profile *src = load(r->profile), *eff = NULL;
		struct sc_target t;
		struct sc_error e;
		struct sc_verdict v;
		struct sc_call call = { .arch = r->arch, .name = r->syscall };

		CHECK(src, "row %zu", i);
		if (!src)
			continue;
		sc_target_host(&t);
		t.go_arch = "amd64";
		t.kernel = r->kernel ? r->kernel : 6018;
		t.caps = caps_plus(r->cap_add);
		if (r->arg_index >= 0)
			call.args[r->arg_index] = r->arg;
		CHECK(!profile_effective(src, &t, &eff, &e), "row %zu", i);
		profile_eval(eff, &call, &v);
		CHECK(v.action == r->action, "row %zu %s%s%s: action %u, want %u", i, r->syscall,
		      r->cap_add ? " +" : "", r->cap_add ? r->cap_add : "", v.action, r->action);
		CHECK(v.errno_val == r->errno_val, "row %zu %s: errno %d, want %d", i, r->syscall, v.errno_val,
		      r->errno_val);
		int rule = v.rule ? v.rule->index : -1;
		CHECK(rule == r->rule, "row %zu %s: rule %d, want %d", i, r->syscall, rule, r->rule);
		profile_free(eff);
		profile_free(src);
	}
}

/* The effective profile, compiled by libseccomp and run by the interpreter,
 * must agree with the evaluator on every call libseccomp knows on x86_64,
 * with Docker's default caps and with each capability the profile names. */
static void every_syscall_agrees_with_libseccomp(void)
{
	static const char *caps[] = { NULL, "DAC_READ_SEARCH", "SYS_ADMIN", "SYS_BOOT", "SYS_CHROOT",
		"SYS_MODULE", "SYS_PACCT", "SYS_PTRACE", "SYS_RAWIO", "SYS_TIME", "SYS_TTY_CONFIG",
		"SYS_NICE", "SYSLOG", "BPF", "PERFMON" };
	struct profile *src = load("docker-default.json");
	int checked = 0, disagree = 0;

	CHECK(src, "load");
	if (!src)
		return;
	for (size_t c = 0; c < sizeof(caps) / sizeof(caps[0]); c++) {
		struct sc_target t;
		struct profile *eff;
		struct sc_error e;
		struct sock_filter *prog = NULL;
		size_t len = 0, bad;

		sc_target_host(&t);
		t.go_arch = "amd64";
		t.kernel = 6018;
		t.caps = caps_plus(caps[c]);
		CHECK(!profile_effective(src, &t, &eff, &e), "effective");
		CHECK(!profile_export_bpf(eff, &prog, &len), "export");
		CHECK(prog && !cbpf_check(prog, len, &bad), "libseccomp's program passes the kernel's checks");
		for (int nr = 0; prog && nr < 600; nr++) {
			char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, nr);
			struct sc_call call = { .arch = SCMP_ARCH_X86_64 };
			struct seccomp_data d = { .nr = nr, .arch = SCMP_ARCH_X86_64 };
			struct sc_verdict v;
			uint32_t ret, want;

			if (!name)
				continue;
			call.name = name;
			profile_eval(eff, &call, &v);
			ret = cbpf_run(prog, len, &d, NULL);
			want = v.action == SCLENS_ACT_ALLOW ? SECCOMP_RET_ALLOW :
			       v.action == SCLENS_ACT_ERRNO ? (SECCOMP_RET_ERRNO | (uint32_t)v.errno_val) : 0xdead;
			if (ret != want) {
				if (disagree++ < 5)
					printf("#   %s +%s: evaluator %#x, libseccomp's filter %#x\n", name,
					       caps[c] ? caps[c] : "(none)", want, ret);
			}
			checked++;
			free(name);
		}
		free(prog);
		profile_free(eff);
	}
	CHECK(disagree == 0, "%d of %d calls disagree", disagree, checked);
	CHECK(checked > 5000, "only %d calls checked", checked);
	printf("#   %d (syscall, capability set) pairs agree\n", checked);
	profile_free(src);
}

/* Exact 64-bit argument values survive parsing (cJSON keeps doubles). */
static void exact_64bit_values(void)
{
	const char *text = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"ioctl\"],"
			   "\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":1,\"value\":18446744073709551615,"
			   "\"valueTwo\":9007199254740993,\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}";
	struct profile *p;
	struct sc_error e;

	CHECK(!profile_load_text(text, strlen(text), "t", &p, &e), "%s", e.msg);
	CHECK(p->rules[0].args[0].value == UINT64_MAX, "value %llx", (unsigned long long)p->rules[0].args[0].value);
	CHECK(p->rules[0].args[0].value_two == 9007199254740993ULL, "valueTwo");
	CHECK(p->rules[0].line == 1, "line");
	profile_free(p);
}

struct bad {
	const char *text;
	const char *path; /* expected error path ("" for the document) */
	const char *msg;  /* a part of the message */
};

static const struct bad bads[] = {
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [", "", "not valid JSON" },
	{ "[]", "", "must be a JSON object" },
	{ "{\"syscalls\": []}", "defaultAction", "is missing" },
	{ "{\"defaultAction\": 7}", "defaultAction", "must be a string" },
	{ "{\"defaultAction\": \"SCMP_ACT_FOO\"}", "defaultAction", "unknown action" },
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": {}}", "syscalls", "must be an array" },
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"a\"], \"action\": \"SCMP_ACT_ALLOW\", "
	  "\"args\": [{\"index\": 6, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]}]}", "syscalls[0].args[0].index", "out of range" },
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"a\"], \"action\": \"SCMP_ACT_ALLOW\", "
	  "\"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_LIKE\"}]}]}", "syscalls[0].args[0].op", "unknown operator" },
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"a\"], \"action\": \"SCMP_ACT_ALLOW\", "
	  "\"args\": [{\"index\": 0, \"value\": -1, \"op\": \"SCMP_CMP_EQ\"}]}]}", "syscalls[0].args[0].value", "whole number" },
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"name\": \"a\", \"names\": [\"b\"], "
	  "\"action\": \"SCMP_ACT_ALLOW\"}]}", "syscalls[0]", "both \"name\" and \"names\"" },
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": \"a\", \"action\": \"SCMP_ACT_ALLOW\"}]}",
	  "syscalls[0].names", "array of strings" },
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [], \"action\": \"SCMP_ACT_ALLOW\"}]}",
	  "syscalls[0].names", "must not be empty" },
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"a\"]}]}", "syscalls[0].action", "is missing" },
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"a\"], \"action\": \"SCMP_ACT_ERRNO\", "
	  "\"errnoRet\": 70000}]}", "syscalls[0].errnoRet", "0 to 65535" },
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_64\"], \"archMap\": "
	  "[{\"architecture\": \"SCMP_ARCH_X86_64\"}]}", "archMap", "use one" },
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_VAX\"]}", "architectures[0]",
	  "unknown architecture" },
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"a\"], \"action\": \"SCMP_ACT_ALLOW\", "
	  "\"includes\": {\"minKernel\": \"four\"}}]}", "syscalls[0].includes.minKernel", "kernel version" },
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"a\"], \"action\": \"SCMP_ACT_ALLOW\", "
	  "\"includes\": {\"caps\": [1]}}]}", "syscalls[0].includes.caps[0]", "non-empty string" },
	{ "{\"linux\": {}}", "linux.seccomp", "runs without a seccomp filter" },
	/* numbers as Go's encoding/json reads them into unsigned fields */
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", "
	  "\"args\": [{\"index\": 0, \"value\": 0000000000000000000000000000000000005, \"op\": \"SCMP_CMP_EQ\"}]}]}",
	  "syscalls[0].args[0].value", "whole number" },
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", "
	  "\"args\": [{\"index\": 0, \"value\": 1e3, \"op\": \"SCMP_CMP_EQ\"}]}]}", "syscalls[0].args[0].value", "whole number" },
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", "
	  "\"args\": [{\"index\": 0, \"value\": 5.0, \"op\": \"SCMP_CMP_EQ\"}]}]}", "syscalls[0].args[0].value", "whole number" },
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", "
	  "\"args\": [{\"index\": -0, \"value\": 5, \"op\": \"SCMP_CMP_EQ\"}]}]}", "syscalls[0].args[0].index", "whole number" },
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1e400}", "defaultErrnoRet", "whole number" },
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", "
	  "\"args\": [{\"index\": 0, \"value\": 18446744073709551616, \"op\": \"SCMP_CMP_EQ\"}]}]}",
	  "syscalls[0].args[0].value", "0 to 18446744073709551615" },
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\", "
	  "\"errnoRet\": 99999999999999999999999}]}", "syscalls[0].errnoRet", "0 to 65535" },
	/* Go keeps the whole string, NUL and all: no such action */
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\\u0000junk\"}", "defaultAction", "NUL character" },
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\\u0000\"], \"action\": \"SCMP_ACT_ALLOW\"}]}",
	  "syscalls[0].names[0]", "NUL character" },
};

static void bad_profiles(void)
{
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		struct profile *p = NULL;
		struct sc_error e;
		int err = profile_load_text(bads[i].text, strlen(bads[i].text), "bad", &p, &e);

		CHECK(err == -EINVAL && !p, "row %zu accepted", i);
		CHECK(!strcmp(e.path, bads[i].path), "row %zu: path '%s', want '%s'", i, e.path, bads[i].path);
		CHECK(strstr(e.msg, bads[i].msg), "row %zu: message '%s' lacks '%s'", i, e.msg, bads[i].msg);
	}
}

/* Duplicate keys: the last one wins, as in Go; a warning says so. */
static void duplicate_keys_last_wins(void)
{
	const char *text = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"defaultAction\":\"SCMP_ACT_ERRNO\","
			   "\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\",\"action\":\"SCMP_ACT_ALLOW\","
			   "\"args\":[{\"index\":0,\"value\":1,\"value\":7,\"op\":\"SCMP_CMP_EQ\"}]}]}";
	struct profile *p;
	struct sc_error e;

	CHECK(!profile_load_text(text, strlen(text), "t", &p, &e), "%s", e.msg);
	if (!p)
		return;
	CHECK(p->default_action == SCLENS_ACT_ERRNO, "defaultAction: the first one was kept");
	CHECK(p->rules[0].action == SCLENS_ACT_ALLOW, "action: the first one was kept");
	CHECK(p->rules[0].args[0].value == 7, "value %llu: the first one was kept", (unsigned long long)p->rules[0].args[0].value);
	CHECK(p->n_warnings == 3, "%d warnings", p->n_warnings);
	profile_free(p);
}

/* Unknown names are named, with the closest real one; real names newer
 * than libseccomp's table are not. */
static void unknown_syscall_names(void)
{
	const char *text = "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\",\"raed\",\"fchmodat2\","
			   "\"clock_setime\",\"zzzzzzzz\"],\"action\":\"SCMP_ACT_ALLOW\"}]}";
	struct profile *p;
	struct sc_error e;

	CHECK(!profile_load_text(text, strlen(text), "t", &p, &e), "%s", e.msg);
	if (!p)
		return;
	CHECK(p->n_warnings == 3, "%d warnings", p->n_warnings);
	if (p->n_warnings == 3) {
		CHECK_STR(p->warnings[0].path, "syscalls[0].names[1]");
		CHECK(strstr(p->warnings[0].msg, "did you mean \"read\""), "%s", p->warnings[0].msg);
		CHECK(strstr(p->warnings[1].msg, "did you mean \"clock_settime\""), "%s", p->warnings[1].msg);
		CHECK(!strstr(p->warnings[2].msg, "did you mean"), "%s", p->warnings[2].msg);
		CHECK(strstr(p->warnings[2].msg, "skip unknown names"), "%s", p->warnings[2].msg);
	}
	profile_free(p);
}

/* archMap with the host arch many times: deduplicated, never past the
 * array; 16 distinct architectures are fine. */
static void arch_map_bounds(void)
{
	static const int counts[] = { 1, 3, 15, 40 };
	struct sc_target t;

	sc_target_host(&t);
	for (size_t c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
		char *text = malloc(200 * counts[c] + 100);
		size_t n = sprintf(text, "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"archMap\":[");
		for (int i = 0; i < counts[c]; i++)
			n += sprintf(text + n, "%s{\"architecture\":\"SCMP_ARCH_X86_64\",\"subArchitectures\":"
					       "[\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"]}", i ? "," : "");
		sprintf(text + n, "]}");
		struct profile *p = NULL, *eff = NULL;
		struct sc_error e;
		CHECK(!profile_load_text(text, strlen(text), "t", &p, &e), "%d entries: %s", counts[c], e.msg);
		CHECK(p && !profile_effective(p, &t, &eff, &e), "%d entries: effective", counts[c]);
		CHECK(eff && eff->n_arches == 3 && eff->arches[0] == SCMP_ARCH_X86_64 && eff->arches[1] == SCMP_ARCH_X86 &&
			      eff->arches[2] == SCMP_ARCH_X32,
		      "%d entries: %d arches", counts[c], eff ? eff->n_arches : -1);
		profile_free(eff);
		profile_free(p);
		free(text);
	}
	const char *sixteen = "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\","
			      "\"SCMP_ARCH_X32\",\"SCMP_ARCH_AARCH64\",\"SCMP_ARCH_ARM\",\"SCMP_ARCH_MIPS\",\"SCMP_ARCH_MIPS64\","
			      "\"SCMP_ARCH_MIPS64N32\",\"SCMP_ARCH_MIPSEL\",\"SCMP_ARCH_MIPSEL64\",\"SCMP_ARCH_MIPSEL64N32\","
			      "\"SCMP_ARCH_PPC\",\"SCMP_ARCH_PPC64\",\"SCMP_ARCH_PPC64LE\",\"SCMP_ARCH_S390\",\"SCMP_ARCH_S390X\"]}";
	struct profile *p = NULL;
	struct sc_error e;
	CHECK(!profile_load_text(sixteen, strlen(sixteen), "t", &p, &e), "16 arches: %s", e.msg);
	CHECK(p && p->n_arches == 16, "16 arches");
	profile_free(p);
}

/* 200,000 entries with arguments load, every value exact. The time is
 * printed, not asserted (make bench measures it: the old search per
 * number took 17 s here). */
static void many_entries_linear(void)
{
	int n = 200000;
	char *text = malloc((size_t)n * 120 + 100);
	size_t len = sprintf(text, "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[");
	for (int i = 0; i < n; i++)
		len += sprintf(text + len, "%s{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,"
					   "\"value\":%d,\"op\":\"SCMP_CMP_EQ\"}]}", i ? "," : "", i);
	len += sprintf(text + len, "]}");
	struct profile *p = NULL;
	struct sc_error e;
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	CHECK(!profile_load_text(text, len, "big", &p, &e), "%s", e.msg);
	clock_gettime(CLOCK_MONOTONIC, &b);
	double s = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
	CHECK(p && p->rules[n - 1].args[0].value == (uint64_t)(n - 1), "last value");
	printf("# %d entries with args loaded in %.2f s\n", n, s);
	profile_free(p);
	free(text);
}

static void hostile_nesting(void)
{
	size_t n = 4 << 20;
	char *deep = malloc(n + 1);
	struct profile *p = NULL;
	struct sc_error e;

	memset(deep, '[', n);
	deep[n] = 0;
	CHECK(profile_load_text(deep, n, "deep", &p, &e) == -EINVAL, "4 MiB of nesting accepted");
	CHECK(strstr(e.msg, "not valid JSON"), "%s", e.msg);
	/* a NUL in the middle */
	CHECK(profile_load_text("{\"a\":1}\0{}", 10, "nul", &p, &e) == -EINVAL, "NUL accepted");
	free(deep);
}

int main(void)
{
	if (access(PROFILES "docker-default.json", R_OK)) {
		printf("ok 1 - tests/unit/test_profile.c # skip ../shared/profiles is missing\n");
		return 0;
	}
	RUN(profile_rows);
	RUN(every_syscall_agrees_with_libseccomp);
	RUN(exact_64bit_values);
	RUN(bad_profiles);
	RUN(hostile_nesting);
	RUN(duplicate_keys_last_wins);
	RUN(unknown_syscall_names);
	RUN(arch_map_bounds);
	RUN(many_entries_linear);
	return UNIT_DONE();
}
