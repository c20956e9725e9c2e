// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stddef.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "actions.h"
#include "names.h"
#include "replay.h"
#include "overflow.h"

#define REPLAY_MAX 4096 /* filters kept; the least recently used go first */
#define QUEUE_MAX 256
#define HASH_BUCKETS 4096
/* kernel copies kept (by address; the programs themselves are shared by
 * content): past it, the least recently used are dropped and copied again
 * by the kernel side on their next use only if it forgot them too */
#define KFILTER_MAX 16384

enum { ST_PENDING, ST_READY, ST_FAILED, ST_STALE };

/* An intrusive LRU list, most recent first: shared by the ptrace-read
 * stacks and the kernel copies */
struct lru_node {
	struct lru_node *prev, *next;
};

struct lru {
	struct lru_node *head, *tail;
};

static void lru_unlink(struct lru *l, struct lru_node *n)
{
	if (n->prev)
		n->prev->next = n->next;
	else
		l->head = n->next;
	if (n->next)
		n->next->prev = n->prev;
	else
		l->tail = n->prev;
	n->prev = n->next = NULL;
}

static void lru_push(struct lru *l, struct lru_node *n)
{
	n->next = l->head;
	n->prev = NULL;
	if (l->head)
		l->head->prev = n;
	l->head = n;
	if (!l->tail)
		l->tail = n;
}

#define LRU_ENTRY(node, type) ((type *)((char *)(node) - offsetof(type, lru)))

/* One kernel filter. Allocated on its own: a ready stack never moves
 * while it is used under the lock. */
struct entry {
	uint64_t key;
	int state;
	uint64_t gen;	    /* which request the pending read answers */
	int failed_tid;	    /* ST_STALE: the thread whose stack was not this filter's */
	struct filter_stack stack;
	struct entry *hnext; /* hash chain */
	struct lru_node lru;
};

/* A filter the kernel side copied: one program, and the filter it stacks
 * on. Programs are shared by content (every container of an image runs
 * the same one). */
struct kprog {
	struct sock_filter *insns;
	size_t len;
	uint64_t hash;
	int refs;
	struct kprog *hnext;
};

struct kfilter {
	uint64_t key, prev;
	uint32_t flags; /* SCLENS_FF_* */
	struct kprog *prog; /* NULL: the kernel kept no copy */
	struct kfilter *hnext;
	struct lru_node lru;
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
	bool (*release)(void); /* lets go of tasks the reader gave up on */
	struct entry *buckets[HASH_BUCKETS];
	struct lru lru;
	int n;
	uint64_t next_gen;
	struct request queue[QUEUE_MAX];
	int q_head, q_len;
	/* filters copied by the kernel side; ptrace only for those it could not */
	bool kernel_copies;
	struct kfilter *kbuckets[HASH_BUCKETS];
	struct lru klru;
	int kn;
	struct kprog *pbuckets[HASH_BUCKETS];
	int pn;
};

static void kdrop(struct replay *r, struct kfilter *f);
static int kstack(struct replay *r, uint64_t key, struct filter_stack *s);

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

static void touch(struct replay *r, struct entry *e)
{
	if (r->lru.head != &e->lru) {
		lru_unlink(&r->lru, &e->lru);
		lru_push(&r->lru, &e->lru);
	}
}

static void drop(struct replay *r, struct entry *e)
{
	struct entry **pp = &r->buckets[bucket_of(e->key)];

	while (*pp && *pp != e)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = e->hnext;
	lru_unlink(&r->lru, &e->lru);
	if (e->state == ST_READY)
		filter_stack_free(&e->stack);
	free(e);
	r->n--;
}

/* Does tid belong to tgid now? A reused tid belongs to another. */
static bool tid_in_tgid(int tid, int tgid)
{
	return task_tgid(tid) == tgid;
}

