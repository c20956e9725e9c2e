// Syscall, arch, errno and capability naming, one row per case.
#include <errno.h>
#include <pthread.h>
#include <seccomp.h>
#include "unit.h"
#include "names.h"
#include "sclens.h"

static void syscall_names(void)
{
	static const struct {
		uint32_t arch;
		int32_t raw_nr;
		const char *name; /* NULL: unknown */
		const char *arch_name;
	} rows[] = {
		{ SCLENS_ARCH_X86_64, 227, "clock_settime", "x86_64" },
		{ SCLENS_ARCH_X86_64, 435, "clone3", "x86_64" },
		{ SCLENS_ARCH_X86_64, 110, "getppid", "x86_64" },
		{ SCLENS_ARCH_I386, 264, "clock_settime", "i386" },
		{ SCLENS_ARCH_I386, 120, "clone", "i386" },
		{ SCLENS_ARCH_I386, 354, "seccomp", "i386" },
		/* x32: x86_64 audit arch with bit 30 in the number */
		{ SCLENS_ARCH_X86_64, 0x40000000 | 227, "clock_settime", "x32" },
		{ SCLENS_ARCH_X86_64, 0x40000000 | 512, "rt_sigaction", "x32" },
		{ SCLENS_ARCH_X86_64, 5000, NULL, "x86_64" },
		{ SCLENS_ARCH_X86_64, -1, NULL, "x86_64" },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *n = syscall_name(rows[i].arch, rows[i].raw_nr);
		if (rows[i].name)
			CHECK_STR(n, rows[i].name);
		else
			CHECK(n == NULL, "row %zu: got %s", i, n);
		CHECK_STR(arch_name(rows[i].arch, rows[i].raw_nr), rows[i].arch_name);
	}
	/* repeated lookups come from the cache and stay equal */
	CHECK_STR(syscall_name(SCLENS_ARCH_X86_64, 227), "clock_settime");
}

/* names.h promises a name lives until exit: the cache for other arches
 * once freed a name 64 lookups later (ASan, in the sanitized run, sees a
 * use after free); and the replay thread asks at the same time. */
static void *lookup_many(void *arg)
{
	(void)arg;
	for (int r = 0; r < 20; r++)
		for (int nr = 0; nr < 300; nr++)
			syscall_name(SCMP_ARCH_AARCH64, nr);
	return NULL;
}

static void names_live_until_exit(void)
{
	const char *first = syscall_name(SCMP_ARCH_AARCH64, 63); /* read */
	char copy[32];
	pthread_t t;

	CHECK(first && !strcmp(first, "read"), "aarch64 63");
	snprintf(copy, sizeof(copy), "%s", first ? first : "");
	pthread_create(&t, NULL, lookup_many, NULL);
	lookup_many(NULL);
	pthread_join(t, NULL);
	CHECK(first && !strcmp(first, copy), "the first name changed under us");
	CHECK(syscall_name(SCMP_ARCH_AARCH64, 63) == first, "looked up again: another string");
	CHECK(!syscall_name(SCMP_ARCH_AARCH64, 100000), "a number with no name");
}

static void syscall_numbers(void)
{
	CHECK(syscall_number(SCLENS_ARCH_X86_64, "clock_settime") == 227, "x86_64");
	CHECK(syscall_number(SCLENS_ARCH_I386, "clock_settime") == 264, "i386");
	CHECK(syscall_number(SCLENS_ARCH_X86_64, "no_such_call") == -ENOENT, "unknown");
	/* x86_64 has no stime: libseccomp's negative pseudo number is refused */
	CHECK(syscall_number(SCLENS_ARCH_X86_64, "stime") == -ENOENT, "absent on arch");
	CHECK(syscall_nr_clean(SCLENS_ARCH_X86_64, 0x40000000 | 5) == 5, "x32 clean");
	CHECK(syscall_nr_clean(SCLENS_ARCH_I386, 5) == 5, "i386 clean");
}

static void arch_names(void)
{
	CHECK(arch_from_name("x86_64") == SCLENS_ARCH_X86_64, "x86_64");
	CHECK(arch_from_name("SCMP_ARCH_X86_64") == SCLENS_ARCH_X86_64, "scmp");
	CHECK(arch_from_name("amd64") == SCLENS_ARCH_X86_64, "amd64");
	CHECK(arch_from_name("i386") == SCLENS_ARCH_I386, "i386");
	CHECK(arch_from_name("SCMP_ARCH_X86") == SCLENS_ARCH_I386, "x86");
	CHECK(arch_from_name("vax") == 0, "unknown");
}

static void errno_names(void)
{
	static const struct {
		int err;
		const char *name;
	} rows[] = {
		{ 1, "EPERM" }, { 13, "EACCES" }, { 38, "ENOSYS" }, { 97, "EAFNOSUPPORT" },
		{ 111, "ECONNREFUSED" }, { 133, "EHWPOISON" },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		CHECK_STR(errno_name(rows[i].err), rows[i].name);
		CHECK(errno_from_name(rows[i].name) == rows[i].err, "%s", rows[i].name);
	}
	CHECK(errno_name(0) == NULL, "0");
	CHECK(errno_name(4000) == NULL, "4000");
	CHECK(errno_name(-1) == NULL, "-1");
	CHECK(errno_from_name("eperm") == 1, "case");
	CHECK(errno_from_name("ENOTHING") == -1, "unknown");
}

static void cap_names(void)
{
	CHECK(cap_from_name("SYS_TIME") == 25, "bare");
	CHECK(cap_from_name("CAP_SYS_TIME") == 25, "prefixed");
	CHECK(cap_from_name("cap_sys_admin") == 21, "lower");
	CHECK(cap_from_name("SYS_NOTHING") == -1, "unknown");
	CHECK_STR(cap_name(25), "CAP_SYS_TIME");
	CHECK_STR(cap_name(40), "CAP_CHECKPOINT_RESTORE");
	CHECK(cap_name(41) == NULL, "out of range");
}

int main(void)
{
	RUN(syscall_names);
	RUN(names_live_until_exit);
	RUN(syscall_numbers);
	RUN(arch_names);
	RUN(errno_names);
	RUN(cap_names);
	return UNIT_DONE();
}
