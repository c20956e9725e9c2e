#define _GNU_SOURCE
// The cBPF interpreter on filters libseccomp builds: for each rule set,
// the verdict for each call equals what the rules say. Then the kernel's
// checks, the stack combination, and random programs.
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <seccomp.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/seccomp.h>
#include <linux/filter.h>
#include "unit.h"
#include "cbpf.h"
#include "filter.h"

static struct sock_filter *export(scmp_filter_ctx ctx, size_t *len)
{
	int fd = memfd_create("t", 0);
	struct sock_filter *p;
	off_t n;

	if (fd < 0 || seccomp_export_bpf(ctx, fd))
		return NULL;
	n = lseek(fd, 0, SEEK_END);
	p = malloc(n);
	if (p && pread(fd, p, n, 0) != n) {
		free(p);
		p = NULL;
	}
	close(fd);
	*len = n / sizeof(*p);
	return p;
}

struct call {
	uint32_t arch;
	const char *name;
	uint64_t a0, a1;
	uint32_t want; /* SECCOMP_RET_* */
};

static void check_calls(scmp_filter_ctx ctx, const struct call *calls, size_t n, const char *what)
{
	size_t len, bad;
	struct sock_filter *p = export(ctx, &len);

	CHECK(p, "%s: export", what);
	if (!p)
		return;
	CHECK(!cbpf_check(p, len, &bad), "%s: libseccomp's program fails the checks at %zu", what, bad);
	for (size_t i = 0; i < n; i++) {
		uint32_t token = calls[i].arch;
		struct seccomp_data d = { .arch = token == SCMP_ARCH_X32 ? SCMP_ARCH_X86_64 : token };
		d.nr = seccomp_syscall_resolve_name_arch(token, calls[i].name);
		d.args[0] = calls[i].a0;
		d.args[1] = calls[i].a1;
		uint32_t got = cbpf_run(p, len, &d, NULL);
		CHECK(got == calls[i].want, "%s: %s(%#llx, %#llx): got %#x, want %#x", what, calls[i].name,
		      (unsigned long long)calls[i].a0, (unsigned long long)calls[i].a1, got, calls[i].want);
	}
	free(p);
}

#define X SCMP_ARCH_X86_64
#define ALLOW SECCOMP_RET_ALLOW
#define ERR(e) (SECCOMP_RET_ERRNO | (e))

static void every_action(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(getuid), 0);
	seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS, SCMP_SYS(getgid), 0);
	seccomp_rule_add(ctx, SCMP_ACT_KILL_THREAD, SCMP_SYS(geteuid), 0);
	seccomp_rule_add(ctx, SCMP_ACT_TRAP, SCMP_SYS(getegid), 0);
	seccomp_rule_add(ctx, SCMP_ACT_TRACE(7), SCMP_SYS(getppid), 0);
	seccomp_rule_add(ctx, SCMP_ACT_LOG, SCMP_SYS(getpgrp), 0);
	seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, SCMP_SYS(getsid), 0);
	const struct call calls[] = {
		{ X, "getuid", 0, 0, ERR(EPERM) },
		{ X, "getgid", 0, 0, SECCOMP_RET_KILL_PROCESS },
		{ X, "geteuid", 0, 0, SECCOMP_RET_KILL_THREAD },
		{ X, "getegid", 0, 0, SECCOMP_RET_TRAP },
		{ X, "getppid", 0, 0, SECCOMP_RET_TRACE | 7 },
		{ X, "getpgrp", 0, 0, SECCOMP_RET_LOG },
		{ X, "getsid", 0, 0, SECCOMP_RET_USER_NOTIF },
		{ X, "read", 0, 0, ALLOW },
	};
	check_calls(ctx, calls, sizeof(calls) / sizeof(calls[0]), "actions");
	seccomp_release(ctx);
}

