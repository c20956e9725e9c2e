// What the kernel side observed, against the verdict replayed through the
// real filter: agreement, and what the replay settles. One row per case.
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "unit.h"
#include "replay.h"

#define A(x) SCLENS_ACT_##x

static const struct {
	uint32_t observed;
	int err;	 /* -1: no errno observed */
	uint32_t ret;	 /* replayed SECCOMP_RET_* */
	bool agrees;
	uint32_t refined;
} rows[] = {
	{ A(ERRNO), 1, SECCOMP_RET_ERRNO | 1, true, A(ERRNO) },
	{ A(ERRNO), 1, SECCOMP_RET_ERRNO | 13, false, A(ERRNO) },     /* another errno */
	{ A(ERRNO), 0, SECCOMP_RET_ERRNO | 0, true, A(ERRNO) },	      /* ERRNO(0) */
	{ A(ERRNO), 4095, SECCOMP_RET_ERRNO | 5000, true, A(ERRNO) }, /* the kernel caps it at MAX_ERRNO */
	{ A(ERRNO), 5000 & 0xfff, SECCOMP_RET_ERRNO | 5000, false, A(ERRNO) },
	{ A(ERRNO), 38, SECCOMP_RET_TRACE | 7, true, A(TRACE) },       /* settles TRACE vs ENOSYS */
	{ A(ERRNO), 1, SECCOMP_RET_TRACE | 7, false, A(ERRNO) },
	{ A(ERRNO), 1, SECCOMP_RET_ALLOW, false, A(ERRNO) },	      /* the filter would allow it */
	{ A(ERRNO), 1, SECCOMP_RET_LOG, false, A(ERRNO) },
	{ A(USER_NOTIF), 111, SECCOMP_RET_USER_NOTIF, true, A(USER_NOTIF) },
	{ A(USER_NOTIF), 1, SECCOMP_RET_ERRNO | 1, true, A(ERRNO) },  /* a listener exists, an ERRNO rule decided */
	{ A(ERRNO), 38, SECCOMP_RET_USER_NOTIF, true, A(USER_NOTIF) }, /* no listener: the kernel answers ENOSYS */
	{ A(KILL_PROCESS), -1, SECCOMP_RET_KILL_THREAD, true, A(KILL_THREAD) }, /* last thread: settles */
	{ A(KILL_PROCESS), -1, SECCOMP_RET_KILL_PROCESS, true, A(KILL_PROCESS) },
	{ A(KILL_THREAD), -1, SECCOMP_RET_KILL_THREAD, true, A(KILL_THREAD) },
	{ A(TRAP), -1, SECCOMP_RET_TRAP | 3, true, A(TRAP) },
	{ A(TRAP), -1, SECCOMP_RET_ERRNO | 1, false, A(TRAP) },
};

static void agreement(void)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct sclens_event e = { .type = SCLENS_EV_DENIAL };
		uint32_t refined;
		if (rows[i].err >= 0) {
			e.flags |= SCLENS_F_HAS_ERRNO;
			e.err = rows[i].err;
		}
		bool ok = replay_agrees(rows[i].observed, &e, rows[i].ret, &refined);
		CHECK(ok == rows[i].agrees, "row %zu: agrees %d", i, ok);
		CHECK(refined == rows[i].refined, "row %zu: refined %u, want %u", i, refined, rows[i].refined);
	}
}

/* A reader that hands back a stack of fake_depth filters, each returning
 * ERRNO(tid), so a replay shows which read it came from. With gate set,
 * each read waits for a post: a test can act while a read is under way. */
static int fake_depth = 1;
static bool gate;
static sem_t gate_sem, reading_sem;
static struct sock_filter ret_insn[1 << 16];

static int fake_reader(int tid, struct filter_stack *s)
{
	if (gate) {
		sem_post(&reading_sem);
		sem_wait(&gate_sem);
	}
	memset(s, 0, sizeof(*s));
	if (filter_stack_reserve(s, fake_depth))
		return -ENOMEM;
	s->n = fake_depth;
	for (int i = 0; i < s->n; i++) {
		s->progs[i].insns = malloc(sizeof(struct sock_filter));
		s->progs[i].insns[0] = ret_insn[tid & 0xffff];
		s->progs[i].len = 1;
	}
	return 0;
}

