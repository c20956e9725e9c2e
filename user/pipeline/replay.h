/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Replays denials through the filters the kernel really ran. The kernel
 * side copies each filter's program into the ring buffer before the first
 * event that names it; where it cannot (no orig_prog), filters are read in
 * a background thread (ptrace), once per kernel filter, on first sight,
 * so event handling never waits. */
#ifndef SCLENS_REPLAY_H
#define SCLENS_REPLAY_H

#include <stdbool.h>
#include <stdint.h>
#include "filter.h"
#include "sclens.h"
#include "json_writer.h"
#include "text.h"

struct replay;

struct replay_result {
	uint32_t ret;	   /* SECCOMP_RET_* that won */
	uint32_t action;   /* SCLENS_ACT_* */
	int filter, filters;
	size_t insn;
	uint64_t filter_id; /* content hash of the deciding filter */
	bool agrees;	   /* with what the kernel side observed */
};

/* Reads a thread's filter stack (filter_stack_read; tests pass another) */
typedef int (*replay_reader_fn)(int tid, struct filter_stack *s);
/* Does tid still belong to tgid (not a reused tid)? */
typedef bool (*replay_same_task_fn)(int tid, int tgid);

int replay_start(struct replay **out);
/* With another reader and task check (tests: fake stacks, fake tids) */
int replay_start_with(struct replay **out, replay_reader_fn reader, replay_same_task_fn same_task);
void replay_stop(struct replay *r);
/* Reads, in the background, the filters of the event's thread if its
 * filter (e->filter_key) is new. The stack read is kept only if it is
 * still that filter's: the thread still belongs to e->pid and holds
 * e->filter_count filters, and the key was not forgotten meanwhile. */
void replay_request(struct replay *r, const struct sclens_event *e);
/* Forgets key (a new filter at a reused address). */
void replay_forget(struct replay *r, uint64_t key);
/* Replays from the kernel side's filter copies (struct sclens_filter_rec)
 * from now on: ptrace only for filters the kernel kept no copy of. */
void replay_use_kernel_copies(struct replay *r);
/* Stores a copy (a new filter at a known address replaces the old one). */
void replay_add_kernel_filter(struct replay *r, const struct sclens_filter_rec *rec);
/* Replays e if its filters are read: true and *res filled. The observed
 * action is taken from e and refined in *action when the replay settles
 * what the kernel left ambiguous (TRACE vs ERRNO(ENOSYS), ...). */
bool replay_event(struct replay *r, const struct sclens_event *e, uint32_t *action, struct replay_result *res);
/* Checks an observed action against a replayed verdict (pure). */
bool replay_agrees(uint32_t observed, const struct sclens_event *e, uint32_t ret, uint32_t *refined);
/* The member "replay" */
void replay_json(struct jw *w, const struct replay_result *res);

#endif