static void every_operator(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	/* values above 2^32 split across the two 32-bit words */
	const uint64_t big = 0x100000005ULL;
	seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), SCMP_SYS(read), 1, SCMP_A0(SCMP_CMP_EQ, big));
	seccomp_rule_add(ctx, SCMP_ACT_ERRNO(2), SCMP_SYS(write), 1, SCMP_A0(SCMP_CMP_NE, 7));
	seccomp_rule_add(ctx, SCMP_ACT_ERRNO(3), SCMP_SYS(lseek), 1, SCMP_A1(SCMP_CMP_LT, big));
	seccomp_rule_add(ctx, SCMP_ACT_ERRNO(4), SCMP_SYS(dup), 1, SCMP_A0(SCMP_CMP_LE, 10));
	seccomp_rule_add(ctx, SCMP_ACT_ERRNO(5), SCMP_SYS(dup2), 1, SCMP_A0(SCMP_CMP_GE, big));
	seccomp_rule_add(ctx, SCMP_ACT_ERRNO(6), SCMP_SYS(close), 1, SCMP_A0(SCMP_CMP_GT, 100));
	seccomp_rule_add(ctx, SCMP_ACT_ERRNO(7), SCMP_SYS(unshare), 1, SCMP_A0(SCMP_CMP_MASKED_EQ, 0x10000000, 0x10000000));
	seccomp_rule_add(ctx, SCMP_ACT_ERRNO(8), SCMP_SYS(socket), 2, SCMP_A0(SCMP_CMP_EQ, 40), SCMP_A1(SCMP_CMP_EQ, 1));
	const struct call calls[] = {
		{ X, "read", big, 0, ERR(1) },
		{ X, "read", 5, 0, ALLOW },	   /* same low word, other high word */
		{ X, "read", big + 1, 0, ALLOW },
		{ X, "write", 7, 0, ALLOW },
		{ X, "write", 8, 0, ERR(2) },
		{ X, "write", 7 | (1ULL << 32), 0, ERR(2) },
		{ X, "lseek", 0, big - 1, ERR(3) },
		{ X, "lseek", 0, big, ALLOW },
		{ X, "lseek", 0, 6, ERR(3) },
		{ X, "dup", 10, 0, ERR(4) },
		{ X, "dup", 11, 0, ALLOW },
		{ X, "dup2", big, 0, ERR(5) },
		{ X, "dup2", big - 1, 0, ALLOW },
		{ X, "dup2", ~0ULL, 0, ERR(5) },
		{ X, "close", 100, 0, ALLOW },
		{ X, "close", 101, 0, ERR(6) },
		{ X, "unshare", 0x10000000 | 0x20000, 0, ERR(7) },
		{ X, "unshare", 0x20000, 0, ALLOW },
		{ X, "socket", 40, 1, ERR(8) }, /* conditions ANDed */
		{ X, "socket", 40, 2, ALLOW },
		{ X, "socket", 2, 1, ALLOW },
	};
	check_calls(ctx, calls, sizeof(calls) / sizeof(calls[0]), "operators");
	seccomp_release(ctx);
}

static void several_arches(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(38));
	seccomp_arch_add(ctx, SCMP_ARCH_X86);
	seccomp_arch_add(ctx, SCMP_ARCH_X32);
	seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(read), 0);
	seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), SCMP_SYS(clock_settime), 0);
	const struct call calls[] = {
		{ X, "read", 0, 0, ALLOW },
		{ SCMP_ARCH_X86, "read", 0, 0, ALLOW },
		{ SCMP_ARCH_X32, "read", 0, 0, ALLOW },
		{ X, "clock_settime", 0, 0, ERR(1) },
		{ SCMP_ARCH_X86, "clock_settime", 0, 0, ERR(1) },
		{ SCMP_ARCH_X32, "clock_settime", 0, 0, ERR(1) },
		{ X, "write", 0, 0, ERR(38) },
		{ SCMP_ARCH_X86, "write", 0, 0, ERR(38) },
		{ SCMP_ARCH_AARCH64, "read", 0, 0, SECCOMP_RET_KILL_THREAD }, /* bad arch */
	};
	check_calls(ctx, calls, sizeof(calls) / sizeof(calls[0]), "arches");
	seccomp_release(ctx);
}