/* the fake tids are no real tasks: the stack depth is what is checked */
static bool fake_same_task(int tid, int tgid)
{
	return tid == tgid;
}

static struct sclens_event denial(uint64_t key, int tid, int filters)
{
	struct sclens_event e = { .type = SCLENS_EV_DENIAL, .action = SCLENS_ACT_ERRNO, .flags = SCLENS_F_HAS_ERRNO };
	e.filter_key = key;
	e.tid = e.pid = tid;
	e.err = tid;
	e.filter_count = filters;
	return e;
}

/* Waits (bounded) until the event's filter is read; the replayed errno. */
static int replayed(struct replay *r, const struct sclens_event *e)
{
	for (int i = 0; i < 2000; i++) {
		uint32_t act = e->action;
		struct replay_result res;
		if (replay_event(r, e, &act, &res))
			return res.ret & SECCOMP_RET_DATA;
		usleep(1000);
	}
	return -1;
}

static void init_fake(void)
{
	for (int i = 0; i < (1 << 16); i++)
		ret_insn[i] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (i & 0xfff));
	sem_init(&gate_sem, 0, 0);
	sem_init(&reading_sem, 0, 0);
}

/* A forget (a new filter at a reused address) and a new request while the
 * old read is under way: the old result must not be stored. */
static void stale_read_dropped(void)
{
	struct replay *r;
	struct sclens_event old = denial(0x1000, 11, 1), fresh = denial(0x1000, 22, 1);

	CHECK(!replay_start_with(&r, fake_reader, fake_same_task), "start");
	gate = true;
	replay_request(r, &old);
	sem_wait(&reading_sem); /* the read of tid 11 is under way */
	replay_forget(r, 0x1000);
	replay_request(r, &fresh);
	sem_post(&gate_sem);	/* tid 11's read ends: stale */
	sem_wait(&reading_sem);
	sem_post(&gate_sem);	/* tid 22's read ends */
	gate = false;
	CHECK(replayed(r, &fresh) == 22, "the stored stack is tid 11's: %d", replayed(r, &fresh));
	replay_stop(r);
}

/* The stack read is not the event's (a newer filter stacked since, or a
 * reused tid): not kept; another thread of the filter is tried. */
static void other_stack_refused(void)
{
	struct replay *r;
	struct sclens_event e = denial(0x2000, 33, 2), again = denial(0x2000, 44, 1);

	CHECK(!replay_start_with(&r, fake_reader, fake_same_task), "start");
	fake_depth = 1;
	replay_request(r, &e); /* the event saw 2 filters, the read finds 1 */
	usleep(20000);
	CHECK(replayed(r, &e) == -1, "a stack of another depth was kept");
	/* a reused tid: it belongs to another process now */
	struct sclens_event reused = denial(0x2000, 55, 1);
	reused.pid = 56;
	replay_request(r, &reused);
	CHECK(replayed(r, &reused) == -1, "a reused tid's stack was kept");
	replay_request(r, &again);
	CHECK(replayed(r, &again) == 44, "a later thread with the right depth is read");
	replay_stop(r);
}

/* More filters than REPLAY_MAX over a run: new ones are still replayed,
 * and the ones in use stay. */
static void replay_beyond_max(void)
{
	struct replay *r;
	struct sclens_event hot = denial(0x7, 7, 1);

	CHECK(!replay_start_with(&r, fake_reader, fake_same_task), "start");
	fake_depth = 1;
	replay_request(r, &hot);
	CHECK(replayed(r, &hot) == 7, "first");
	for (int i = 0; i < 5000; i++) {
		struct sclens_event e = denial(0x100000 + i, 100 + (i % 1000), 1);
		replay_request(r, &e);
		if (i % 500 == 0)
			CHECK(replayed(r, &hot) == 7, "a filter in use was evicted at %d", i);
		if (i % 100 == 99)
			usleep(2000); /* let the queue drain */
	}
	struct sclens_event last = denial(0x9999999, 99, 1);
	replay_request(r, &last);
	CHECK(replayed(r, &last) == 99, "no replay after %d filters", 5000);
	replay_stop(r);
}

