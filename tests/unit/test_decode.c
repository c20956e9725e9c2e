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
