// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Test workload: installs a real seccomp filter with libseccomp and makes
 * known calls, printing one line per call it made:
 *   call=NAME pid=P tid=T ret=R errno=E
 * so that tests can match sclens's output against what really happened.
 * Modes are listed in usage().
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <pthread.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/mount.h>
#include <stddef.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void *thread_noop(void *arg);

#if defined(__aarch64__)
#define AUDIT_ARCH_NATIVE_ 0xc00000b7U
#else
#define AUDIT_ARCH_NATIVE_ 0xc000003eU
#endif

#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif

static void die(const char *what, int err)
{
	fprintf(stderr, "scdeny: %s: %s\n", what, strerror(err < 0 ? -err : err));
	exit(100);
}

static void report(const char *call, long ret, int err)
{
	printf("call=%s pid=%d tid=%ld ret=%ld errno=%d\n", call, getpid(), syscall(SYS_gettid), ret,
	       ret < 0 ? err : 0);
	fflush(stdout);
}

static scmp_filter_ctx new_filter(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);

	if (!ctx)
		die("seccomp_init", ENOMEM);
	return ctx;
}

static void add(scmp_filter_ctx ctx, uint32_t action, int nr, unsigned n, const struct scmp_arg_cmp *cmp)
{
	int rc = seccomp_rule_add_array(ctx, action, nr, n, cmp);

	if (rc)
		die("seccomp_rule_add", rc);
}

static void load(scmp_filter_ctx ctx)
{
	int rc = seccomp_load(ctx);

	if (rc)
		die("seccomp_load", rc);
}

/* clock_settime to the current time: the clock never moves, even if allowed */
static long try_clock_settime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return syscall(SYS_clock_settime, CLOCK_REALTIME, &ts);
}

#define CALL(name, expr)                        \
	do {                                    \
		errno = 0;                      \
		long _r = (expr);               \
		report(name, _r, errno);        \
	} while (0)

static int mode_errno(void)
{
	scmp_filter_ctx ctx = new_filter();

	add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clock_settime), 0, NULL);
	add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(getuid), 0, NULL);
	add(ctx, SCMP_ACT_ERRNO(0), SCMP_SYS(getpgid), 0, NULL);
	load(ctx);
	CALL("clock_settime", try_clock_settime());
	CALL("getuid", syscall(SYS_getuid));
	CALL("getpgid", syscall(SYS_getpgid, 0)); /* every arch has it; getpgrp is x86 only */
	return 0;
}

static int mode_args(void)
{
	scmp_filter_ctx ctx = new_filter();
	struct scmp_arg_cmp vsock = SCMP_A0(SCMP_CMP_EQ, AF_VSOCK);
	struct scmp_arg_cmp pers = SCMP_A0(SCMP_CMP_NE, 0xffffffff);

	add(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socket), 1, &vsock);
	add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(personality), 1, &pers);
	load(ctx);
	CALL("socket", syscall(SYS_socket, AF_VSOCK, SOCK_STREAM, 0));
	long fd = syscall(SYS_socket, AF_UNIX, SOCK_STREAM, 0); /* allowed */
	report("socket_unix", fd, errno);
	if (fd >= 0)
		close(fd);
	CALL("personality", syscall(SYS_personality, 0x0008 /* PER_LINUX_32BIT-ish */));
	CALL("personality_query", syscall(SYS_personality, 0xffffffff)); /* allowed */
	return 0;
}

/* KILL_PROCESS, or KILL_THREAD of the only thread (the last: the kernel
 * kills the whole process then, as for KILL_PROCESS) */
static int mode_kill_single(uint32_t action, long a0)
{
	scmp_filter_ctx ctx = new_filter();

	add(ctx, action, SCMP_SYS(getppid), 0, NULL);
	load(ctx);
	report("about_to_die", 0, 0);
	syscall(SYS_getppid, a0, a0 + 1, a0 + 2);
	return 1; /* not reached */
}