static void kernel_checks(void)
{
	static const struct {
		struct sock_filter insn[3];
		size_t len;
		const char *what;
	} bad[] = {
		{ { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 2), BPF_STMT(BPF_RET | BPF_K, 0) }, 2, "misaligned load" },
		{ { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 64), BPF_STMT(BPF_RET | BPF_K, 0) }, 2, "load past seccomp_data" },
		{ { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0), BPF_STMT(BPF_RET | BPF_K, 0) }, 2, "byte load" },
		{ { BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 5, 0), BPF_STMT(BPF_RET | BPF_K, 0) }, 2, "jump out" },
		{ { BPF_STMT(BPF_JMP | BPF_JA, 1), BPF_STMT(BPF_RET | BPF_K, 0) }, 2, "ja out" },
		{ { BPF_STMT(BPF_LD | BPF_IMM, 0) }, 1, "no return at the end" },
		{ { BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, 0), BPF_STMT(BPF_RET | BPF_K, 0) }, 2, "division by 0" },
		{ { BPF_STMT(BPF_LD | BPF_MEM, 16), BPF_STMT(BPF_RET | BPF_K, 0) }, 2, "scratch out of range" },
		{ { BPF_STMT(0xffff, 0), BPF_STMT(BPF_RET | BPF_K, 0) }, 2, "unknown opcode" },
	};
	size_t pc;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(cbpf_check(bad[i].insn, bad[i].len, &pc) == -EINVAL, "%s accepted", bad[i].what);
	CHECK(cbpf_check(bad[0].insn, 0, &pc) == -EINVAL, "empty accepted");
	struct sock_filter *big = calloc(CBPF_MAX_INSNS + 1, sizeof(*big));
	for (size_t i = 0; i <= CBPF_MAX_INSNS; i++)
		big[i] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0);
	CHECK(cbpf_check(big, CBPF_MAX_INSNS + 1, &pc) == -EINVAL, "too long accepted");
	CHECK(cbpf_check(big, CBPF_MAX_INSNS, &pc) == 0, "4096 refused");
	free(big);
}

/* Loads prog in a child and makes getppid: the errno the kernel's own
 * run of it returned (its ERRNO data), -EINVAL if the kernel refused the
 * program, or -1 when the call was not denied with an errno. */
static int kernel_errno(const struct sock_filter *prog, size_t len)
{
	/* getppid goes through prog; every other call is allowed */
	struct sock_filter full[32] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getppid, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog fp = { .len = 3 + len, .filter = full };
	int status;

	memcpy(full + 3, prog, len * sizeof(*prog));
	pid_t pid = fork();
	if (pid == 0) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
			_exit(250);
		if (syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp))
			_exit(errno == EINVAL ? 251 : 252);
		long r = syscall(__NR_getppid);
		_exit(r == -1 ? errno & 0xff : 253);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -2;
	status = WEXITSTATUS(status);
	return status == 251 ? -EINVAL : status >= 250 ? -1 : status;
}

/* What the kernel does, checked live: shifts by X use X & 31; BPF_MOD is
 * refused; an offset near 2^32 is refused and never read. */
static void kernel_agrees_live(void)
{
	static const struct {
		const char *what;
		struct sock_filter insn[6];
		size_t len;
		int kernel; /* errno, or -EINVAL: refused */
	} rows[] = {
		{ "1 << X, X = 33", { BPF_STMT(BPF_LDX | BPF_IMM, 33), BPF_STMT(BPF_LD | BPF_IMM, 1),
				      BPF_STMT(BPF_ALU | BPF_LSH | BPF_X, 0), BPF_STMT(BPF_ALU | BPF_OR | BPF_K, SECCOMP_RET_ERRNO),
				      BPF_STMT(BPF_RET | BPF_A, 0) }, 5, 2 },
		{ "0x80 >> X, X = 32", { BPF_STMT(BPF_LDX | BPF_IMM, 32), BPF_STMT(BPF_LD | BPF_IMM, 0x80),
				       BPF_STMT(BPF_ALU | BPF_RSH | BPF_X, 0), BPF_STMT(BPF_ALU | BPF_OR | BPF_K, SECCOMP_RET_ERRNO),
				       BPF_STMT(BPF_RET | BPF_A, 0) }, 5, 0x80 },
		{ "1 << X, X = 4", { BPF_STMT(BPF_LDX | BPF_IMM, 4), BPF_STMT(BPF_LD | BPF_IMM, 1),
				     BPF_STMT(BPF_ALU | BPF_LSH | BPF_X, 0), BPF_STMT(BPF_ALU | BPF_OR | BPF_K, SECCOMP_RET_ERRNO),
				     BPF_STMT(BPF_RET | BPF_A, 0) }, 5, 16 },
		{ "A % 5", { BPF_STMT(BPF_LD | BPF_IMM, 7), BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, 5),
			     BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1) }, 3, -EINVAL },
		{ "A % X", { BPF_STMT(BPF_LDX | BPF_IMM, 5), BPF_STMT(BPF_ALU | BPF_MOD | BPF_X, 0),
			     BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1) }, 3, -EINVAL },
		{ "load at 0xfffffffc", { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0xfffffffc),
					  BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1) }, 2, -EINVAL },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		size_t pc;
		int live = kernel_errno(rows[i].insn, rows[i].len);
		int checked = cbpf_check(rows[i].insn, rows[i].len, &pc);
		struct seccomp_data d = { .nr = __NR_getppid };
		uint32_t ret = cbpf_run(rows[i].insn, rows[i].len, &d, NULL);

		CHECK(live == rows[i].kernel, "%s: the kernel gave %d, the table says %d", rows[i].what, live, rows[i].kernel);
		if (rows[i].kernel == -EINVAL) {
			CHECK(checked == -EINVAL, "%s: accepted, the kernel refuses it", rows[i].what);
			/* unchecked, it still runs safely (ASan would see a bad read) */
			CHECK((ret & SECCOMP_RET_ACTION_FULL) != SECCOMP_RET_ALLOW, "%s: unchecked run allowed", rows[i].what);
		} else {
			CHECK(!checked, "%s: refused", rows[i].what);
			CHECK(ret == (SECCOMP_RET_ERRNO | (uint32_t)rows[i].kernel), "%s: got %#x, the kernel %#x",
			      rows[i].what, ret, SECCOMP_RET_ERRNO | rows[i].kernel);
		}
	}
}

