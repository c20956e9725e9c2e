// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <string.h>
#include "decode.h"
#include "sclens.h"
#include "syscall_arity.h"

struct sym {
	uint64_t v;
	const char *name;
};
#define S(x) { x, #x }

/* values from the kernel's uapi headers (stable ABI), written out so that
 * the decoder does not depend on the build host's headers */
static const struct sym clone_flags[] = {
	{ 0x00000100, "CLONE_VM" },	   { 0x00000200, "CLONE_FS" },	       { 0x00000400, "CLONE_FILES" },
	{ 0x00000800, "CLONE_SIGHAND" },   { 0x00001000, "CLONE_PIDFD" },      { 0x00002000, "CLONE_PTRACE" },
	{ 0x00004000, "CLONE_VFORK" },	   { 0x00008000, "CLONE_PARENT" },     { 0x00010000, "CLONE_THREAD" },
	{ 0x00020000, "CLONE_NEWNS" },	   { 0x00040000, "CLONE_SYSVSEM" },    { 0x00080000, "CLONE_SETTLS" },
	{ 0x00100000, "CLONE_PARENT_SETTID" }, { 0x00200000, "CLONE_CHILD_CLEARTID" }, { 0x00400000, "CLONE_DETACHED" },
	{ 0x00800000, "CLONE_UNTRACED" },  { 0x01000000, "CLONE_CHILD_SETTID" }, { 0x02000000, "CLONE_NEWCGROUP" },
	{ 0x04000000, "CLONE_NEWUTS" },	   { 0x08000000, "CLONE_NEWIPC" },     { 0x10000000, "CLONE_NEWUSER" },
	{ 0x20000000, "CLONE_NEWPID" },	   { 0x40000000, "CLONE_NEWNET" },     { 0x80000000, "CLONE_IO" },
	{ 0x00000080, "CLONE_NEWTIME" },   {},
};
static const struct sym mount_flags[] = {
	{ 1, "MS_RDONLY" },	   { 2, "MS_NOSUID" },	      { 4, "MS_NODEV" },	  { 8, "MS_NOEXEC" },
	{ 16, "MS_SYNCHRONOUS" },  { 32, "MS_REMOUNT" },      { 64, "MS_MANDLOCK" },	  { 128, "MS_DIRSYNC" },
	{ 256, "MS_NOSYMFOLLOW" }, { 1024, "MS_NOATIME" },    { 2048, "MS_NODIRATIME" }, { 4096, "MS_BIND" },
	{ 8192, "MS_MOVE" },	   { 16384, "MS_REC" },	      { 32768, "MS_SILENT" },	  { 1 << 16, "MS_POSIXACL" },
	{ 1 << 17, "MS_UNBINDABLE" }, { 1 << 18, "MS_PRIVATE" }, { 1 << 19, "MS_SLAVE" }, { 1 << 20, "MS_SHARED" },
	{ 1 << 21, "MS_RELATIME" }, { 1 << 22, "MS_KERNMOUNT" }, { 1 << 23, "MS_I_VERSION" }, { 1 << 24, "MS_STRICTATIME" },
	{ 1 << 25, "MS_LAZYTIME" }, {},
};
static const struct sym open_flags[] = {
	{ 0100, "O_CREAT" },	  { 0200, "O_EXCL" },	     { 0400, "O_NOCTTY" },	{ 01000, "O_TRUNC" },
	{ 02000, "O_APPEND" },	  { 04000, "O_NONBLOCK" },   { 010000, "O_DSYNC" },	{ 020000, "O_ASYNC" },
	{ 040000, "O_DIRECT" },	  { 0200000, "O_DIRECTORY" }, { 0400000, "O_NOFOLLOW" }, { 01000000, "O_NOATIME" },
	{ 02000000, "O_CLOEXEC" }, { 04010000, "O_SYNC" },    { 010000000, "O_PATH" },	{ 020200000, "O_TMPFILE" },
	{ 0100000, "O_LARGEFILE" }, {},
};
static const struct sym families[] = {
	{ 0, "AF_UNSPEC" }, { 1, "AF_UNIX" },	   { 2, "AF_INET" },	  { 3, "AF_AX25" },	{ 4, "AF_IPX" },
	{ 5, "AF_APPLETALK" }, { 9, "AF_X25" },	   { 10, "AF_INET6" },	  { 16, "AF_NETLINK" }, { 17, "AF_PACKET" },
	{ 29, "AF_CAN" },   { 31, "AF_BLUETOOTH" }, { 38, "AF_ALG" },	  { 40, "AF_VSOCK" },	{ 44, "AF_XDP" },
	{ 45, "AF_MCTP" },  {},
};
static const struct sym sock_types[] = {
	{ 1, "SOCK_STREAM" }, { 2, "SOCK_DGRAM" }, { 3, "SOCK_RAW" }, { 4, "SOCK_RDM" }, { 5, "SOCK_SEQPACKET" },
	{ 6, "SOCK_DCCP" },   { 10, "SOCK_PACKET" }, {},
};
static const struct sym sock_type_flags[] = { { 04000, "SOCK_NONBLOCK" }, { 02000000, "SOCK_CLOEXEC" }, {} };
static const struct sym personas[] = {
	{ 0, "PER_LINUX" }, { 0x0008, "PER_LINUX32" }, { 0x0800000, "PER_LINUX|UNAME26" },
	{ 0x0040000, "ADDR_NO_RANDOMIZE" }, { 0xffffffff, "0xffffffff /* query */" }, {},
};
static const struct sym ptrace_reqs[] = {
	{ 0, "PTRACE_TRACEME" },   { 1, "PTRACE_PEEKTEXT" }, { 2, "PTRACE_PEEKDATA" }, { 3, "PTRACE_PEEKUSER" },
	{ 4, "PTRACE_POKETEXT" },  { 5, "PTRACE_POKEDATA" }, { 6, "PTRACE_POKEUSER" }, { 7, "PTRACE_CONT" },
	{ 8, "PTRACE_KILL" },	   { 9, "PTRACE_SINGLESTEP" }, { 12, "PTRACE_GETREGS" }, { 13, "PTRACE_SETREGS" },
	{ 16, "PTRACE_ATTACH" },   { 17, "PTRACE_DETACH" },  { 24, "PTRACE_SYSCALL" }, { 0x4200, "PTRACE_SETOPTIONS" },
	{ 0x4201, "PTRACE_GETEVENTMSG" }, { 0x4202, "PTRACE_GETSIGINFO" }, { 0x4204, "PTRACE_GETREGSET" },
	{ 0x4206, "PTRACE_SEIZE" }, { 0x4207, "PTRACE_INTERRUPT" }, { 0x4208, "PTRACE_LISTEN" },
	{ 0x420c, "PTRACE_SECCOMP_GET_FILTER" }, { 0x420d, "PTRACE_SECCOMP_GET_METADATA" }, {},
};
static const struct sym keyctl_cmds[] = {
	{ 0, "KEYCTL_GET_KEYRING_ID" }, { 1, "KEYCTL_JOIN_SESSION_KEYRING" }, { 2, "KEYCTL_UPDATE" },
	{ 3, "KEYCTL_REVOKE" }, { 4, "KEYCTL_CHOWN" }, { 5, "KEYCTL_SETPERM" }, { 6, "KEYCTL_DESCRIBE" },
	{ 7, "KEYCTL_CLEAR" }, { 8, "KEYCTL_LINK" }, { 9, "KEYCTL_UNLINK" }, { 10, "KEYCTL_SEARCH" },
	{ 11, "KEYCTL_READ" }, { 14, "KEYCTL_SET_REQKEY_KEYRING" }, { 17, "KEYCTL_GET_SECURITY" },
	{ 20, "KEYCTL_INVALIDATE" }, {},
};
static const struct sym ioctls[] = {
	{ 0x5401, "TCGETS" }, { 0x5402, "TCSETS" }, { 0x540e, "TIOCSCTTY" }, { 0x5412, "TIOCSTI" },
	{ 0x5413, "TIOCGWINSZ" }, { 0x5414, "TIOCSWINSZ" }, { 0x541c, "TIOCLINUX" }, { 0x5421, "FIONBIO" },
	{ 0x5451, "FIOCLEX" }, { 0x541b, "FIONREAD" }, { 0x4b3a, "KDSETMODE" }, {},
};
static const struct sym at_fds[] = { { (uint32_t)-100, "AT_FDCWD" }, {} };
static const struct sym signals[] = {
	{ 0, "0" },	      { 1, "SIGHUP" },	   { 2, "SIGINT" },    { 3, "SIGQUIT" },  { 4, "SIGILL" },
	{ 5, "SIGTRAP" },     { 6, "SIGABRT" },	   { 7, "SIGBUS" },    { 8, "SIGFPE" },	  { 9, "SIGKILL" },
	{ 10, "SIGUSR1" },    { 11, "SIGSEGV" },   { 12, "SIGUSR2" },  { 13, "SIGPIPE" }, { 14, "SIGALRM" },
	{ 15, "SIGTERM" },    { 16, "SIGSTKFLT" }, { 17, "SIGCHLD" },  { 18, "SIGCONT" }, { 19, "SIGSTOP" },
	{ 20, "SIGTSTP" },    { 21, "SIGTTIN" },   { 22, "SIGTTOU" },  { 23, "SIGURG" },  { 24, "SIGXCPU" },
	{ 25, "SIGXFSZ" },    { 26, "SIGVTALRM" }, { 27, "SIGPROF" },  { 28, "SIGWINCH" }, { 29, "SIGIO" },
	{ 30, "SIGPWR" },     { 31, "SIGSYS" },	   {},
};

