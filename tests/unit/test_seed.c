// The /proc parsers that seed threads filtered before sclens started: one
// row per status text, and a status file longer than a page.
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include "unit.h"
#include "seed.h"

static const struct {
	const char *status;
	int want;
} rows[] = {
	{ "Name:\tsh\nSeccomp:\t2\nSeccomp_filters:\t1\n", 1 },
	{ "Name:\tsh\nSeccomp:\t0\n", 0 },
	{ "Name:\tsh\nSeccomp:\t1\n", 0 },
	{ "Seccomp:\t2\n", 1 },
	{ "Name:\tsh\n", -ENOENT },
	{ "Name:\tsh\nSeccomp:\tx\n", -EINVAL },
	{ "Name:\tsh\nSeccomp:", -EINVAL },
	{ "Name:\tSeccomp:\t2\n", -ENOENT }, /* not at the start of a line */
	{ "", -ENOENT },
};

static void status_rows(void)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int got = seed_status_filter_mode(rows[i].status);
		CHECK(got == rows[i].want, "row %zu: %d, want %d", i, got, rows[i].want);
	}
}

/* A task with many supplementary groups: "Seccomp:" comes after 64 KiB. */
static void status_past_a_page(void)
{
	char path[] = "/tmp/sclens-status-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	fprintf(f, "Name:\tworker\nGroups:\t");
	for (int g = 0; g < 12000; g++)
		fprintf(f, "%d ", 100000 + g);
	fprintf(f, "\nSeccomp:\t2\nSeccomp_filters:\t1\n");
	fclose(f);
	CHECK(seed_task_in_filter_mode(path) == 1, "a filtered task with a long status was not seen");
	unlink(path);
	CHECK(seed_task_in_filter_mode("/nonexistent/status") == -ENOENT, "missing file");
}

static void syscall_lines(void)
{
	int v;
	CHECK(!seed_parse_syscall_line("running", &v) && v == -1, "running");
	CHECK(!seed_parse_syscall_line("-1 0x7ffc 0x4011", &v) && v == -1, "blocked, not in a call");
	CHECK(!seed_parse_syscall_line("0 0x3 0x7ffc 0x1 0 0 0 0x7ffc 0x4011", &v) && v == 0, "in read");
	CHECK(seed_parse_syscall_line("x", &v) == -EINVAL, "garbage");
}

int main(void)
{
	RUN(status_rows);
	RUN(status_past_a_page);
	RUN(syscall_lines);
	return UNIT_DONE();
}
