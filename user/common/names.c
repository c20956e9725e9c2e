// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
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

/* Names live until exit (names.h promises it) and the replay thread
 * asks too: one lock, and only names that exist are kept, so the caches
 * are bounded by the syscall tables. */
#define NAME_CACHE_NR 1024
static pthread_mutex_t name_lock = PTHREAD_MUTEX_INITIALIZER;
static char *name_cache[3][NAME_CACHE_NR];

struct other_name {
	uint32_t token;
	int32_t nr;
	char *name;
	struct other_name *next;
};
static struct other_name *other_names;

static int cache_row(uint32_t token)
{
	return token == SCMP_ARCH_X86_64 ? 0 : token == SCMP_ARCH_X86 ? 1 : token == SCMP_ARCH_X32 ? 2 : -1;
}

static const char *lookup_locked(uint32_t token, int32_t raw_nr, int32_t clean_nr)
{
	int row = cache_row(token);
	char *name;

	/* libseccomp's x32 table holds the flagged numbers */
	if (row >= 0 && clean_nr < NAME_CACHE_NR) {
		if (!name_cache[row][clean_nr]) {
			name = seccomp_syscall_resolve_num_arch(token, raw_nr);
			name_cache[row][clean_nr] = name ? name : strdup("");
		}
		return name_cache[row][clean_nr] && name_cache[row][clean_nr][0] ? name_cache[row][clean_nr] : NULL;
	}
	for (struct other_name *o = other_names; o; o = o->next)
		if (o->token == token && o->nr == raw_nr)
			return o->name;
	name = seccomp_syscall_resolve_num_arch(token, raw_nr);
	if (!name)
		return NULL; /* not cached: a hostile number must not grow memory */
	struct other_name *o = malloc(sizeof(*o));
	if (!o) {
		free(name);
		return NULL;
	}
	*o = (struct other_name){ token, raw_nr, name, other_names };
	other_names = o;
	return name;
}

const char *syscall_name(uint32_t audit_arch, int32_t raw_nr)
{
	const char *name;

	if (raw_nr < 0)
		return NULL;
	pthread_mutex_lock(&name_lock);
	name = lookup_locked(scmp_token(audit_arch, raw_nr), raw_nr, syscall_nr_clean(audit_arch, raw_nr));
	pthread_mutex_unlock(&name_lock);
	return name;
}

/* Calls newer than libseccomp 2.5's table (Linux 6.5 on): real names,
 * which the engines know with a newer libseccomp. */
static const char *const newer_syscalls[] = {
	"cachestat", "fchmodat2", "map_shadow_stack", "futex_wake", "futex_wait", "futex_requeue",
	"statmount", "listmount", "lsm_get_self_attr", "lsm_set_self_attr", "lsm_list_modules",
	"mseal", "setxattrat", "getxattrat", "listxattrat", "removexattrat", "open_tree_attr",
	"file_getattr", "file_setattr", "uretprobe", "riscv_hwprobe",
};

bool syscall_known(const char *name)
{
	if (seccomp_syscall_resolve_name(name) != __NR_SCMP_ERROR)
		return true;
	for (size_t i = 0; i < sizeof(newer_syscalls) / sizeof(newer_syscalls[0]); i++)
		if (!strcmp(newer_syscalls[i], name))
			return true;
	return false;
}

/* Levenshtein distance with adjacent transpositions ("raed" is one edit
 * from "read"), the optimal string alignment form. */
static int edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int d[65][65];

	if (la > 64 || lb > 64)
		return 99;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			int best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

const char *word_suggest(const char *word, const char *const *choices, size_t n)
{
	const char *best = NULL;
	int best_d = 99;

	for (size_t i = 0; i < n; i++) {
		int d = edit_distance(word, choices[i]);
		if (d < best_d) {
			best_d = d;
			best = choices[i];
		}
	}
	/* close: two edits at most, and fewer than half the word */
	return best_d <= 2 && (size_t)best_d * 2 < strlen(word) ? best : NULL;
}

const char *syscall_suggest(const char *name)
{
	static __thread char best[64];
	int best_d = 99;

	/* the native table names nearly every call users write */
	for (int nr = 0; nr < 600; nr++) {
		const char *n = syscall_name(SCLENS_ARCH_X86_64, nr);
		int d;
		if (!n || (d = edit_distance(name, n)) >= best_d)
			continue;
		best_d = d;
		snprintf(best, sizeof(best), "%s", n);
	}
	/* close: two edits at most, and fewer than half the name */
	if (best_d > 2 || (size_t)best_d * 2 >= strlen(name))
		return NULL;
	return best;
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

const char *count_syscall_name(uint32_t audit_arch, int32_t nr)
{
	const char *name;

	if (nr == SCLENS_COUNT_NR_OVER_BUDGET)
		return "over_budget";
	name = nr == SCLENS_COUNT_NR_UNKNOWN ? NULL : syscall_name(audit_arch, nr);
	return name ? name : "unknown";
}

const char *cap_suggest(const char *name)
{
	const char *bare = strncasecmp(name, "CAP_", 4) ? name : name + 4;
	const char *choices[SCLENS_CAP_LAST + 1];
	char upper[64];
	size_t i;

	for (i = 0; bare[i] && i < sizeof(upper) - 1; i++)
		upper[i] = toupper((unsigned char)bare[i]);
	upper[i] = 0;
	for (int c = 0; c <= SCLENS_CAP_LAST; c++)
		choices[c] = cap_names[c] + 4;
	return word_suggest(upper, choices, SCLENS_CAP_LAST + 1);
}
