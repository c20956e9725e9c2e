// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <seccomp.h>
#include "names.h"
#include "sclens.h"

struct arch_entry {
	const char *name;
	uint32_t audit_arch; /* what seccomp_data.arch holds */
	uint32_t scmp_token; /* what libseccomp calls it */
};

/* libseccomp's tokens are the AUDIT_ARCH values, x32 excepted */
static const struct arch_entry arches[] = {
	{ "x86_64", SCMP_ARCH_X86_64, SCMP_ARCH_X86_64 },
	{ "i386", SCMP_ARCH_X86, SCMP_ARCH_X86 },
	{ "x32", SCMP_ARCH_X86_64, SCMP_ARCH_X32 },
	{ "aarch64", SCMP_ARCH_AARCH64, SCMP_ARCH_AARCH64 },
	{ "arm", SCMP_ARCH_ARM, SCMP_ARCH_ARM },
	{ "riscv64", SCMP_ARCH_RISCV64, SCMP_ARCH_RISCV64 },
	{ "s390x", SCMP_ARCH_S390X, SCMP_ARCH_S390X },
	{ "ppc64le", SCMP_ARCH_PPC64LE, SCMP_ARCH_PPC64LE },
};

static bool is_x32(uint32_t audit_arch, int32_t raw_nr)
{
	return audit_arch == SCLENS_ARCH_X86_64 && raw_nr >= 0 && (raw_nr & SCLENS_X32_SYSCALL_BIT);
}

const char *arch_name(uint32_t audit_arch, int32_t raw_nr)
{
	if (is_x32(audit_arch, raw_nr))
		return "x32";
	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (arches[i].audit_arch == audit_arch && strcmp(arches[i].name, "x32"))
			return arches[i].name;
	return "unknown";
}

uint32_t arch_from_name(const char *name)
{
	if (!strcasecmp(name, "amd64") || !strcasecmp(name, "SCMP_ARCH_X86_64"))
		return SCLENS_ARCH_X86_64;
	if (!strcasecmp(name, "x86") || !strcasecmp(name, "SCMP_ARCH_X86"))
		return SCLENS_ARCH_I386;
	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (!strcasecmp(arches[i].name, name))
			return arches[i].audit_arch;
	return 0;
}

int32_t syscall_nr_clean(uint32_t audit_arch, int32_t raw_nr)
{
	return is_x32(audit_arch, raw_nr) ? (int32_t)(raw_nr & ~SCLENS_X32_SYSCALL_BIT) : raw_nr;
}

static uint32_t scmp_token(uint32_t audit_arch, int32_t raw_nr)
{
	return is_x32(audit_arch, raw_nr) ? SCMP_ARCH_X32 : audit_arch;
}

/* Small cache: libseccomp allocates a string on every lookup. */
#define NAME_CACHE_NR 1024
static char *name_cache[3][NAME_CACHE_NR];

static int cache_row(uint32_t token)
{
	return token == SCMP_ARCH_X86_64 ? 0 : token == SCMP_ARCH_X86 ? 1 : token == SCMP_ARCH_X32 ? 2 : -1;
}

const char *syscall_name(uint32_t audit_arch, int32_t raw_nr)
{
	uint32_t token = scmp_token(audit_arch, raw_nr);
	int row = cache_row(token);
	int32_t nr = raw_nr;
	char *name;

	if (raw_nr < 0)
		return NULL;
	/* libseccomp's x32 table holds the flagged numbers */
	if (row >= 0 && syscall_nr_clean(audit_arch, raw_nr) < NAME_CACHE_NR) {
		int idx = syscall_nr_clean(audit_arch, raw_nr);

		if (!name_cache[row][idx]) {
			name = seccomp_syscall_resolve_num_arch(token, nr);
			name_cache[row][idx] = name ? name : strdup("");
		}
		return name_cache[row][idx] && name_cache[row][idx][0] ? name_cache[row][idx] : NULL;
	}
	/* rare: other arches or huge numbers; cached in a small ring */
	static char *other[64];
	static unsigned int other_next;
	name = seccomp_syscall_resolve_num_arch(token, nr);
	free(other[other_next % 64]);
	other[other_next++ % 64] = name;
	return name;
}

int syscall_number(uint32_t audit_arch, const char *name)
{
	int nr = seccomp_syscall_resolve_name_arch(audit_arch, name);

	/* libseccomp returns negative pseudo numbers for calls an arch lacks */
	if (nr == __NR_SCMP_ERROR || nr < 0)
		return -ENOENT;
	return nr;
}

