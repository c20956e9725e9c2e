/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The task's seccomp filters, read in the kernel (see docs/architecture.md):
 *
 * - capture: each filter's classic-BPF program (prog->orig_prog, kept by
 *   every kernel with a seccomp action cache or CHECKPOINT_RESTORE) is
 *   copied once into the ring buffer, before the first event that names
 *   it, so that user space can replay any denial, even of a process that
 *   exited at once, without ptrace;
 * - evaluation: the stack is run here on the call's seccomp_data (rebuilt
 *   from the saved registers), as the kernel ran it, so that the action is
 *   the filter's own and the one-hook method can tell an allowed call from
 *   a skipped one without having seen its entry.
 *
 * Needs from the includer: the "events" ring buffer and count().
 */
#ifndef SCLENS_FILTERS_BPF_H
#define SCLENS_FILTERS_BPF_H

/* classic BPF (linux/filter.h, linux/bpf_common.h) */
#define C_LD 0x00
#define C_LDX 0x01
#define C_ST 0x02
#define C_STX 0x03
#define C_ALU 0x04
#define C_JMP 0x05
#define C_RET 0x06
#define C_MISC 0x07
#define C_W 0x00
#define C_IMM 0x00
#define C_ABS 0x20
#define C_MEM 0x60
#define C_LEN 0x80
#define C_K 0x00
#define C_X 0x08
#define C_A 0x10
#define C_ADD 0x00
#define C_SUB 0x10
#define C_MUL 0x20
#define C_DIV 0x30
#define C_OR 0x40
#define C_AND 0x50
#define C_LSH 0x60
#define C_RSH 0x70
#define C_NEG 0x80
#define C_XOR 0xa0
#define C_JA 0x00
#define C_JEQ 0x10
#define C_JGT 0x20
#define C_JGE 0x30
#define C_JSET 0x40
#define C_TAX 0x00
#define C_TXA 0x80

#define SECCOMP_RET_ALLOW_ 0x7fff0000U
#define SECCOMP_RET_ACTION_FULL_ 0xffff0000U
/* MAX_INSNS_PER_PATH: the kernel refuses a stack that runs more */
#define EVAL_MAX_STEPS 40000

/* Filters copied to user space while they live: kernel address -> 1. A
 * new filter at a reused address is copied again when it is installed
 * (capture_newest), so an old copy never stands for it. LRU: an evicted
 * filter is copied again on its next use, which user space dedups. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, __u8);
} known_filters SEC(".maps");

struct eval_state {
	struct sclens_insn insns[SCLENS_FILTER_MAX_INSNS]; /* the filter being run */
	__u32 data[16];	    /* struct seccomp_data, as 32-bit words */
	__u32 mem[16];	    /* the scratch memory M[] */
	__u64 filter;	    /* kernel address of the filter being run */
	__u32 A, X, pc, len;
	__u32 index;	    /* of the filter being run; 0 is the newest */
	__u32 best, best_filter; /* the winning SECCOMP_RET_* so far, and its filter */
	__s32 err;
	__u32 done;
	__u32 single; /* one program (shadow mode), not the task's stack */
};

/* One slot per CPU (a 32 KiB program copy fits neither the 512-byte BPF
 * stack nor a per-CPU map value, limited to 32 KiB): indexed by CPU, sized
 * by user space to the possible CPUs. raw_tp programs do not nest on one
 * CPU, so one slot each is enough. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct eval_state);
} eval_scratch SEC(".maps");

/* Copies len instructions from the kernel (len checked here, in a way the
 * verifier sees). 0 or a negative errno. */
static __always_inline long read_insns(struct sclens_insn *dst, __u32 len, const void *src)
{
	__u64 size = (__u64)len * sizeof(struct sclens_insn);

	asm volatile("" : "+r"(size));
	if (!size || size > SCLENS_FILTER_MAX_INSNS * sizeof(struct sclens_insn))
		return -7; /* E2BIG */
	return bpf_probe_read_kernel(dst, size, src);
}

/* Copies one filter's program into the ring buffer. 0, or -1 when the
 * copy found no room (counted: the next use tries again). */