/* A copy from the kernel side: one instruction returning ERRNO(err). */
static void kernel_copy(struct replay *r, uint64_t key, uint64_t prev, int err, uint32_t flags)
{
	static struct sclens_filter_rec rec; /* 32 KiB: not on the stack */

	memset(&rec, 0, sizeof(rec));
	rec.key = key;
	rec.prev = prev;
	rec.flags = flags;
	rec.len = flags & SCLENS_FF_NO_COPY ? 0 : 1;
	memcpy(&rec.insns[0], &ret_insn[err], sizeof(rec.insns[0]));
	replay_add_kernel_filter(r, &rec);
}

static int reader_calls;
static int counting_reader(int tid, struct filter_stack *s)
{
	reader_calls++;
	return fake_reader(tid, s);
}

/* Kernel copies: a stack is its chain of prev keys; a new filter at a
 * reused address replaces the old copy; a chain with a missing link is not
 * replayed; ptrace is used only where the kernel kept no program. */
static void kernel_copies(void)
{
	struct replay *r;
	uint32_t act;
	struct replay_result res;

	CHECK(!replay_start_with(&r, counting_reader, fake_same_task), "start");
	replay_use_kernel_copies(r);
	fake_depth = 1;
	/* two stacked filters: the older one returns the lower errno, and
	 * ERRNO against ERRNO, the newest wins */
	kernel_copy(r, 0x20, 0x10, 5, 0);
	kernel_copy(r, 0x10, 0, 3, 0);
	struct sclens_event e = denial(0x20, 5, 2);
	act = e.action;
	CHECK(replay_event(r, &e, &act, &res) && res.filters == 2 && (res.ret & SECCOMP_RET_DATA) == 5 && res.filter == 0,
	      "two-filter chain: %d filters, errno %u", res.filters, res.ret & SECCOMP_RET_DATA);
	/* the address 0x20 reused by a new filter on top of the same older one */
	kernel_copy(r, 0x20, 0x10, 9, 0);
	e.err = 9;
	act = e.action;
	CHECK(replay_event(r, &e, &act, &res) && (res.ret & SECCOMP_RET_DATA) == 9 && res.agrees,
	      "reused address still replays the old copy");
	/* a missing link: no replay, and no ptrace either */
	kernel_copy(r, 0x40, 0x30, 4, 0);
	struct sclens_event orphan = denial(0x40, 4, 2);
	act = orphan.action;
	replay_request(r, &orphan);
	CHECK(!replay_event(r, &orphan, &act, &res), "a chain with a missing link was replayed");
	/* 70 stacked filters */
	for (int i = 0; i < 70; i++)
		kernel_copy(r, 0x1000 + i, i ? 0x1000 + i - 1 : 0, 70 - i, 0);
	struct sclens_event deep = denial(0x1000 + 69, 1, 70);
	act = deep.action;
	CHECK(replay_event(r, &deep, &act, &res) && res.filters == 70 && (res.ret & SECCOMP_RET_DATA) == 1,
	      "70 filters: %d", res.filters);
	usleep(20000);
	CHECK(reader_calls == 0, "ptrace was used %d times with kernel copies at hand", reader_calls);
	/* the kernel kept no program: ptrace (the fake reader) steps in */
	kernel_copy(r, 0x50, 0, 0, SCLENS_FF_NO_COPY);
	struct sclens_event nocopy = denial(0x50, 8, 1);
	replay_request(r, &nocopy);
	CHECK(replayed(r, &nocopy) == 8 && reader_calls == 1, "no fallback to ptrace (%d calls)", reader_calls);
	replay_stop(r);
}

int main(void)
{
	init_fake();
	RUN(agreement);
	RUN(stale_read_dropped);
	RUN(other_stack_refused);
	RUN(replay_beyond_max);
	RUN(kernel_copies);
	return UNIT_DONE();
}
