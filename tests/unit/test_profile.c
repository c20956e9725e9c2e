// The profile engine against moby's real profiles, one row per case; and
// every x86_64 syscall against the filter libseccomp builds from the same
// effective profile, run through the cBPF interpreter.
#include <errno.h>
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
	return UNIT_DONE();
}