static __noinline int capture_one(struct seccomp_filter *f)
{
	struct sclens_filter_rec *rec;
	struct sock_fprog_kern *fp;
	__u64 key = (__u64)f;
	__u8 one = 1;
	__u32 len = 0;

	if (!f)
		return 0;
	rec = bpf_ringbuf_reserve(&events, sizeof(*rec), 0);
	if (!rec) {
		count(SCLENS_CNT_FILTERS_LOST);
		return -1;
	}
	rec->key = key;
	rec->prev = (__u64)BPF_CORE_READ(f, prev);
	rec->flags = 0;
	if (BPF_CORE_READ(f, log))
		rec->flags |= SCLENS_FF_LOG;
	if (BPF_CORE_READ(f, notif))
		rec->flags |= SCLENS_FF_LISTENER;
	fp = BPF_CORE_READ(f, prog, orig_prog);
	if (fp)
		len = BPF_CORE_READ(fp, len);
	if (!fp || read_insns(rec->insns, len, BPF_CORE_READ(fp, filter))) {
		rec->flags |= SCLENS_FF_NO_COPY;
		len = 0;
	}
	rec->len = len;
	bpf_ringbuf_submit(rec, 0);
	count(SCLENS_CNT_FILTERS_CAPTURED);
	bpf_map_update_elem(&known_filters, &key, &one, BPF_ANY);
	return 0;
}

struct walk_ctx {
	struct seccomp_filter *f;
};

static long capture_step(__u64 i, struct walk_ctx *w)
{
	struct seccomp_filter *f = w->f;
	__u64 key = (__u64)f;

	if (!f)
		return 1;
	if (!bpf_map_lookup_elem(&known_filters, &key) && capture_one(f))
		return 1; /* no room: the rest waits for the next use */
	w->f = BPF_CORE_READ(f, prev);
	return 0;
}

/* Makes sure user space has every filter of the task's stack: one lookup
 * per filter when they are known already. */
static __always_inline void capture_stack(struct task_struct *task)
{
	struct walk_ctx w = { .f = BPF_CORE_READ(task, seccomp.filter) };

	bpf_loop(EVAL_MAX_STEPS, capture_step, &w, 0);
}

/* A filter was just installed: its address may be a freed filter's, so it
 * is copied whether known or not. */
static __always_inline void capture_newest(struct task_struct *task)
{
	struct seccomp_filter *f = BPF_CORE_READ(task, seccomp.filter);

	if (capture_one(f) == 0)
		capture_stack(task);
}

/* Loads the program of s->filter into s; false when there is none. */
static __always_inline bool eval_load(struct eval_state *s)
{
	struct seccomp_filter *f = (struct seccomp_filter *)s->filter;
	struct sock_fprog_kern *fp = BPF_CORE_READ(f, prog, orig_prog);
	__u32 len;

	if (!fp)
		return false;
	len = BPF_CORE_READ(fp, len);
	if (read_insns(s->insns, len, BPF_CORE_READ(fp, filter)))
		return false;
	s->len = len;
	s->pc = 0;
	s->A = 0;
	s->X = 0;
	return true;
}

/* One filter returned ret: keep it if it takes precedence (lower signed
 * action; the newest wins ties), then move to the older filter. */
static __always_inline long eval_return(struct eval_state *s, __u32 ret)
{
	if (s->single) {
		s->best = ret;
		s->done = 1;
		return 1;
	}
	if ((__s32)(ret & SECCOMP_RET_ACTION_FULL_) < (__s32)(s->best & SECCOMP_RET_ACTION_FULL_)) {
		s->best = ret;
		s->best_filter = s->index;
	}
	struct seccomp_filter *f = (struct seccomp_filter *)s->filter;

	s->filter = (__u64)BPF_CORE_READ(f, prev);
	s->index++;
	if (!s->filter) {
		s->done = 1;
		return 1;
	}
	if (!eval_load(s)) {
		s->err = -1;
		return 1;
	}
	return 0;
}

/* One classic-BPF instruction, as the kernel runs it (the program passed
 * seccomp_check_filter() when it was installed). */