static void *kill_thread_body(void *arg)
{
	(void)arg;
	report("thread_about_to_die", 0, 0);
	syscall(SYS_getppid, 7, 8, 9);
	return NULL; /* not reached */
}

static int mode_kill_thread(void)
{
	scmp_filter_ctx ctx = new_filter();
	pthread_t t;

	add(ctx, SCMP_ACT_KILL_THREAD, SCMP_SYS(getppid), 0, NULL);
	load(ctx);
	if (pthread_create(&t, NULL, kill_thread_body, NULL))
		die("pthread_create", errno);
	pthread_join(t, NULL);
	report("main_survived", 0, 0);
	return 0;
}

/* Strict mode (read, write, _exit and sigreturn only): getppid kills the
 * thread with SIGKILL; with threads=1 the process ends with it */
static void *strict_body(void *arg)
{
	report(arg ? "strict_thread_about_to_die" : "strict_about_to_die", 0, 0);
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT))
		die("prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT)", errno);
	syscall(SYS_getppid, 7);
	return NULL;
}

static int mode_strict(bool in_thread)
{
	pthread_t t;

	if (!in_thread) {
		strict_body(NULL);
		return 1; /* not reached */
	}
	if (pthread_create(&t, NULL, strict_body, (void *)1))
		die("pthread_create", errno);
	pthread_join(t, NULL);
	report("main_survived", 0, 0);
	return 0;
}

static volatile sig_atomic_t trap_syscall = -1, trap_errno = -1;

static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	trap_syscall = si->si_syscall;
	trap_errno = si->si_errno;
}

static int mode_trap(void)
{
	struct sigaction sa = { .sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO };
	scmp_filter_ctx ctx = new_filter();

	sigaction(SIGSYS, &sa, NULL);
	add(ctx, SCMP_ACT_TRAP, SCMP_SYS(getppid), 0, NULL);
	load(ctx);
	CALL("getppid", syscall(SYS_getppid, 4, 5, 6));
	printf("trap si_syscall=%d\n", (int)trap_syscall);
	return 0;
}

static int mode_trace(void)
{
	scmp_filter_ctx ctx = new_filter();

	add(ctx, SCMP_ACT_TRACE(7), SCMP_SYS(getppid), 0, NULL);
	load(ctx);
	CALL("getppid", syscall(SYS_getppid));
	return 0;
}

struct notif_arg {
	int fd;
	int delay_ms; /* before each answer */
	long answer;  /* 0: answer ECONNREFUSED (or error); else succeed with this value */
	int error;    /* the error to answer, if not ECONNREFUSED */
};

static void *supervisor(void *arg)
{
	struct notif_arg *a = arg;
	struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;

	if (seccomp_notify_alloc(&req, &resp))
		return NULL;
	for (;;) {
		memset(req, 0, sizeof(*req));
		errno = 0;
		int err = seccomp_notify_receive(a->fd, req);
		/* ENOENT: the caller's wait was cut (a signal, a ptrace stop)
		 * before we received it; it restarts the call and notifies
		 * again (seccomp_unotify(2)). A supervisor that gave up here
		 * would leave it waiting forever. libseccomp reports every
		 * failure as ECANCELED: the ioctl's errno says which. */
		if (err && (errno == ENOENT || errno == EINTR))
			continue;
		if (err)
			break;
		if (a->delay_ms)
			usleep(a->delay_ms * 1000);
		resp->id = req->id;
		resp->val = a->answer;
		resp->error = a->answer ? 0 : a->error ? a->error : -ECONNREFUSED;
		resp->flags = 0;
		seccomp_notify_respond(a->fd, resp);
	}
	seccomp_notify_free(req, resp);
	return NULL;
}

static void on_usr1_restart(int sig)
{
	(void)sig;
}

/* slow: the supervisor answers after 1 s, and SIGUSR1 (SA_RESTART) may cut
 * the wait: the kernel then restarts the call, which is notified again */
/* answer: 0 to answer ECONNREFUSED, else to succeed with that value (a
 * notification, not a denial) */