/* Two programs as a stack: precedence, ties to the newest. */
static void stack_combination(void)
{
	struct sock_filter eperm[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1) };
	struct sock_filter eacces[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 13) };
	struct sock_filter kill[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS) };
	struct sock_filter allow[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	struct sock_filter trace[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE | 3) };
	const struct {
		struct sock_filter *newest, *older;
		uint32_t want;
		int filter;
	} rows[] = {
		{ eacces, eperm, SECCOMP_RET_ERRNO | 13, 0 },
		{ eperm, eacces, SECCOMP_RET_ERRNO | 1, 0 },
		{ eperm, kill, SECCOMP_RET_KILL_PROCESS, 1 },
		{ kill, eperm, SECCOMP_RET_KILL_PROCESS, 0 },
		{ allow, trace, SECCOMP_RET_TRACE | 3, 1 },
		{ trace, eperm, SECCOMP_RET_ERRNO | 1, 1 },
		{ allow, allow, SECCOMP_RET_ALLOW, 0 },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct seccomp_prog progs[2] = {};
		struct filter_stack s = { .progs = progs, .n = 2, .cap = 2, .borrowed = true };
		struct seccomp_data d = {};
		struct stack_verdict v;
		s.progs[0].insns = rows[i].newest;
		s.progs[0].len = 1;
		s.progs[1].insns = rows[i].older;
		s.progs[1].len = 1;
		filter_stack_eval(&s, &d, &v);
		CHECK(v.ret == rows[i].want && v.filter == rows[i].filter, "row %zu: %#x from %d", i, v.ret, v.filter);
	}
}

/* Random programs and data: rejected, or run to a return, never a crash. */
static void random_programs(void)
{
	srand(42);
	int accepted = 0;
	for (int iter = 0; iter < 200000; iter++) {
		struct sock_filter p[16];
		size_t len = 1 + rand() % 16, pc;
		static const uint16_t codes[] = { BPF_LD | BPF_W | BPF_ABS, BPF_JMP | BPF_JEQ | BPF_K, BPF_JMP | BPF_JGT | BPF_K,
			BPF_JMP | BPF_JSET | BPF_K, BPF_JMP | BPF_JA, BPF_ALU | BPF_AND | BPF_K, BPF_ALU | BPF_DIV | BPF_X,
			BPF_RET | BPF_K, BPF_RET | BPF_A, BPF_ST, BPF_LD | BPF_MEM, BPF_MISC | BPF_TAX, BPF_ALU | BPF_LSH | BPF_X };
		for (size_t i = 0; i < len; i++) {
			p[i].code = rand() % 4 ? codes[rand() % (sizeof(codes) / sizeof(codes[0]))] : (uint16_t)rand();
			p[i].jt = rand() % 8;
			p[i].jf = rand() % 8;
			p[i].k = rand() % 3 ? (uint32_t)(rand() % 16) * 4 : (uint32_t)rand();
		}
		struct seccomp_data d;
		for (size_t i = 0; i < sizeof(d); i++)
			((unsigned char *)&d)[i] = rand();
		if (cbpf_check(p, len, &pc))
			continue;
		accepted++;
		size_t last;
		cbpf_run(p, len, &d, &last);
		CHECK(last <= len, "ran past the end");
	}
	CHECK(accepted > 1000, "only %d random programs passed the checks", accepted);
}

int main(void)
{
	RUN(every_action);
	RUN(every_operator);
	RUN(several_arches);
	RUN(kernel_checks);
	RUN(kernel_agrees_live);
	RUN(stack_combination);
	RUN(random_programs);
	return UNIT_DONE();
}