static long eval_step(__u64 i, void *unused)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct eval_state *s = bpf_map_lookup_elem(&eval_scratch, &cpu);
	struct sclens_insn in;
	__u32 pc, src;

	if (!s)
		return 1;
	pc = s->pc;
	if (pc >= s->len || pc >= SCLENS_FILTER_MAX_INSNS) {
		/* fell off the end: classic BPF returns 0 (KILL_THREAD) */
		return eval_return(s, 0);
	}
	in = s->insns[pc];
	s->pc = pc + 1;
	src = (in.code & C_X) ? s->X : in.k;
	switch (in.code) {
	case C_LD | C_W | C_ABS: {
		__u32 word = in.k >> 2;

		if (in.k >= 64 || (in.k & 3)) {
			s->err = -1;
			return 1;
		}
		/* keep the mask the compiler would drop: the verifier wants it */
		asm volatile("" : "+r"(word));
		s->A = s->data[word & 15];
		break;
	}
	case C_LD | C_W | C_LEN: s->A = 64; break;
	case C_LDX | C_W | C_LEN: s->X = 64; break;
	case C_LD | C_IMM: s->A = in.k; break;
	case C_LDX | C_IMM: s->X = in.k; break;
	case C_LD | C_MEM: s->A = s->mem[in.k & 15]; break;
	case C_LDX | C_MEM: s->X = s->mem[in.k & 15]; break;
	case C_ST: s->mem[in.k & 15] = s->A; break;
	case C_STX: s->mem[in.k & 15] = s->X; break;
	case C_MISC | C_TAX: s->X = s->A; break;
	case C_MISC | C_TXA: s->A = s->X; break;
	case C_ALU | C_NEG: s->A = -s->A; break;
	case C_ALU | C_ADD | C_K: case C_ALU | C_ADD | C_X: s->A += src; break;
	case C_ALU | C_SUB | C_K: case C_ALU | C_SUB | C_X: s->A -= src; break;
	case C_ALU | C_MUL | C_K: case C_ALU | C_MUL | C_X: s->A *= src; break;
	case C_ALU | C_DIV | C_K: case C_ALU | C_DIV | C_X:
		if (!src) /* the kernel's classic BPF returns 0 */
			return eval_return(s, 0);
		s->A = s->A / src;
		break;
	case C_ALU | C_AND | C_K: case C_ALU | C_AND | C_X: s->A &= src; break;
	case C_ALU | C_OR | C_K: case C_ALU | C_OR | C_X: s->A |= src; break;
	case C_ALU | C_XOR | C_K: case C_ALU | C_XOR | C_X: s->A ^= src; break;
	case C_ALU | C_LSH | C_K: case C_ALU | C_LSH | C_X: s->A <<= src & 31; break;
	case C_ALU | C_RSH | C_K: case C_ALU | C_RSH | C_X: s->A >>= src & 31; break;
	case C_JMP | C_JA: s->pc += in.k; break;
	case C_JMP | C_JEQ | C_K: case C_JMP | C_JEQ | C_X: s->pc += s->A == src ? in.jt : in.jf; break;
	case C_JMP | C_JGT | C_K: case C_JMP | C_JGT | C_X: s->pc += s->A > src ? in.jt : in.jf; break;
	case C_JMP | C_JGE | C_K: case C_JMP | C_JGE | C_X: s->pc += s->A >= src ? in.jt : in.jf; break;
	case C_JMP | C_JSET | C_K: case C_JMP | C_JSET | C_X: s->pc += (s->A & src) ? in.jt : in.jf; break;
	case C_RET | C_K: return eval_return(s, in.k);
	case C_RET | C_A: return eval_return(s, s->A);
	default:
		s->err = -1;
		return 1;
	}
	return 0;
}

/*
 * Runs the task's whole stack on the call (nr as the filter sees it, x32
 * flag kept) and combines the results as seccomp_run_filters() does.
 * True and *ret, *filter set; false when a filter has no program copy.
 */