static int mode_notif(bool slow, long answer, int error)
{
	struct sigaction sa = { .sa_handler = on_usr1_restart, .sa_flags = SA_RESTART };
	scmp_filter_ctx ctx = new_filter();
	static struct notif_arg a;
	pthread_t t;

	a.answer = answer;
	a.error = error;
	if (slow) {
		a.delay_ms = 1000;
		sigaction(SIGUSR1, &sa, NULL);
		report("notif_waiting", 0, 0);
	}

	add(ctx, SCMP_ACT_NOTIFY, SCMP_SYS(getppid), 0, NULL);
	load(ctx);
	a.fd = seccomp_notify_fd(ctx);
	if (a.fd < 0)
		die("seccomp_notify_fd", a.fd);
	/* the supervisor is a thread of ours: it never calls getppid */
	if (pthread_create(&t, NULL, supervisor, &a))
		die("pthread_create", errno);
	CALL("getppid", syscall(SYS_getppid));
	return 0;
}

/* Controls: a filtered process that must produce no denial. */
static scmp_filter_ctx control_filter(void)
{
	scmp_filter_ctx ctx = new_filter();

	/* something nobody here calls, so the process is in filter mode */
	add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(kexec_load), 0, NULL);
	return ctx;
}

static int mode_control_errors(void)
{
	load(control_filter());
	CALL("open_enoent", open("/nonexistent/sclens", O_RDONLY));
	if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
		die("drop to nobody", errno);
	CALL("kill_eperm", kill(1, 0));
	CALL("open_eacces", open("/root/.sclens-no-access", O_RDONLY | O_CREAT, 0600));
	return 0;
}

static int mode_control_fork(int n)
{
	load(control_filter());
	for (int i = 0; i < n; i++) {
		pid_t p = fork();
		if (p < 0)
			die("fork", errno);
		if (p == 0)
			_exit(0);
		waitpid(p, NULL, 0);
	}
	/* threads too: glibc creates them with clone3 */
	for (int i = 0; i < 20; i++) {
		pthread_t t;
		if (pthread_create(&t, NULL, thread_noop, NULL) == 0)
			pthread_join(t, NULL);
	}
	report("forked", n, 0);
	return 0;
}

static const char *self_path;

static void *thread_noop(void *arg)
{
	return arg;
}

static void *exec_thread(void *arg)
{
	(void)arg;
	execl(self_path, self_path, "noop", (char *)NULL);
	die("execl", errno);
	return NULL;
}

static int mode_control_exec_thread(void)
{
	pthread_t t;

	load(control_filter());
	report("exec_from_thread", 0, 0);
	if (pthread_create(&t, NULL, exec_thread, NULL))
		die("pthread_create", errno);
	pause(); /* the exec replaces us */
	return 1;
}

static void on_usr1(int sig)
{
	(void)sig;
}

static int mode_blocked_read(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 }; /* no SA_RESTART: EINTR */
	int p[2];
	char c;

	sigaction(SIGUSR1, &sa, NULL);
	if (pipe(p))
		die("pipe", errno);
	scmp_filter_ctx ctx = control_filter();
	add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clock_settime), 0, NULL);
	load(ctx);
	report("blocking", 0, 0);
	CALL("read", read(p[0], &c, 1));
	/* one real denial after, to show the thread was armed correctly */
	CALL("clock_settime", try_clock_settime());
	return 0;
}

/* Denied calls only, from the moment the filter is on: no allowed call
 * between them (the output is written after the loop). */
static int mode_loop_denied(long n)
{
	scmp_filter_ctx ctx = new_filter();
	long denied = 0;

	add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(getppid), 0, NULL);
	load(ctx);
	for (long i = 0; i < n; i++)
		if (syscall(SYS_getppid) < 0)
			denied++;
	report("loop_denied", denied, 0);
	return 0;
}

