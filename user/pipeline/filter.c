// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <seccomp.h>
#include "cbpf.h"
#include "actions.h"
#include "filter.h"
#include "seed.h"
#include "names.h"
#include "sclens.h"

#ifndef PTRACE_SECCOMP_GET_FILTER
#define PTRACE_SECCOMP_GET_FILTER 0x420c
#endif
#ifndef PTRACE_SECCOMP_GET_METADATA
#define PTRACE_SECCOMP_GET_METADATA 0x420d
#endif

struct seccomp_metadata_arg {
	uint64_t filter_off;
	uint64_t flags;
};

uint64_t filter_hash(const struct sock_filter *insns, size_t len)
{
	const unsigned char *p = (const unsigned char *)insns;
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	for (size_t i = 0; i < len * sizeof(*insns); i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

int task_tgid(int tid)
{
	char path[64], line[256];
	int tgid = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	f = fopen(path, "re");
	if (!f)
		return -ESRCH;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Tgid: %d", &tgid) == 1)
			break;
	fclose(f);
	return tgid > 0 ? tgid : -ESRCH;
}

/* A zombie or dead task, from /proc/<tid>/stat's state field */
bool filter_task_exited(int tid)
{
	char path[64], buf[512], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", tid);
	f = fopen(path, "re");
	if (!f)
		return true;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	p = strrchr(buf, ')'); /* the command name may hold spaces and parentheses */
	return p && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X');
}

static int read_one(int tid, int index, struct seccomp_prog *p)
{
	long n = ptrace(PTRACE_SECCOMP_GET_FILTER, tid, (void *)(long)index, NULL);
	struct seccomp_metadata_arg md = { .filter_off = index };

	if (n < 0)
		return -errno;
	if (n == 0 || n > CBPF_MAX_INSNS)
		return -EINVAL;
	p->insns = calloc(n, sizeof(*p->insns));
	if (!p->insns)
		return -ENOMEM;
	if (ptrace(PTRACE_SECCOMP_GET_FILTER, tid, (void *)(long)index, p->insns) != n) {
		free(p->insns);
		p->insns = NULL;
		return -EIO;
	}
	p->len = n;
	p->hash = filter_hash(p->insns, p->len);
	if (ptrace(PTRACE_SECCOMP_GET_METADATA, tid, (void *)sizeof(md), &md) > 0)
		p->flags = md.flags;
	return 0;
}

int filter_read_timeout_ms = 3000;

/* Tasks seized and given up on: released as soon as they stop. Used by
 * one thread at a time (the replay thread, or filter dump/eval). */
#define SEIZED_MAX 64
static int seized[SEIZED_MAX];
static int n_seized;

/* The signal a stop holds for the task (a signal-delivery-stop), which a
 * detach must hand back, or 0 (our interrupt's group stop) */
static long stop_signal(int status)
{
	return (status >> 16) != PTRACE_EVENT_STOP ? WSTOPSIG(status) : 0;
}

bool filter_release_seized(void)
{
	for (int i = 0; i < n_seized;) {
		int status;
		pid_t w = waitpid(seized[i], &status, __WALL | WNOHANG);
		if (w == 0 || (w < 0 && errno == EINTR)) {
			i++; /* not stopped yet (or ask again next time) */
			continue;
		}
		if (w > 0 && WIFSTOPPED(status))
			ptrace(PTRACE_DETACH, seized[i], NULL, (void *)stop_signal(status));
		/* detached, exited, or no longer ours (ECHILD): done with it */
		seized[i] = seized[--n_seized];
	}
	return n_seized > 0;
}

static bool still_seized(int tid)
{
	for (int i = 0; i < n_seized; i++)
		if (seized[i] == tid)
			return true;
	return false;
}

int filter_stack_read(int tid, struct filter_stack *s)
{
	int status, err = 0;
	long inject = 0; /* a signal we caught on its way to the task */

	memset(s, 0, sizeof(*s));
	if (filter_release_seized() && still_seized(tid))
		return -EBUSY;
	/* no filter: say so without attaching (and without a misleading EPERM) */
	char status_path[64];
	snprintf(status_path, sizeof(status_path), "/proc/%d/status", tid);
	int mode = seed_task_in_filter_mode(status_path);
	if (mode == -ENOENT)
		return -ESRCH;
	if (mode == 0)
		return -EMEDIUMTYPE;
	if (ptrace(PTRACE_SEIZE, tid, NULL, NULL)) {
		err = -errno;
		/* the kernel refuses exiting tasks with EPERM: say what it is */
		return err == -EPERM && filter_task_exited(tid) ? -ESRCH : err;
	}
	if (ptrace(PTRACE_INTERRUPT, tid, NULL, NULL)) {
		err = -errno;
		goto detach;
	}
	/* wait for the interrupt stop: the task is parked only this long */
	for (int waited_ms = 0;;) {
		pid_t w = waitpid(tid, &status, __WALL | (filter_read_timeout_ms ? WNOHANG : 0));
		if (w == 0) {
			if (waited_ms >= filter_read_timeout_ms) {
				/* still seized: let go once it stops, or at our exit */
				if (n_seized < SEIZED_MAX)
					seized[n_seized++] = tid;
				return -ETIMEDOUT;
			}
			usleep(10000);
			waited_ms += 10;
			continue;
		}
		if (w < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			goto detach;
		}
		if (WIFEXITED(status) || WIFSIGNALED(status))
			return -ESRCH; /* gone while we read: nothing to detach */
		if (WIFSTOPPED(status)) {
			/* a signal-delivery-stop (a TRAP's SIGSYS, say) comes before
			 * our interrupt: the signal must be handed back on detach,
			 * or the task never gets it */
			inject = stop_signal(status);
			break;
		}
	}
	for (int i = 0;; i++) {
		err = filter_stack_reserve(s, i + 1);
		if (err)
			break;
		err = read_one(tid, i, &s->progs[i]);
		if (err == -ENOENT) { /* past the newest filter */
			err = 0;
			break;
		}
		if (err)
			break;
		s->n++;
	}
	if (!err && !s->n)
		err = -EINVAL;
	/* the kernel numbers filters from the oldest (get_nth_filter); we keep
	 * them newest first, the order in which it runs and breaks ties */
	for (int i = 0; i < s->n / 2; i++) {
		struct seccomp_prog t = s->progs[i];
		s->progs[i] = s->progs[s->n - 1 - i];
		s->progs[s->n - 1 - i] = t;
	}
detach:
	if (ptrace(PTRACE_DETACH, tid, NULL, (void *)inject) && !err && errno != ESRCH)
		err = -errno;
	if (err)
		filter_stack_free(s);
	return err;
}

int filter_stack_reserve(struct filter_stack *s, int n)
{
	if (n <= s->cap)
		return 0;
	int cap = s->cap ? s->cap : 4;
	while (cap < n)
		cap *= 2;
	struct seccomp_prog *p = realloc(s->progs, cap * sizeof(*p));
	if (!p)
		return -ENOMEM;
	memset(p + s->cap, 0, (cap - s->cap) * sizeof(*p));
	s->progs = p;
	s->cap = cap;
	return 0;
}

void filter_stack_free(struct filter_stack *s)
{
	/* past n too: a read that failed midway leaves one there */
	for (int i = 0; i < s->cap && !s->borrowed; i++)
		free(s->progs[i].insns);
	free(s->progs);
	memset(s, 0, sizeof(*s));
}

/* kernel/seccomp.c: ACTION_ONLY() as a signed value; lower wins */
static int32_t precedence(uint32_t ret)
{
	return (int32_t)(ret & SECCOMP_RET_ACTION_FULL);
}

void filter_stack_eval(const struct filter_stack *s, const struct seccomp_data *d, struct stack_verdict *v)
{
	v->ret = SECCOMP_RET_ALLOW;
	v->filter = -1;
	v->insn = 0;
	for (int i = 0; i < s->n; i++) {
		size_t pc;
		uint32_t r = cbpf_run(s->progs[i].insns, s->progs[i].len, d, &pc);
		if (precedence(r) < precedence(v->ret)) {
			v->ret = r;
			v->filter = i;
			v->insn = pc;
		}
	}
	if (v->filter < 0 && s->n) {
		/* every filter allowed: the newest one's path is the one shown */
		size_t pc;
		cbpf_run(s->progs[0].insns, s->progs[0].len, d, &pc);
		v->filter = 0;
		v->insn = pc;
	}
}

uint32_t seccomp_ret_to_action(uint32_t ret)
{
	switch (ret & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_KILL_PROCESS: return SCLENS_ACT_KILL_PROCESS;
	case SECCOMP_RET_KILL_THREAD: return SCLENS_ACT_KILL_THREAD;
	case SECCOMP_RET_TRAP: return SCLENS_ACT_TRAP;
	case SECCOMP_RET_ERRNO: return SCLENS_ACT_ERRNO;
	case SECCOMP_RET_USER_NOTIF: return SCLENS_ACT_USER_NOTIF;
	case SECCOMP_RET_TRACE: return SCLENS_ACT_TRACE;
	case SECCOMP_RET_LOG: return SCLENS_ACT_LOG;
	case SECCOMP_RET_ALLOW: return SCLENS_ACT_ALLOW;
	}
	return SCLENS_ACT_KILL_PROCESS; /* unknown actions kill, as the kernel does */
}

const char *seccomp_ret_action(uint32_t ret)
{
	return action_name(seccomp_ret_to_action(ret));
}

static void put_ret(struct sbuf *b, uint32_t k)
{
	uint32_t act = seccomp_ret_to_action(k), data = k & SECCOMP_RET_DATA;

	sb_puts(b, action_name(act));
	if (act == SCLENS_ACT_ERRNO) {
		const char *en = errno_name(data);
		if (en)
			sb_printf(b, "(%s)", en);
		else
			sb_printf(b, "(%u)", data);
	} else if (act == SCLENS_ACT_TRACE || act == SCLENS_ACT_TRAP) {
		sb_printf(b, "(%u)", data);
	}
}

static const char *seccomp_data_field(uint32_t k)
{
	static char buf[32];

	if (k == offsetof(struct seccomp_data, nr)) return "nr";
	if (k == offsetof(struct seccomp_data, arch)) return "arch";
	if (k == offsetof(struct seccomp_data, instruction_pointer)) return "ip_lo";
	if (k == offsetof(struct seccomp_data, instruction_pointer) + 4) return "ip_hi";
	if (k >= offsetof(struct seccomp_data, args) && k < sizeof(struct seccomp_data)) {
		uint32_t off = k - offsetof(struct seccomp_data, args);
		snprintf(buf, sizeof(buf), "arg%u_%s", off / 8, off % 8 ? "hi" : "lo");
		return buf;
	}
	snprintf(buf, sizeof(buf), "%u", k);
	return buf;
}

static const char *audit_arch_label(uint32_t k)
{
	switch (k) {
	case SCMP_ARCH_X86_64: return "x86_64";
	case SCMP_ARCH_X86: return "i386";
	case SCMP_ARCH_AARCH64: return "aarch64";
	case SCMP_ARCH_ARM: return "arm";
	}
	return NULL;
}

void filter_insn_format(struct sbuf *b, const struct sock_filter *f, size_t pc, uint32_t arch_hint, bool nr_loaded)
{
	static const char *const jmp[] = { [BPF_JEQ >> 4] = "jeq", [BPF_JGT >> 4] = "jgt", [BPF_JGE >> 4] = "jge",
					   [BPF_JSET >> 4] = "jset" };
	uint16_t code = f->code;

	switch (BPF_CLASS(code)) {
	case BPF_LD:
		if (BPF_MODE(code) == BPF_ABS)
			sb_printf(b, "ld  [%s]", seccomp_data_field(f->k));
		else if (BPF_MODE(code) == BPF_IMM)
			sb_printf(b, "ld  #%#x", f->k);
		else if (BPF_MODE(code) == BPF_MEM)
			sb_printf(b, "ld  M[%u]", f->k);
		else
			sb_puts(b, "ld  len");
		break;
	case BPF_LDX:
		sb_printf(b, BPF_MODE(code) == BPF_MEM ? "ldx M[%u]" : "ldx #%#x", f->k);
		break;
	case BPF_ST: sb_printf(b, "st  M[%u]", f->k); break;
	case BPF_STX: sb_printf(b, "stx M[%u]", f->k); break;
	case BPF_ALU:
		sb_printf(b, "alu %#x %s%#x", BPF_OP(code), BPF_SRC(code) == BPF_X ? "x " : "#", f->k);
		break;
	case BPF_JMP:
		if (BPF_OP(code) == BPF_JA) {
			sb_printf(b, "ja  %zu", pc + 1 + f->k);
			break;
		}
		sb_printf(b, "%-4s", BPF_OP(code) >> 4 < 5 && jmp[BPF_OP(code) >> 4] ? jmp[BPF_OP(code) >> 4] : "j?");
		if (BPF_SRC(code) == BPF_X) {
			sb_puts(b, "x");
		} else {
			sb_printf(b, "#%#x", f->k);
			const char *an = audit_arch_label(f->k);
			if (!nr_loaded && an && BPF_OP(code) == BPF_JEQ)
				sb_printf(b, " (%s)", an);
			else if (nr_loaded && BPF_OP(code) == BPF_JEQ) {
				const char *sn = syscall_name(arch_hint, (int32_t)f->k);
				if (sn)
					sb_printf(b, " (%s)", sn);
			}
		}
		sb_printf(b, " jt %zu jf %zu", pc + 1 + f->jt, pc + 1 + f->jf);
		break;
	case BPF_RET:
		sb_puts(b, "ret ");
		if (BPF_RVAL(code) == BPF_A)
			sb_puts(b, "A");
		else
			put_ret(b, f->k);
		break;
	case BPF_MISC:
		sb_puts(b, BPF_MISCOP(code) == BPF_TAX ? "tax" : "txa");
		break;
	}
}

/* The arches a program checks for (constants of jeq after ld [arch]). */
static int program_arches(const struct seccomp_prog *p, uint32_t *out, int max)
{
	int n = 0;
	bool arch_loaded = false;

	for (size_t i = 0; i < p->len; i++) {
		const struct sock_filter *f = &p->insns[i];
		if (f->code == (BPF_LD | BPF_W | BPF_ABS))
			arch_loaded = f->k == offsetof(struct seccomp_data, arch);
		if (arch_loaded && f->code == (BPF_JMP | BPF_JEQ | BPF_K) && audit_arch_label(f->k)) {
			bool dup = false;
			for (int k = 0; k < n; k++)
				dup |= out[k] == f->k;
			if (!dup && n < max)
				out[n++] = f->k;
		}
	}
	return n;
}

/* The result of a program for one call: with zero and all-ones arguments,
 * so that argument-dependent calls show up. */
struct call_result {
	int raw_nr;
	uint32_t r0, r1;
};

/* w: the JSON writer in JSON mode, NULL for the plain form into b */
static void put_call_result(struct sbuf *b, struct jw *w, const char *name, const struct call_result *c)
{
	if (w) {
		jw_obj_begin(w);
		jw_kv_str(w, "name", name);
		jw_kv_str(w, "action", seccomp_ret_action(c->r0));
		if ((c->r0 & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO)
			jw_kv_u64(w, "errno", c->r0 & SECCOMP_RET_DATA);
		if (c->r0 != c->r1)
			jw_kv_bool(w, "depends_on_args", true);
		jw_obj_end(w);
		return;
	}
	sb_printf(b, "    %-24s ", name);
	put_ret(b, c->r0);
	if (c->r0 != c->r1)
		sb_puts(b, "  (depends on arguments)");
	sb_putc(b, '\n');
}

/* Per arch the filter checks: the result most calls get (its default, in
 * effect), then every call that gets something else. */
static void summarize(struct sbuf *b, struct jw *w, const struct filter_stack *s, int idx)
{
	const struct seccomp_prog *p = &s->progs[idx];
	uint32_t arches[8];
	int na = program_arches(p, arches, 8);
	static struct call_result res[1024];

	if (w) {
		jw_key(w, "summary");
		jw_arr_begin(w);
	}
	for (int a = 0; a < na; a++) {
		/* the x86_64 arch value also carries x32 numbers */
		for (int x32 = 0; x32 <= (arches[a] == SCMP_ARCH_X86_64); x32++) {
			uint32_t token = x32 ? SCMP_ARCH_X32 : arches[a];
			int n = 0, best = 0, shown = 0;
			uint32_t common = SECCOMP_RET_ALLOW;

			for (int nr = 0; nr < 1024; nr++) {
				int raw = x32 ? nr | (int)SCLENS_X32_SYSCALL_BIT : nr;
				char *name = seccomp_syscall_resolve_num_arch(token, raw);
				struct seccomp_data d = { .nr = raw, .arch = arches[a] };
				if (!name)
					continue;
				free(name);
				res[n].raw_nr = raw;
				res[n].r0 = cbpf_run(p->insns, p->len, &d, NULL);
				for (int k = 0; k < 6; k++)
					d.args[k] = ~0ULL;
				res[n].r1 = cbpf_run(p->insns, p->len, &d, NULL);
				n++;
			}
			for (int i = 0; i < n; i++) {
				int cnt = 0;
				for (int k = 0; k < n; k++)
					cnt += res[k].r0 == res[i].r0 && res[k].r0 == res[k].r1;
				if (cnt > best) {
					best = cnt;
					common = res[i].r0;
				}
			}
			const char *label = x32 ? "x32" : audit_arch_label(arches[a]);
			if (w) {
				jw_obj_begin(w);
				jw_kv_str(w, "arch", label);
				jw_kv_str(w, "most_calls", seccomp_ret_action(common));
				jw_kv_i64(w, "calls", n);
				jw_key(w, "others");
				jw_arr_begin(w);
			} else {
				sb_printf(b, "  %s: %d of %d calls ", label, best, n);
				put_ret(b, common);
				sb_puts(b, best == n ? "\n" : "; the others:\n");
			}
			for (int i = 0; i < n; i++) {
				if (res[i].r0 == common && res[i].r1 == common)
					continue;
				char *name = seccomp_syscall_resolve_num_arch(token, res[i].raw_nr);
				put_call_result(b, w, name ? name : "?", &res[i]);
				free(name);
				shown++;
			}
			if (w) {
				jw_arr_end(w);
				jw_obj_end(w);
			}
		}
	}
	if (w)
		jw_arr_end(w);
}

void filter_stack_dump(struct sbuf *b, const struct filter_stack *s, bool json, bool insns)
{
	struct jw jw, *w = json ? &jw : NULL;

	if (w) {
		jw_init(w, b);
		jw_obj_begin(w);
		jw_kv_str(w, "type", "filter_dump");
		jw_key(w, "filters");
		jw_arr_begin(w);
	}
	for (int i = 0; i < s->n; i++) {
		const struct seccomp_prog *p = &s->progs[i];
		uint32_t arch_hint = SCMP_ARCH_X86_64;
		bool nr_loaded = false;

		if (w) {
			jw_obj_begin(w);
			jw_kv_i64(w, "index", i + 1); /* from 1, newest first: as the text and watch's replay count */
			jw_kv_u64(w, "insns", p->len);
			jw_key(w, "id");
			jw_hex(w, p->hash, 16);
			jw_kv_bool(w, "log", p->flags & SECCOMP_FILTER_FLAG_LOG);
			jw_key(w, "program");
			jw_arr_begin(w);
		} else
			sb_printf(b, "filter %d of %d (%s): %zu instructions, id %016llx%s\n", i + 1, s->n,
				  i == 0 ? "newest" : i == s->n - 1 ? "oldest" : "stacked", p->len,
				  (unsigned long long)p->hash, p->flags & SECCOMP_FILTER_FLAG_LOG ? ", LOG flag" : "");
		/* people read the summary first; the instructions on request */
		if (!w)
			summarize(b, NULL, s, i);
		for (size_t pc = 0; insns && pc < p->len; pc++) {
			const struct sock_filter *f = &p->insns[pc];
			struct sbuf line;
			sb_init(&line);
			filter_insn_format(&line, f, pc, arch_hint, nr_loaded);
			if (w) {
				jw_strn(w, line.s ? line.s : "", line.len);
			} else {
				sb_printf(b, "  %4zu: %s\n", pc, line.s ? line.s : "");
			}
			sb_free(&line);
			if (f->code == (BPF_LD | BPF_W | BPF_ABS))
				nr_loaded = f->k == offsetof(struct seccomp_data, nr);
			/* after "jeq #ARCH jt X": the instructions on the true path see that arch */
			if (!nr_loaded && f->code == (BPF_JMP | BPF_JEQ | BPF_K) && audit_arch_label(f->k))
				arch_hint = f->k;
		}
		if (w) {
			jw_arr_end(w);
			summarize(b, w, s, i);
		}
		if (w)
			jw_obj_end(w);
	}
	if (w) {
		jw_arr_end(w);
		jw_obj_end(w);
	}
}