static void *worker(void *arg)
{
	struct replay *r = arg;

	bool seized = false; /* tasks given up on, to let go once they stop */

	pthread_mutex_lock(&r->lock);
	while (!r->stopping) {
		if (!r->q_len) {
			if (!seized) {
				pthread_cond_wait(&r->wake, &r->lock);
				continue;
			}
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_nsec += 200 * 1000000L;
			if (until.tv_nsec >= 1000000000L) {
				until.tv_sec++;
				until.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&r->wake, &r->lock, &until);
			pthread_mutex_unlock(&r->lock);
			seized = r->release ? r->release() : false;
			pthread_mutex_lock(&r->lock);
			continue;
		}
		struct request q = r->queue[r->q_head];
		r->q_head = (r->q_head + 1) % QUEUE_MAX;
		r->q_len--;
		pthread_mutex_unlock(&r->lock);

		struct filter_stack s;
		int err = r->reader(q.tid, &s);
		if (err == -ETIMEDOUT)
			seized = true; /* a task that cannot stop: let go later */
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
	int err = replay_start_with(out, filter_stack_read, tid_in_tgid);

	if (!err) {
		pthread_mutex_lock(&(*out)->lock);
		(*out)->release = filter_release_seized;
		pthread_mutex_unlock(&(*out)->lock);
	}
	return err;
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
	while (r->lru.head)
		drop(r, LRU_ENTRY(r->lru.head, struct entry));
	while (r->klru.head)
		kdrop(r, LRU_ENTRY(r->klru.head, struct kfilter));
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
	if (r->q_len == QUEUE_MAX) {
		overflow_count(OVERFLOW_REPLAY_QUEUE);
		goto out; /* asked again on a later event */
	}
	if (r->kernel_copies) {
		/* ptrace only for a stack the kernel kept no copy of */
		struct filter_stack ks;
		int kerr = kstack(r, e->filter_key, &ks);
		if (kerr != -ENODATA) {
			if (!kerr)
				filter_stack_free(&ks);
			goto out;
		}
	}
	ent = find(r, e->filter_key);
	if (ent) {
		touch(r, ent);
		/* the last read met another thread's stack: try this one */
		if (ent->state == ST_STALE && ent->failed_tid != (int)e->tid)
			enqueue(r, ent, e);
		goto out;
	}
	if (r->n == REPLAY_MAX) {
		overflow_count(OVERFLOW_FILTERS);
		drop(r, LRU_ENTRY(r->lru.tail, struct entry));
	}
	ent = calloc(1, sizeof(*ent));
	if (!ent)
		goto out;
	ent->key = e->filter_key;
	ent->hnext = r->buckets[bucket_of(ent->key)];
	r->buckets[bucket_of(ent->key)] = ent;
	lru_push(&r->lru, &ent->lru);
	r->n++;
	enqueue(r, ent, e);
out:
	pthread_mutex_unlock(&r->lock);
}

static struct kfilter *kfind(struct replay *r, uint64_t key)
{
	for (struct kfilter *f = r->kbuckets[bucket_of(key)]; f; f = f->hnext)
		if (f->key == key)
			return f;
	return NULL;
}

static void kprog_put(struct replay *r, struct kprog *p)
{
	if (!p || --p->refs)
		return;
	struct kprog **pp = &r->pbuckets[p->hash % HASH_BUCKETS];
	while (*pp && *pp != p)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = p->hnext;
	free(p->insns);
	free(p);
	r->pn--;
}

static struct kprog *kprog_get(struct replay *r, const struct sclens_insn *insns, size_t len)
{
	uint64_t h = filter_hash((const struct sock_filter *)insns, len);
	struct kprog *p;

	for (p = r->pbuckets[h % HASH_BUCKETS]; p; p = p->hnext) {
		if (p->hash == h && p->len == len && !memcmp(p->insns, insns, len * sizeof(*p->insns))) {
			p->refs++;
			return p;
		}
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->insns = malloc(len * sizeof(*p->insns));
	if (!p->insns) {
		free(p);
		return NULL;
	}
	memcpy(p->insns, insns, len * sizeof(*p->insns));
	p->len = len;
	p->hash = h;
	p->refs = 1;
	p->hnext = r->pbuckets[h % HASH_BUCKETS];
	r->pbuckets[h % HASH_BUCKETS] = p;
	r->pn++;
	return p;
}

static void kdrop(struct replay *r, struct kfilter *f)
{
	struct kfilter **pp = &r->kbuckets[bucket_of(f->key)];

	while (*pp && *pp != f)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = f->hnext;
	lru_unlink(&r->klru, &f->lru);
	kprog_put(r, f->prog);
	free(f);
	r->kn--;
}

void replay_use_kernel_copies(struct replay *r)
{
	if (r)
		r->kernel_copies = true;
}

void replay_add_kernel_filter(struct replay *r, const struct sclens_filter_rec *rec)
{
	struct kfilter *f;

	if (!r)
		return;
	pthread_mutex_lock(&r->lock);
	f = kfind(r, rec->key);
	if (f) {
		/* a new filter at a freed one's address: the copy replaces it */
		kprog_put(r, f->prog);
		f->prog = NULL;
		lru_unlink(&r->klru, &f->lru);
	} else {
		if (r->kn == KFILTER_MAX)
			kdrop(r, LRU_ENTRY(r->klru.tail, struct kfilter));
		f = calloc(1, sizeof(*f));
		if (!f)
			goto out;
		f->key = rec->key;
		f->hnext = r->kbuckets[bucket_of(f->key)];
		r->kbuckets[bucket_of(f->key)] = f;
		r->kn++;
	}
	lru_push(&r->klru, &f->lru);
	f->prev = rec->prev;
	f->flags = rec->flags;
	if (rec->len && rec->len <= SCLENS_FILTER_MAX_INSNS && !(rec->flags & SCLENS_FF_NO_COPY))
		f->prog = kprog_get(r, rec->insns, rec->len);
	if (!f->prog)
		f->flags |= SCLENS_FF_NO_COPY;
out:
	pthread_mutex_unlock(&r->lock);
}

/* The stack under key from the kernel copies, borrowed (not to be freed
 * but with filter_stack_free's progs array). 0, -ENOENT (a filter of the
 * chain unknown: its copy is still to come), -ENODATA (the kernel kept
 * no copy of one), -ENOMEM. Called under the lock. */
static int kstack(struct replay *r, uint64_t key, struct filter_stack *s)
{
	int err = 0;

	memset(s, 0, sizeof(*s));
	s->borrowed = true;
	for (int depth = 0; key; depth++) {
		struct kfilter *f = kfind(r, key);
		if (!f) {
			err = -ENOENT;
			break;
		}
		if (!f->prog) {
			err = -ENODATA;
			break;
		}
		/* a cycle cannot be (the kernel's prev chain is a list); the
		 * bound only guards against a corrupt record */
		if (depth >= KFILTER_MAX || (err = filter_stack_reserve(s, depth + 1)))
			break;
		s->progs[depth] = (struct seccomp_prog){ .insns = f->prog->insns, .len = f->prog->len,
							.hash = f->prog->hash, .flags = f->flags };
		s->n = depth + 1;
		key = f->prev;
	}
	if (!err && !s->n)
		err = -ENOENT; /* no filter named */
	if (err)
		filter_stack_free(s);
	return err;
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
	struct filter_stack ks;
	const struct filter_stack *stack = NULL;
	if (r->kernel_copies && !kstack(r, e->filter_key, &ks)) {
		stack = &ks;
	} else {
		ent = find(r, e->filter_key);
		if (ent)
			touch(r, ent);
		if (ent && ent->state == ST_READY)
			stack = &ent->stack;
	}
	if (stack) {
		struct seccomp_data d = { .nr = e->nr, .arch = e->arch, .instruction_pointer = e->ip };
		struct stack_verdict v;
		memcpy(d.args, e->args, sizeof(d.args));
		filter_stack_eval(stack, &d, &v);
		res->ret = v.ret;
		res->action = seccomp_ret_to_action(v.ret);
		res->filter = v.filter;
		res->filters = stack->n;
		res->insn = v.insn;
		res->filter_id = stack->progs[v.filter].hash;
		res->agrees = replay_agrees(*action, e, v.ret, action);
		ok = true;
		if (stack == &ks)
			filter_stack_free(&ks);
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