/* Allowed calls in a filtered process: what every filtered task pays. */
static int mode_loop_allowed(long n, int filtered)
{
	struct timespec a, b;

	if (filtered)
		load(control_filter());
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("loop_allowed n=%ld ns=%lld\n", n,
	       (long long)(b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec));
	return 0;
}

/* Installs the filter, then spins in user space (no syscall at all) and
 * makes one denied call per SIGUSR1 until SIGUSR2: a test can start the
 * observer while the process is filtered and running. */
static volatile sig_atomic_t spin_go, spin_stop;

static void on_spin_signal(int sig)
{
	if (sig == SIGUSR1)
		spin_go++;
	else
		spin_stop = 1;
}

static int mode_spin_then_deny(void)
{
	struct sigaction sa = { .sa_handler = on_spin_signal };
	scmp_filter_ctx ctx = new_filter();
	int done = 0;

	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clock_settime), 0, NULL);
	load(ctx);
	report("spinning", 0, 0);
	while (!spin_stop) {
		if (spin_go > done) {
			done++;
			CALL("clock_settime", try_clock_settime());
		}
	}
	return 0;
}

/* Stacks two filters, then parks (spinning, no syscall) until SIGUSR1
 * makes it call the filtered syscall once, or SIGUSR2 ends it:
 *   errno_errno  ERRNO(EPERM) then ERRNO(EACCES) on getuid: the newest wins
 *   errno_kill   ERRNO(EPERM) then KILL_PROCESS on getppid: kill wins
 *   kill_errno   KILL_PROCESS then ERRNO(EPERM) on getppid: kill still wins
 *   trace        TRACE(7) on getppid (no tracer: ENOSYS) over an unrelated filter */
static int mode_stack(const char *kind)
{
	struct sigaction sa = { .sa_handler = on_spin_signal };
	bool uid = !strcmp(kind, "errno_errno");
	int nr = uid ? SCMP_SYS(getuid) : SCMP_SYS(getppid);
	bool trace = !strcmp(kind, "trace");
	uint32_t first = !strcmp(kind, "kill_errno") ? SCMP_ACT_KILL_PROCESS : SCMP_ACT_ERRNO(EPERM);
	uint32_t second = uid ? SCMP_ACT_ERRNO(EACCES) : !strcmp(kind, "errno_kill") ? SCMP_ACT_KILL_PROCESS :
			  trace ? SCMP_ACT_TRACE(7) : SCMP_ACT_ERRNO(EPERM);
	scmp_filter_ctx a = new_filter(), b = new_filter();

	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	add(a, first, trace ? SCMP_SYS(kexec_load) : nr, 0, NULL);
	load(a);
	add(b, second, nr, 0, NULL);
	load(b);
	report("parked", 0, 0);
	while (!spin_stop) {
		if (spin_go) {
			spin_go = 0;
			CALL(uid ? "getuid" : "getppid", syscall(uid ? SYS_getuid : SYS_getppid));
		}
	}
	return 0;
}

/* A command name with an escape sequence, a newline and a quote: no
 * terminal may receive them raw, and JSON must stay valid. */
static int mode_evil_comm(void)
{
	scmp_filter_ctx ctx = new_filter();

	prctl(PR_SET_NAME, "ev\x1b[2J\n\"il", 0, 0, 0);
	add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clock_settime), 0, NULL);
	load(ctx);
	CALL("clock_settime", try_clock_settime());
	return 0;
}

/* ERRNO(5000): the kernel returns -4095 (MAX_ERRNO) */
static int mode_errno_big(void)
{
	/* by hand: libseccomp refuses an errno above 4095, the kernel does not */
	struct sock_filter prog[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getuid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 5000),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog fp = { .len = sizeof(prog) / sizeof(prog[0]), .filter = prog };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fp))
		die("prctl", errno);
	CALL("getuid", syscall(SYS_getuid));
	return 0;
}

