// What the kernel side observed, against the verdict replayed through the
// real filter: agreement, and what the replay settles. One row per case.
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
	{ A(ERRNO), 38, SECCOMP_RET_TRACE | 7, true, A(TRACE) },       /* settles TRACE vs ENOSYS */
	{ A(ERRNO), 1, SECCOMP_RET_TRACE | 7, false, A(ERRNO) },
	{ A(ERRNO), 1, SECCOMP_RET_ALLOW, false, A(ERRNO) },	      /* the filter would allow it */
	{ A(ERRNO), 1, SECCOMP_RET_LOG, false, A(ERRNO) },
	{ A(USER_NOTIF), 111, SECCOMP_RET_USER_NOTIF, true, A(USER_NOTIF) },
	{ A(USER_NOTIF), 1, SECCOMP_RET_ERRNO | 1, true, A(ERRNO) },  /* a listener exists, an ERRNO rule decided */
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

int main(void)
{
	RUN(agreement);
	return UNIT_DONE();
}
