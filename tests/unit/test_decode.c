// Arguments as strace shows them: one row per call and value.
#include "unit.h"
#include "decode.h"

static const struct {
	const char *call;
	uint64_t args[6];
	const char *want;
} rows[] = {
	{ "unshare", { 0x20000 }, "(CLONE_NEWNS)" },
	{ "unshare", { 0x10020000 }, "(CLONE_NEWNS|CLONE_NEWUSER)" },
	{ "clone", { 0x1200011, 0, 0, 0, 0 }, "(CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, 0, 0, 0, 0)" },
	{ "socket", { 40, 1, 0 }, "(AF_VSOCK, SOCK_STREAM, 0)" },
	{ "socket", { 2, 0x80802, 0 }, "(AF_INET, SOCK_DGRAM|SOCK_NONBLOCK|SOCK_CLOEXEC, 0)" },
	{ "mount", { 0x1000, 0x2000, 0x3000, 0x5000, 0 }, "(0x1000, 0x2000, 0x3000, MS_BIND|MS_REC, 0)" },
	{ "openat", { 0xffffff9c, 0x4000, 0x80241, 0644 }, "(AT_FDCWD, 0x4000, O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0644)" },
	{ "personality", { 0x40000 }, "(ADDR_NO_RANDOMIZE)" },
	{ "ptrace", { 16, 42 }, "(PTRACE_ATTACH, 42, 0, 0)" },
	{ "keyctl", { 1 }, "(KEYCTL_JOIN_SESSION_KEYRING, 0, 0, 0, 0)" },
	{ "ioctl", { 0, 0x5412, 7 }, "(0, TIOCSTI, 0x7)" },
	{ "getuid", { 1, 2 }, "()" },
	{ "nosuchcall", { 1, 2, 3, 4, 5, 6 }, "(0x1, 0x2, 0x3, 0x4, 0x5, 0x6)" },
	/* signals by name; real-time ones as strace says them */
	{ "kill", { 1, 9 }, "(1, SIGKILL)" },
	{ "tgkill", { 10, 11, 31 }, "(10, 11, SIGSYS)" },
	{ "kill", { 5, 34 }, "(5, SIGRT_2)" },
	{ "rt_sigqueueinfo", { 7, 31, 0x7ffe0000 }, "(7, SIGSYS, 0x7ffe0000)" },
	/* a mode only where the flags create a file */
	{ "openat", { 0xffffff9c, 0x4000, 0x80000, 0x7ffe }, "(AT_FDCWD, 0x4000, O_RDONLY|O_CLOEXEC)" },
	{ "open", { 0x4000, 0x2, 0x55 }, "(0x4000, O_RDWR)" },
	{ "open", { 0x4000, 0x441, 0600 }, "(0x4000, O_WRONLY|O_CREAT|O_APPEND, 0600)" },
	/* undecoded calls: as many arguments as the kernel declares */
	{ "uname", { 0x7ffe1000, 7, 8, 9, 10, 11 }, "(0x7ffe1000)" },
	{ "getrandom", { 0x7ffe1000, 16, 1, 9, 9, 9 }, "(0x7ffe1000, 0x10, 0x1)" },
	{ "sched_yield", { 3, 3, 3, 3, 3, 3 }, "()" },
	{ "mmap", { 0, 4096, 3, 0x22, 0xffffffff, 0 }, "(0, 0x1000, 0x3, 0x22, 0xffffffff, 0)" },
};

/* path arguments read from the process replace the pointer */
static void decode_strings(void)
{
	uint64_t args[6] = { 0x1000, 0x2000, 0x3000, 0, 0, 0 };
	const char *strs[6] = { "none", "/mnt", "tmpfs" };
	struct sbuf b;

	sb_init(&b);
	decode_args(&b, "mount", args, strs);
	CHECK_STR(b.s, "(\"none\", \"/mnt\", \"tmpfs\", 0, 0)");
	sb_reset(&b);
	strs[1] = "/a\x1b[2J";
	decode_args(&b, "mount", args, strs);
	CHECK_STR(b.s, "(\"none\", \"/a\\x1b[2J\", \"tmpfs\", 0, 0)");
	sb_free(&b);
}

static void decode_rows(void)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct sbuf b;
		sb_init(&b);
		decode_args(&b, rows[i].call, rows[i].args, NULL);
		CHECK_STR(b.s, rows[i].want);
		sb_free(&b);
	}
}

int main(void)
{
	RUN(decode_rows);
	RUN(decode_strings);
	return UNIT_DONE();
}