/* mount("none", "/mnt", "tmpfs", MS_NOSUID) denied: its paths are read */
static int mode_mount(void)
{
	scmp_filter_ctx ctx = new_filter();

	add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(mount), 0, NULL);
	add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(unshare), 0, NULL);
	load(ctx);
	CALL("mount", mount("none", "/mnt", "tmpfs", MS_NOSUID, NULL));
	CALL("unshare", syscall(SYS_unshare, 0x20000 /* CLONE_NEWNS */));
	return 0;
}

/* TRACE with no tracer, then exit at once: nothing is left to read */
static int mode_trace_exit(void)
{
	scmp_filter_ctx ctx = new_filter();

	add(ctx, SCMP_ACT_TRACE(7), SCMP_SYS(getppid), 0, NULL);
	load(ctx);
	errno = 0;
	long r = syscall(SYS_getppid);
	report("getppid", r, errno);
	_exit(0);
}

/* USER_NOTIF whose listener is gone (its fd closed): the kernel answers
 * ENOSYS */
static int mode_notif_gone(void)
{
	scmp_filter_ctx ctx = new_filter();

	add(ctx, SCMP_ACT_NOTIFY, SCMP_SYS(getppid), 0, NULL);
	load(ctx);
	close(seccomp_notify_fd(ctx));
	CALL("getppid", syscall(SYS_getppid));
	return 0;
}

/* Installs a raw filter: ALLOW all, or ERRNO(err) for one call. */
static void install_raw(int nr, uint32_t action)
{
	struct sock_filter prog[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, action),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog fp = { .len = sizeof(prog) / sizeof(prog[0]), .filter = prog };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp))
		die("seccomp", errno);
}

/* n stacked filters: the oldest denies getuid with EACCES, the 10th
 * newest with EPERM (the lower errno does not matter: for ERRNO against
 * ERRNO the newest filter wins), every other one allows everything. Then
 * getuid, and (with "park") wait for SIGUSR1 or SIGTERM, for filter dump. */
static int mode_deep(long n, bool park)
{
	for (long i = 0; i < n; i++) {
		if (i == 0)
			install_raw(SYS_getuid, SECCOMP_RET_ERRNO | EACCES);
		else if (i == n - 10)
			install_raw(SYS_getuid, SECCOMP_RET_ERRNO | EPERM);
		else
			install_raw(SYS_kexec_load, SECCOMP_RET_ERRNO | EPERM);
	}
	CALL("getuid", syscall(SYS_getuid));
	if (park) {
		report("parked", 0, 0);
		for (;;)
			pause();
	}
	return 0;
}

/* Joins the v1 freezer cgroup dir, is denied getuid, and freezes itself
 * at once: a task no ptrace stop reaches, from right after its denial
 * (before any reader of its filters could stop it) until the test thaws
 * it. Then says so and exits. */
static int mode_freeze_self(const char *dir)
{
	char path[512], pid[32];
	int fd;

	snprintf(path, sizeof(path), "%s/tasks", dir);
	snprintf(pid, sizeof(pid), "%d", getpid());
	if ((fd = open(path, O_WRONLY)) < 0 || write(fd, pid, strlen(pid)) < 0)
		return 3;
	close(fd);
	snprintf(path, sizeof(path), "%s/freezer.state", dir);
	if ((fd = open(path, O_WRONLY)) < 0)
		return 3;
	install_raw(SYS_getuid, SECCOMP_RET_ERRNO | EACCES);
	CALL("getuid", syscall(SYS_getuid));
	if (write(fd, "FROZEN", 6) < 0)
		return 3;
	close(fd);
	report("thawed", 0, 0);
	return 0;
}

/* n times: a child installs a filter, and its parent then attaches to it
 * with PTRACE_ATTACH (as debuggers and sandboxes do). Prints how many
 * attaches failed. With "kill": the parent SIGKILLs the child right after
 * its filter is in and reaps it, and prints the slowest reap. */
