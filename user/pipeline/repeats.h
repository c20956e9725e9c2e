/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Repeats: what the kernel counted but did not send. A cgroup's events
 * are paced in the kernel (--rate-limit) and the ring buffer can be full,
 * while every denial is counted per (cgroup, arch, call, action, errno),
 * and so is every one whose event did not go into the ring buffer. Once a
 * second, for each key the pipeline has shown whose cgroup had events
 * held back (or when events were lost), those never sent since the last
 * time become one repeat record for every sink: "clock_settime errno
 * EPERM x 2,999,990 more". Counted in the kernel as the event is refused,
 * it is exact whatever is still in flight: the denials received and the
 * repeats add up to the kernel's count. */
#ifndef SCLENS_REPEATS_H
#define SCLENS_REPEATS_H

#include <stdbool.h>
#include <stdint.h>
#include "sclens.h"
#include "sink.h"

struct observer;
struct repeats;

/* keys followed at most (the kernel's own map's size); more are counted */
#define REPEATS_MAX_KEYS SCLENS_COUNT_ENTRIES

int repeats_new(struct repeats **out);
void repeats_free(struct repeats *r);
/* A denial event received from the kernel; shown: handed to the sinks */
void repeats_saw(struct repeats *r, const struct sclens_event *e, bool shown);
/* About once a second: fn for each key with denials not shown since the
 * last call (the container is left to fn) */
typedef void (*repeats_fn)(const struct repeat_record *rr, void *arg);
void repeats_tick(struct repeats *r, struct observer *obs, uint64_t now_ns, repeats_fn fn, void *arg);
/* Forgets the keys of cgroups keep() says no to (gone) */
void repeats_retain(struct repeats *r, bool (*keep)(uint64_t cgroup_id, void *arg), void *arg);
/* Keys that found the table full: not followed, so never repeated */
uint64_t repeats_untracked(const struct repeats *r);

/* The kernel's count key of a denial event: numbers no arch has share
 * one key, errnos without a name count as 4095 (as sclens.bpf.c does) */
void repeats_count_key(const struct sclens_event *e, struct sclens_count_key *k);

#endif
