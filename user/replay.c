// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "event_fmt.h"
#include "names.h"
#include "replay.h"

#define REPLAY_MAX 4096 /* filters kept; the least recently used go first */
#define QUEUE_MAX 256
#define HASH_BUCKETS 4096

enum { ST_PENDING, ST_READY, ST_FAILED, ST_STALE };

/* One kernel filter. Allocated on its own: a ready stack never moves
 * while it is used under the lock. */
struct entry {
	uint64_t key;
	int state;
	uint64_t gen;	    /* which request the pending read answers */
	int failed_tid;	    /* ST_STALE: the thread whose stack was not this filter's */
	struct filter_stack stack;
	struct entry *hnext; /* hash chain */
	struct entry *prev, *next; /* LRU list, most recent first */
};

struct request {
	uint64_t key, gen;
	int tid, tgid, filters;
};

struct replay {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stopping;
	replay_reader_fn reader;
	replay_same_task_fn same_task;
	struct entry *buckets[HASH_BUCKETS];
	struct entry *lru_head, *lru_tail;
	int n;
	uint64_t next_gen;
	struct request queue[QUEUE_MAX];
	int q_head, q_len;
};

static unsigned int bucket_of(uint64_t key)
{
	key ^= key >> 29;
	key *= 0xbf58476d1ce4e5b9ULL;
	key ^= key >> 32;
	return key % HASH_BUCKETS;
}

static struct entry *find(struct replay *r, uint64_t key)
{
	for (struct entry *e = r->buckets[bucket_of(key)]; e; e = e->hnext)
		if (e->key == key)
			return e;
	return NULL;
}

static void lru_unlink(struct replay *r, struct entry *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		r->lru_head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		r->lru_tail = e->prev;
	e->prev = e->next = NULL;
}

static void lru_push(struct replay *r, struct entry *e)
{
	e->next = r->lru_head;
	e->prev = NULL;
	if (r->lru_head)
		r->lru_head->prev = e;
	r->lru_head = e;
	if (!r->lru_tail)
		r->lru_tail = e;
}

static void touch(struct replay *r, struct entry *e)
{
	if (r->lru_head != e) {
		lru_unlink(r, e);
		lru_push(r, e);
	}
}

static void drop(struct replay *r, struct entry *e)
{
	struct entry **pp = &r->buckets[bucket_of(e->key)];

	while (*pp && *pp != e)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = e->hnext;
	lru_unlink(r, e);
	if (e->state == ST_READY)
		filter_stack_free(&e->stack);
	free(e);
	r->n--;
}

/* Does tid belong to tgid now? A reused tid belongs to another. */
static bool tid_in_tgid(int tid, int tgid)
{
	char path[64], line[256];
	int found = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Tgid: %d", &found) == 1)
			break;
	fclose(f);
	return found == tgid;
}

static void *worker(void *arg)
{
	struct replay *r = arg;

	pthread_mutex_lock(&r->lock);
	while (!r->stopping) {
		if (!r->q_len) {
			pthread_cond_wait(&r->wake, &r->lock);
			continue;
		}
		struct request q = r->queue[r->q_head];
		r->q_head = (r->q_head + 1) % QUEUE_MAX;
		r->q_len--;
		pthread_mutex_unlock(&r->lock);

		struct filter_stack s;
		int err = r->reader(q.tid, &s);
		/* the stack read must be the one the event saw: same process,
		 * same depth (a newer filter stacked since would add one) */
		bool same = !err && s.n == q.filters && r->same_task(q.tid, q.tgid);

		pthread_mutex_lock(&r->lock);
		struct entry *e = find(r, q.key);
		if (!e || e->state != ST_PENDING || e->gen != q.gen) {
			/* forgotten, evicted or asked again meanwhile: stale */
			if (!err)
				filter_stack_free(&s);
			continue;
		}
		if (err) {
			e->state = ST_FAILED;
		} else if (!same) {
			filter_stack_free(&s);
			e->state = ST_STALE;
			e->failed_tid = q.tid;
		} else {
			e->stack = s;
			e->state = ST_READY;
		}
	}
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

int replay_start_with(struct replay **out, replay_reader_fn reader, replay_same_task_fn same_task)
{
	struct replay *r = calloc(1, sizeof(*r));

	if (!r)
		return -ENOMEM;
	r->reader = reader;
	r->same_task = same_task;
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->wake, NULL);
	if (pthread_create(&r->thread, NULL, worker, r)) {
		free(r);
		return -EAGAIN;
	}
	*out = r;
	return 0;
}

int replay_start(struct replay **out)
{
	return replay_start_with(out, filter_stack_read, tid_in_tgid);
}

void replay_stop(struct replay *r)
{
	if (!r)
		return;
	pthread_mutex_lock(&r->lock);
	r->stopping = true;
	pthread_cond_signal(&r->wake);
	pthread_mutex_unlock(&r->lock);
	pthread_join(r->thread, NULL);
	while (r->lru_head)
		drop(r, r->lru_head);
	free(r);
}

static void enqueue(struct replay *r, struct entry *ent, const struct sclens_event *e)
{
	ent->state = ST_PENDING;
	ent->gen = ++r->next_gen;
	r->queue[(r->q_head + r->q_len) % QUEUE_MAX] = (struct request){
		.key = ent->key, .gen = ent->gen, .tid = e->tid, .tgid = e->pid, .filters = e->filter_count,
	};
	r->q_len++;
	pthread_cond_signal(&r->wake);
}