static const struct sym *lookup(const struct sym *t, uint64_t v)
{
	for (; t->name; t++)
		if (t->v == v)
			return t;
	return NULL;
}

static void put_value(struct sbuf *b, const struct sym *t, uint64_t v)
{
	const struct sym *s = lookup(t, v);
	if (s)
		sb_puts(b, s->name);
	else
		sb_printf(b, "%#llx", (unsigned long long)v);
}

/* "A|B|0x40": every known bit named, the rest in hex */
static void put_flags(struct sbuf *b, const struct sym *t, uint64_t v, const char *zero)
{
	bool any = false;

	if (!v) {
		sb_puts(b, zero);
		return;
	}
	for (; t->name; t++) {
		if (t->v && (v & t->v) == t->v) {
			sb_printf(b, "%s%s", any ? "|" : "", t->name);
			v &= ~t->v;
			any = true;
		}
	}
	if (v)
		sb_printf(b, "%s%#llx", any ? "|" : "", (unsigned long long)v);
}

static void put_open_flags(struct sbuf *b, uint64_t v)
{
	static const char *const acc[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE" };
	sb_puts(b, acc[v & 3]);
	if (v & ~3ULL) {
		sb_putc(b, '|');
		put_flags(b, open_flags, v & ~3ULL, "");
	}
}

enum kind { K_HEX, K_CLONE, K_MOUNT, K_OPEN, K_MODE, K_FAMILY, K_SOCKTYPE, K_PERSONA, K_PTRACE, K_KEYCTL, K_IOCTL, K_DIRFD, K_INT,
	    K_SIG };

static const struct {
	const char *name;
	int nargs;
	enum kind kinds[6];
} calls[] = {
	{ "clone", 5, { K_CLONE } },
	{ "unshare", 1, { K_CLONE } },
	{ "setns", 2, { K_INT, K_CLONE } },
	{ "socket", 3, { K_FAMILY, K_SOCKTYPE, K_INT } },
	{ "socketpair", 4, { K_FAMILY, K_SOCKTYPE, K_INT } },
	{ "mount", 5, { K_HEX, K_HEX, K_HEX, K_MOUNT } },
	{ "umount2", 2, { K_HEX, K_INT } },
	{ "open", 3, { K_HEX, K_OPEN, K_MODE } },
	{ "openat", 4, { K_DIRFD, K_HEX, K_OPEN, K_MODE } },
	{ "creat", 2, { K_HEX, K_MODE } },
	{ "chmod", 2, { K_HEX, K_MODE } },
	{ "fchmodat", 3, { K_DIRFD, K_HEX, K_MODE } },
	{ "mkdir", 2, { K_HEX, K_MODE } },
	{ "mkdirat", 3, { K_DIRFD, K_HEX, K_MODE } },
	{ "personality", 1, { K_PERSONA } },
	{ "ptrace", 4, { K_PTRACE, K_INT } },
	{ "keyctl", 5, { K_KEYCTL } },
	{ "ioctl", 3, { K_INT, K_IOCTL } },
	{ "clock_settime", 2, { K_INT } },
	{ "settimeofday", 2, {} },
	{ "getuid", 0, {} },
	{ "getpid", 0, {} },
	{ "getppid", 0, {} },
	{ "setuid", 1, { K_INT } },
	{ "kill", 2, { K_INT, K_SIG } },
	{ "tkill", 2, { K_INT, K_SIG } },
	{ "tgkill", 3, { K_INT, K_INT, K_SIG } },
	{ "rt_sigqueueinfo", 3, { K_INT, K_SIG } },
	{ "rt_tgsigqueueinfo", 4, { K_INT, K_INT, K_SIG } },
	{ "pidfd_send_signal", 4, { K_INT, K_SIG } },
	{ "bpf", 3, { K_INT } },
	{ "perf_event_open", 5, { K_HEX, K_INT, K_INT, K_INT } },
	{ "reboot", 4, {} },
	{ "fchdir", 1, { K_INT } },
	{ "flock", 2, { K_INT, K_INT } },
};

/* How many of the six registers are arguments: the decoder's own table,
 * the kernel's declarations, else all six. open's mode is one only with
 * O_CREAT or O_TMPFILE (as strace shows it). */
static int nargs_of(const char *name, const uint64_t args[6])
{
	const uint64_t creates = 0100 | 020000000;

	if (name && !strcmp(name, "open") && !(args[1] & creates))
		return 2;
	if (name && !strcmp(name, "openat") && !(args[2] & creates))
		return 3;
	for (size_t c = 0; name && c < sizeof(calls) / sizeof(calls[0]); c++)
		if (!strcmp(calls[c].name, name))
			return calls[c].nargs;
	int n = syscall_arity(name);
	return n >= 0 ? n : 6;
}

bool decode_arg(struct sbuf *b, const char *name, int i, uint64_t v)
{
	for (size_t c = 0; name && c < sizeof(calls) / sizeof(calls[0]); c++) {
		if (strcmp(calls[c].name, name))
			continue;
		if (i >= calls[c].nargs)
			return false;
		switch (calls[c].kinds[i]) {
		case K_CLONE:
			/* clone's low byte is the exit signal, as strace shows it */
			if (!strcmp(name, "clone") && (v & 0xff) == 17) {
				put_flags(b, clone_flags, v & 0xffffff00ULL, "");
				sb_puts(b, v & 0xffffff00ULL ? "|SIGCHLD" : "SIGCHLD");
				return true;
			}
			put_flags(b, clone_flags, v & 0xffffffffULL, "0");
			return true;
		case K_MOUNT: put_flags(b, mount_flags, v, "0"); return true;
		case K_OPEN: put_open_flags(b, v); return true;
		case K_MODE: sb_printf(b, "%#llo", (unsigned long long)(v & 07777)); return true;
		case K_FAMILY: put_value(b, families, v & 0xffffffffULL); return true;
		case K_SOCKTYPE:
			put_value(b, sock_types, v & 0xf);
			if (v & ~0xfULL) {
				sb_putc(b, '|');
				put_flags(b, sock_type_flags, v & ~0xfULL, "");
			}
			return true;
		case K_PERSONA: put_value(b, personas, v & 0xffffffffULL); return true;
		case K_PTRACE: put_value(b, ptrace_reqs, v); return true;
		case K_KEYCTL: put_value(b, keyctl_cmds, v); return true;
		case K_IOCTL: put_value(b, ioctls, v & 0xffffffffULL); return true;
		case K_DIRFD: put_value(b, at_fds, v & 0xffffffffULL); return true;
		case K_INT: sb_printf(b, "%d", (int)v); return true;
		case K_SIG:
			/* real-time signals as strace names them: SIGRTMIN+n (34 up) */
			if ((v & 0xffffffffULL) >= 32 && (v & 0xffffffffULL) <= 64)
				sb_printf(b, "SIGRT_%d", (int)v - 32);
			else
				put_value(b, signals, v & 0xffffffffULL);
			return true;
		case K_HEX: break;
		}
		sb_printf(b, "%#llx", (unsigned long long)v);
		return true;
	}
	sb_printf(b, "%#llx", (unsigned long long)v);
	return true;
}

void decode_args(struct sbuf *b, const char *name, const uint64_t args[6], const char *const strs[6])
{
	int n = nargs_of(name, args);

	sb_putc(b, '(');
	for (int i = 0; i < n; i++) {
		struct sbuf one;
		sb_init(&one);
		if (!decode_arg(&one, name, i, args[i])) {
			sb_free(&one);
			break;
		}
		sb_puts(b, i ? ", " : "");
		if (strs && strs[i]) {
			/* the process's own text: quoted and escaped, cut as read */
			size_t n = strnlen(strs[i], SCLENS_STR_LEN);
			sb_putc(b, '"');
			sb_put_escaped(b, strs[i], n);
			sb_puts(b, n >= SCLENS_STR_LEN - 1 ? "\"..." : "\"");
		} else {
			sb_puts(b, one.s ? one.s : "");
		}
		sb_free(&one);
	}
	sb_putc(b, ')');
}

void event_arg_strings(const struct sclens_event *e, const char *out[6])
{
	int k = 0;

	for (int i = 0; i < 6; i++) {
		out[i] = NULL;
		if ((e->str_args & (1 << i)) && k < SCLENS_MAX_STRS)
			out[i] = e->strs[k++];
	}
}
