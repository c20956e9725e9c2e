// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "event_fmt.h"
#include "names.h"
#include "replay.h"

#define REPLAY_MAX 4096
#define QUEUE_MAX 256

enum { ST_PENDING, ST_READY, ST_FAILED };

struct entry {
	uint64_t key;
	int state;
	struct filter_stack stack;
};

struct replay {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stopping;
	struct entry *entries; /* fixed array: a ready stack never moves */
	int n;
	struct {
		uint64_t key;
		int tid;
	} queue[QUEUE_MAX];
	int q_head, q_len;
};

static struct entry *find(struct replay *r, uint64_t key)
{
	for (int i = 0; i < r->n; i++)
		if (r->entries[i].key == key)
			return &r->entries[i];
	return NULL;
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
		uint64_t key = r->queue[r->q_head].key;
		int tid = r->queue[r->q_head].tid;
		r->q_head = (r->q_head + 1) % QUEUE_MAX;
		r->q_len--;
		pthread_mutex_unlock(&r->lock);

		struct filter_stack s;
		int err = filter_stack_read(tid, &s);

		pthread_mutex_lock(&r->lock);
		struct entry *e = find(r, key);
		if (!e || e->state != ST_PENDING) {
			if (!err)
				filter_stack_free(&s);
			continue;
		}
		if (err) {
			e->state = ST_FAILED;
		} else {
			e->stack = s;
			e->state = ST_READY;
		}
	}
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

int replay_start(struct replay **out)
{
	struct replay *r = calloc(1, sizeof(*r));

	if (!r)
		return -ENOMEM;
	r->entries = calloc(REPLAY_MAX, sizeof(*r->entries));
	if (!r->entries) {
		free(r);
		return -ENOMEM;
	}
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->wake, NULL);
	if (pthread_create(&r->thread, NULL, worker, r)) {
		free(r->entries);
		free(r);
		return -EAGAIN;
	}
	*out = r;
	return 0;
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
	for (int i = 0; i < r->n; i++)
		if (r->entries[i].state == ST_READY)
			filter_stack_free(&r->entries[i].stack);
	free(r->entries);
	free(r);
}

void replay_request(struct replay *r, uint64_t key, int tid)
{
	if (!r || !key)
		return;
	pthread_mutex_lock(&r->lock);
	if (!find(r, key) && r->n < REPLAY_MAX && r->q_len < QUEUE_MAX) {
		struct entry *e = &r->entries[r->n++];
		e->key = key;
		e->state = ST_PENDING;
		r->queue[(r->q_head + r->q_len) % QUEUE_MAX].key = key;
		r->queue[(r->q_head + r->q_len) % QUEUE_MAX].tid = tid;
		r->q_len++;
		pthread_cond_signal(&r->wake);
	}
	pthread_mutex_unlock(&r->lock);
}

void replay_forget(struct replay *r, uint64_t key)
{
	struct entry *e;

	if (!r)
		return;
	pthread_mutex_lock(&r->lock);
	e = find(r, key);
	if (e) {
		if (e->state == ST_READY)
			filter_stack_free(&e->stack);
		/* the key may be pending in the queue: the worker drops it */
		*e = r->entries[--r->n];
	}
	pthread_mutex_unlock(&r->lock);
}

bool replay_agrees(uint32_t observed, const struct sclens_event *e, uint32_t ret, uint32_t *refined)
{
	uint32_t act = seccomp_ret_to_action(ret), data = ret & SECCOMP_RET_DATA;

	*refined = observed;
	switch (act) {
	case SCLENS_ACT_ERRNO:
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

void replay_json(struct sbuf *b, const struct replay_result *res)
{
	sb_printf(b, ",\"replay\":{\"action\":\"%s\"", action_name(res->action));
	if (res->action == SCLENS_ACT_ERRNO)
		sb_printf(b, ",\"errno\":%u", res->ret & SECCOMP_RET_DATA);
	else if (res->action != SCLENS_ACT_ALLOW && res->action != SCLENS_ACT_LOG)
		sb_printf(b, ",\"data\":%u", res->ret & SECCOMP_RET_DATA);
	sb_printf(b, ",\"filter\":%d,\"filters\":%d,\"insn\":%zu,\"filter_id\":\"%016llx\",\"agrees\":%s}", res->filter,
		  res->filters, res->insn, (unsigned long long)res->filter_id, res->agrees ? "true" : "false");
}