void replay_request(struct replay *r, const struct sclens_event *e)
{
	struct entry *ent;

	if (!r || !e->filter_key)
		return;
	pthread_mutex_lock(&r->lock);
	if (r->q_len == QUEUE_MAX)
		goto out; /* asked again on a later event */
	ent = find(r, e->filter_key);
	if (ent) {
		touch(r, ent);
		/* the last read met another thread's stack: try this one */
		if (ent->state == ST_STALE && ent->failed_tid != (int)e->tid)
			enqueue(r, ent, e);
		goto out;
	}
	if (r->n == REPLAY_MAX)
		drop(r, r->lru_tail);
	ent = calloc(1, sizeof(*ent));
	if (!ent)
		goto out;
	ent->key = e->filter_key;
	ent->hnext = r->buckets[bucket_of(ent->key)];
	r->buckets[bucket_of(ent->key)] = ent;
	lru_push(r, ent);
	r->n++;
	enqueue(r, ent, e);
out:
	pthread_mutex_unlock(&r->lock);
}

void replay_forget(struct replay *r, uint64_t key)
{
	struct entry *e;

	if (!r)
		return;
	pthread_mutex_lock(&r->lock);
	e = find(r, key);
	if (e)
		drop(r, e); /* a read still under way finds no entry and drops its result */
	pthread_mutex_unlock(&r->lock);
}

bool replay_agrees(uint32_t observed, const struct sclens_event *e, uint32_t ret, uint32_t *refined)
{
	uint32_t act = seccomp_ret_to_action(ret), data = ret & SECCOMP_RET_DATA;

	*refined = observed;
	switch (act) {
	case SCLENS_ACT_ERRNO:
		/* the kernel caps the errno at MAX_ERRNO (4095): ERRNO(5000)
		 * returns -4095, exactly as observed */
		if (data > 4095)
			data = 4095;
		if ((observed == SCLENS_ACT_ERRNO || observed == SCLENS_ACT_USER_NOTIF) &&
		    (e->flags & SCLENS_F_HAS_ERRNO) && (uint32_t)e->err == data) {
			*refined = SCLENS_ACT_ERRNO;
			return true;
		}
		return false;
	case SCLENS_ACT_TRACE:
		/* no tracer: the kernel answers ENOSYS */
		if (observed == SCLENS_ACT_ERRNO && (e->flags & SCLENS_F_HAS_ERRNO) && e->err == 38) {
			*refined = SCLENS_ACT_TRACE;
			return true;
		}
		return observed == SCLENS_ACT_TRACE;
	case SCLENS_ACT_USER_NOTIF:
		/* no listener (never set, or gone): the kernel answers ENOSYS */
		if ((observed == SCLENS_ACT_ERRNO || observed == SCLENS_ACT_USER_NOTIF) && (e->flags & SCLENS_F_HAS_ERRNO) &&
		    e->err == 38) {
			*refined = SCLENS_ACT_USER_NOTIF;
			return true;
		}
		return observed == SCLENS_ACT_USER_NOTIF;
	case SCLENS_ACT_KILL_PROCESS:
	case SCLENS_ACT_KILL_THREAD:
		if (observed == SCLENS_ACT_KILL_PROCESS || observed == SCLENS_ACT_KILL_THREAD) {
			*refined = act;
			return true;
		}
		return false;
	case SCLENS_ACT_TRAP:
		return observed == SCLENS_ACT_TRAP;
	}
	return false; /* allow or log: the filter would not have denied it */
}

bool replay_event(struct replay *r, const struct sclens_event *e, uint32_t *action, struct replay_result *res)
{
	struct entry *ent;
	bool ok = false;

	if (!r || e->type != SCLENS_EV_DENIAL)
		return false;
	pthread_mutex_lock(&r->lock);
	ent = find(r, e->filter_key);
	if (ent)
		touch(r, ent);
	if (ent && ent->state == ST_READY) {
		struct seccomp_data d = { .nr = e->nr, .arch = e->arch, .instruction_pointer = e->ip };
		struct stack_verdict v;
		memcpy(d.args, e->args, sizeof(d.args));
		filter_stack_eval(&ent->stack, &d, &v);
		res->ret = v.ret;
		res->action = seccomp_ret_to_action(v.ret);
		res->filter = v.filter;
		res->filters = ent->stack.n;
		res->insn = v.insn;
		res->filter_id = ent->stack.progs[v.filter].hash;
		res->agrees = replay_agrees(*action, e, v.ret, action);
		ok = true;
	}
	pthread_mutex_unlock(&r->lock);
	return ok;
}

void replay_json(struct jw *w, const struct replay_result *res)
{
	jw_key(w, "replay");
	jw_obj_begin(w);
	jw_kv_str(w, "action", action_name(res->action));
	if (res->action == SCLENS_ACT_ERRNO)
		jw_kv_u64(w, "errno", res->ret & SECCOMP_RET_DATA);
	else if (res->action != SCLENS_ACT_ALLOW && res->action != SCLENS_ACT_LOG)
		jw_kv_u64(w, "data", res->ret & SECCOMP_RET_DATA);
	/* counted as people read it (and as the human line says "filter 1/2"):
	 * 1 is the newest */
	jw_kv_i64(w, "filter", res->filter + 1);
	jw_kv_i64(w, "filters", res->filters);
	jw_kv_u64(w, "insn", res->insn);
	/* a content hash, as `filter dump` shows it; not the event's per-run filter_id */
	jw_key(w, "filter_hash");
	jw_hex(w, res->filter_id, 16);
	jw_kv_bool(w, "agrees", res->agrees);
	jw_obj_end(w);
}