static __noinline bool eval_stack(struct task_struct *task, struct pt_regs *regs, __u32 *ret, __u32 *filter)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct eval_state *s = bpf_map_lookup_elem(&eval_scratch, &cpu);

	if (!s)
		return false;
	read_seccomp_data(task, regs, s->data);
	s->filter = (__u64)BPF_CORE_READ(task, seccomp.filter);
	s->index = 0;
	s->best = SECCOMP_RET_ALLOW_;
	s->best_filter = 0;
	s->err = 0;
	s->done = 0;
	s->single = 0;
	if (!s->filter)
		return false; /* released already (a thread dying of KILL_THREAD) */
	if (!eval_load(s)) {
		count(SCLENS_CNT_EVAL_FAILED);
		return false;
	}
	bpf_loop(EVAL_MAX_STEPS, eval_step, NULL, 0);
	if (s->err || !s->done) {
		count(SCLENS_CNT_EVAL_FAILED);
		return false;
	}
	*ret = s->best;
	*filter = s->best_filter;
	return true;
}

/* Runs one program (the shadow candidate) on the call: its SECCOMP_RET_*
 * in *ret, or false. */
static __noinline bool eval_program(struct task_struct *task, struct pt_regs *regs,
				    const struct sclens_shadow_prog *p, __u32 *ret)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct eval_state *s = bpf_map_lookup_elem(&eval_scratch, &cpu);

	if (!s || !p)
		return false;
	read_seccomp_data(task, regs, s->data);
	if (read_insns(s->insns, p->len, p->insns))
		return false;
	s->len = p->len;
	s->pc = 0;
	s->A = 0;
	s->X = 0;
	s->filter = 0;
	s->index = 0;
	s->best = SECCOMP_RET_ALLOW_;
	s->err = 0;
	s->done = 0;
	s->single = 1;
	bpf_loop(EVAL_MAX_STEPS, eval_step, NULL, 0);
	if (s->err || !s->done)
		return false;
	*ret = s->best;
	return true;
}

/* One word of a cache bitmap, by constant index: a direct (inlined) load
 * where a helper call would cost more than the rest of the hot path. An
 * index past this kernel's bitmap is dead code the verifier drops; numbers
 * past the 512 that vmlinux.h's bitmap holds take the slow, exact path. */
#define CACHE_WORD(f, map, i)                                                        \
	case i:                                                                      \
		if (i < bpf_core_field_size(struct seccomp_filter, cache.map) / 8)  \
			return f->cache.map[i];                                      \
		return 0;

static __always_inline unsigned long cache_word(struct seccomp_filter *f, bool compat, unsigned int idx)
{
	if (compat) {
		switch (idx) {
		CACHE_WORD(f, allow_compat, 0) CACHE_WORD(f, allow_compat, 1) CACHE_WORD(f, allow_compat, 2)
		CACHE_WORD(f, allow_compat, 3) CACHE_WORD(f, allow_compat, 4) CACHE_WORD(f, allow_compat, 5)
		CACHE_WORD(f, allow_compat, 6) CACHE_WORD(f, allow_compat, 7)
		}
		return 0;
	}
	switch (idx) {
	CACHE_WORD(f, allow_native, 0) CACHE_WORD(f, allow_native, 1) CACHE_WORD(f, allow_native, 2)
	CACHE_WORD(f, allow_native, 3) CACHE_WORD(f, allow_native, 4) CACHE_WORD(f, allow_native, 5)
	CACHE_WORD(f, allow_native, 6) CACHE_WORD(f, allow_native, 7)
	}
	return 0;
}

/* Does the newest filter's cache say the whole stack allows nr on this
 * arch whatever the arguments (seccomp_cache_check_allow())? The hot path
 * of the one-hook method: loads only, no helper call. */
static __always_inline bool cache_allows(struct task_struct *task, bool compat, long nr)
{
	struct seccomp_filter *f;

	if (!bpf_core_field_exists(struct seccomp_filter, cache))
		return false;
	/* x32 numbers (bit 30) fall outside too, as in the kernel */
	if (nr < 0 || nr >= 512 || nr >= bpf_core_field_size(struct seccomp_filter, cache.allow_native) * 8)
		return false;
	f = task->seccomp.filter;
	if (!f)
		return false;
	return cache_word(f, compat, nr >> 6) & (1UL << (nr & 63));
}

#endif /* SCLENS_FILTERS_BPF_H */
