// The child of `sclens run`: never left blocked or unreaped when it cannot
// be released, and an unknown exit is never reported as success.
#include <errno.h>
#include <stdbool.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>
#include "unit.h"
#include "child.h"
#include "commands.h"

/* A child blocked on its "go" pipe, as `sclens run` makes it. */
static pid_t blocked_child(int pipefd[2], bool child_closes)
{
	if (pipe(pipefd))
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		close(pipefd[1]);
		if (child_closes) {
			close(pipefd[0]);
			pause();
		}
		_exit(read(pipefd[0], &c, 1) == 1 ? 0 : 9);
	}
	return pid;
}

static void release_failure_reaps(void)
{
	static const struct {
		const char *what;
		bool child_closes, use_read_end;
		int want;
	} rows[] = {
		{ "write end refused (EBADF)", false, true, -EBADF },
		{ "child closed its end (EPIPE)", true, false, -EPIPE },
		{ "released", false, false, 0 },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int fds[2], status;
		pid_t pid = blocked_child(fds, rows[i].child_closes);
		if (rows[i].child_closes)
			usleep(100000);
		if (!rows[i].use_read_end)
			close(fds[0]);
		int got = child_release(pid, rows[i].use_read_end ? fds[0] : fds[1]);
		CHECK(got == rows[i].want, "%s: %d, want %d", rows[i].what, got, rows[i].want);
		if (rows[i].want) {
			CHECK(waitpid(pid, &status, WNOHANG) < 0 && errno == ECHILD, "%s: the child was not reaped",
			      rows[i].what);
		} else {
			CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && !WEXITSTATUS(status),
			      "%s: the child did not go on", rows[i].what);
		}
		close(fds[1]);
		if (rows[i].use_read_end)
			close(fds[0]);
	}
}

static void exit_codes(void)
{
	CHECK(child_exit_code(0) == 0, "exit 0");
	CHECK(child_exit_code(3 << 8) == 3, "exit 3");
	CHECK(child_exit_code(SIGSYS) == 128 + SIGSYS, "killed by SIGSYS");
	CHECK(child_exit_code(0x137f) == EXIT_FAIL, "a stopped status is not a success");
}

int main(void)
{
	RUN(release_failure_reaps);
	RUN(exit_codes);
	return UNIT_DONE();
}