static int mode_attach_child(long n, bool kill_it)
{
	long failed = 0, slowest_us = 0;

	for (long i = 0; i < n; i++) {
		int pipefd[2];
		char c;

		if (pipe(pipefd))
			die("pipe", errno);
		pid_t child = fork();
		if (child < 0)
			die("fork", errno);
		if (child == 0) {
			close(pipefd[0]);
			install_raw(SYS_kexec_load, SECCOMP_RET_ERRNO | EPERM);
			/* a denial, so that an observer looks at this process */
			syscall(SYS_kexec_load, 0, 0, 0, 0);
			if (write(pipefd[1], "x", 1) != 1)
				_exit(1);
			for (;;)
				pause();
		}
		close(pipefd[1]);
		if (read(pipefd[0], &c, 1) != 1)
			die("read", errno);
		close(pipefd[0]);
		struct timespec t0, t1;
		if (kill_it) {
			clock_gettime(CLOCK_MONOTONIC, &t0);
			kill(child, SIGKILL);
			waitpid(child, NULL, 0);
			clock_gettime(CLOCK_MONOTONIC, &t1);
			long us = (t1.tv_sec - t0.tv_sec) * 1000000 + (t1.tv_nsec - t0.tv_nsec) / 1000;
			if (us > slowest_us)
				slowest_us = us;
			continue;
		}
		if (ptrace(PTRACE_ATTACH, child, NULL, NULL)) {
			failed++;
		} else {
			waitpid(child, NULL, __WALL);
			ptrace(PTRACE_DETACH, child, NULL, NULL);
		}
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
	}
	if (kill_it)
		printf("slowest_reap_us=%ld\n", slowest_us);
	else
		printf("attach_failed=%ld of %ld\n", failed, n);
	return 0;
}

/* A tenant forging a seccomp SIGSYS at itself (rt_sigqueueinfo to its own
 * pid may carry any positive si_code, SYS_SECCOMP included) naming mount,
 * then one real denial: getuid, EACCES. Only the real one is a denial. */
static void ignore_signal(int sig)
{
	(void)sig;
}

static int mode_forge_sigsys(void)
{
	scmp_filter_ctx ctx = new_filter();
	uid_t uid = getuid(); /* before the filter denies it */
	siginfo_t si;

	add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(getuid), 0, NULL);
	load(ctx);
	signal(SIGSYS, ignore_signal);
	for (int forged_nr = 0; forged_nr < 2; forged_nr++) {
		memset(&si, 0, sizeof(si));
		si.si_signo = SIGSYS;
		si.si_code = 1; /* SYS_SECCOMP */
		si.si_pid = getpid();
		si.si_uid = uid;
		/* mount's number, then the forging call's own */
		si.si_syscall = forged_nr ? SYS_rt_sigqueueinfo : SYS_mount;
		si.si_arch = AUDIT_ARCH_NATIVE_;
		if (syscall(SYS_rt_sigqueueinfo, getpid(), SIGSYS, &si))
			die("rt_sigqueueinfo", errno);
	}
	CALL("getuid", syscall(SYS_getuid));
	return 0;
}

/* A tenant flooding the counts with distinct kinds: n denied calls, half
 * on numbers no arch has (1024 + i), half on known numbers (0..299), each
 * with an errno of its own choice (1..128 from the second argument). Only
 * calls whose first argument is the magic are denied, so nothing runs. */
static int mode_flood(long n)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0xdeadbeef, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[1])),
		BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 127), /* seccomp takes no BPF_MOD */
		BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 1),
		BPF_STMT(BPF_ALU | BPF_OR | BPF_K, SECCOMP_RET_ERRNO),
		BPF_STMT(BPF_RET | BPF_A, 0),
	};
	struct sock_fprog prog = { .len = sizeof(insns) / sizeof(insns[0]), .filter = insns };
	long denied = 0;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog))
		die("install the flood filter", errno);
	for (long i = 0; i < n; i++) {
		/* 0..299: below uretprobe (335), which seccomp passes unfiltered
		 * and which SIGILLs a caller outside its trampoline */
		long nr = i % 2 ? (i / 2) % 300 : 1024 + i;
		if (syscall(nr, 0xdeadbeefL, i / 2) < 0)
			denied++;
	}
	report("flood", denied, 0);
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: scdeny MODE [N]\n"
			"modes: errno args kill_process kill_thread trap trace notif notif_restartsys\n"
			"       strict strict_thread\n"
			"       control_errors control_fork N control_exec_thread blocked_read\n"
			"       loop_denied N loop_allowed N loop_unfiltered N spin_then_deny evil_comm noop\n"
			"       stack errno_errno|errno_kill|kill_errno\n"
			"       kill_thread_last trace_exit notif_gone deep N deep_park N\n"
			"       attach_child N kill_child N freeze_self FREEZER_DIR forge_sigsys flood N\n");
	exit(2);
}