#define E(x) [x] = #x
static const char *const errno_names[] = {
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG), E(ENOEXEC),
	E(EBADF), E(ECHILD), E(EAGAIN), E(ENOMEM), E(EACCES), E(EFAULT), E(ENOTBLK),
	E(EBUSY), E(EEXIST), E(EXDEV), E(ENODEV), E(ENOTDIR), E(EISDIR), E(EINVAL),
	E(ENFILE), E(EMFILE), E(ENOTTY), E(ETXTBSY), E(EFBIG), E(ENOSPC), E(ESPIPE),
	E(EROFS), E(EMLINK), E(EPIPE), E(EDOM), E(ERANGE), E(EDEADLK), E(ENAMETOOLONG),
	E(ENOLCK), E(ENOSYS), E(ENOTEMPTY), E(ELOOP), E(ENOMSG), E(EIDRM), E(ECHRNG),
	E(EL2NSYNC), E(EL3HLT), E(EL3RST), E(ELNRNG), E(EUNATCH), E(ENOCSI), E(EL2HLT),
	E(EBADE), E(EBADR), E(EXFULL), E(ENOANO), E(EBADRQC), E(EBADSLT), E(EBFONT),
	E(ENOSTR), E(ENODATA), E(ETIME), E(ENOSR), E(ENONET), E(ENOPKG), E(EREMOTE),
	E(ENOLINK), E(EADV), E(ESRMNT), E(ECOMM), E(EPROTO), E(EMULTIHOP), E(EDOTDOT),
	E(EBADMSG), E(EOVERFLOW), E(ENOTUNIQ), E(EBADFD), E(EREMCHG), E(ELIBACC),
	E(ELIBBAD), E(ELIBSCN), E(ELIBMAX), E(ELIBEXEC), E(EILSEQ), E(ERESTART),
	E(ESTRPIPE), E(EUSERS), E(ENOTSOCK), E(EDESTADDRREQ), E(EMSGSIZE), E(EPROTOTYPE),
	E(ENOPROTOOPT), E(EPROTONOSUPPORT), E(ESOCKTNOSUPPORT), E(EOPNOTSUPP),
	E(EPFNOSUPPORT), E(EAFNOSUPPORT), E(EADDRINUSE), E(EADDRNOTAVAIL), E(ENETDOWN),
	E(ENETUNREACH), E(ENETRESET), E(ECONNABORTED), E(ECONNRESET), E(ENOBUFS),
	E(EISCONN), E(ENOTCONN), E(ESHUTDOWN), E(ETOOMANYREFS), E(ETIMEDOUT),
	E(ECONNREFUSED), E(EHOSTDOWN), E(EHOSTUNREACH), E(EALREADY), E(EINPROGRESS),
	E(ESTALE), E(EUCLEAN), E(ENOTNAM), E(ENAVAIL), E(EISNAM), E(EREMOTEIO), E(EDQUOT),
	E(ENOMEDIUM), E(EMEDIUMTYPE), E(ECANCELED), E(ENOKEY), E(EKEYEXPIRED),
	E(EKEYREVOKED), E(EKEYREJECTED), E(EOWNERDEAD), E(ENOTRECOVERABLE), E(ERFKILL),
	E(EHWPOISON),
};
#undef E
#define N_ERRNO (int)(sizeof(errno_names) / sizeof(errno_names[0]))

const char *errno_name(int err)
{
	if (err <= 0 || err >= N_ERRNO)
		return NULL;
	return errno_names[err];
}

int errno_from_name(const char *name)
{
	for (int i = 1; i < N_ERRNO; i++)
		if (errno_names[i] && !strcasecmp(errno_names[i], name))
			return i;
	return -1;
}

static const char *const cap_names[SCLENS_CAP_LAST + 1] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
	"CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
	"CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
	"CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT",
	"CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
	"CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
	"CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE",
	"CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",
	"CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
};

const char *cap_name(int cap)
{
	if (cap < 0 || cap > SCLENS_CAP_LAST)
		return NULL;
	return cap_names[cap];
}

int cap_from_name(const char *name)
{
	const char *bare = strncasecmp(name, "CAP_", 4) ? name : name + 4;

	for (int i = 0; i <= SCLENS_CAP_LAST; i++)
		if (!strcasecmp(cap_names[i] + 4, bare))
			return i;
	return -1;
}