int main(int argc, char **argv)
{
	long n = argc > 2 ? strtol(argv[2], NULL, 10) : 100;

	self_path = "/proc/self/exe";
	if (argc < 2)
		usage();
	const char *m = argv[1];
	if (!strcmp(m, "errno")) return mode_errno();
	if (!strcmp(m, "args")) return mode_args();
	if (!strcmp(m, "kill_process")) return mode_kill_single(SCMP_ACT_KILL_PROCESS, 1);
	if (!strcmp(m, "kill_thread")) return mode_kill_thread();
	if (!strcmp(m, "trap")) return mode_trap();
	if (!strcmp(m, "trace")) return mode_trace();
	if (!strcmp(m, "notif")) return mode_notif(false, 0, 0);
	if (!strcmp(m, "notif_slow")) return mode_notif(true, 0, 0);
	if (!strcmp(m, "notif_ok")) return mode_notif(false, 42, 0);
	/* a supervisor answering -ERESTARTSYS: with no signal pending, the
	 * caller gets it as errno 512 */
	if (!strcmp(m, "notif_restartsys")) return mode_notif(false, 0, -512);
	if (!strcmp(m, "strict")) return mode_strict(false);
	if (!strcmp(m, "strict_thread")) return mode_strict(true);
	if (!strcmp(m, "control_errors")) return mode_control_errors();
	if (!strcmp(m, "control_fork")) return mode_control_fork(n);
	if (!strcmp(m, "control_exec_thread")) return mode_control_exec_thread();
	if (!strcmp(m, "blocked_read")) return mode_blocked_read();
	if (!strcmp(m, "loop_denied")) return mode_loop_denied(n);
	if (!strcmp(m, "loop_allowed")) return mode_loop_allowed(n, 1);
	if (!strcmp(m, "loop_unfiltered")) return mode_loop_allowed(n, 0);
	if (!strcmp(m, "spin_then_deny")) return mode_spin_then_deny();
	if (!strcmp(m, "mount")) return mode_mount();
	if (!strcmp(m, "errno_big")) return mode_errno_big();
	if (!strcmp(m, "evil_comm")) return mode_evil_comm();
	if (!strcmp(m, "stack") && argc > 2) return mode_stack(argv[2]);
	if (!strcmp(m, "kill_thread_last")) return mode_kill_single(SCMP_ACT_KILL_THREAD, 4);
	if (!strcmp(m, "trace_exit")) return mode_trace_exit();
	if (!strcmp(m, "notif_gone")) return mode_notif_gone();
	if (!strcmp(m, "deep")) return mode_deep(n, false);
	if (!strcmp(m, "deep_park")) return mode_deep(n, true);
	if (!strcmp(m, "freeze_self") && argc > 2) return mode_freeze_self(argv[2]);
	if (!strcmp(m, "attach_child")) return mode_attach_child(n, false);
	if (!strcmp(m, "kill_child")) return mode_attach_child(n, true);
	if (!strcmp(m, "forge_sigsys")) return mode_forge_sigsys();
	if (!strcmp(m, "flood")) return mode_flood(n);
	if (!strcmp(m, "noop")) { report("noop", 0, 0); return 0; }
	usage();
	return 2;
}
