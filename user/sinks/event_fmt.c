// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include "containers.h"
#include "decode.h"
#include "event_fmt.h"
#include "fix.h"
#include "sink.h"
#include "replay.h"
#include "names.h"
#include "actions.h"
#include "clock.h"

static void put_time(struct sbuf *b)
{
	char buf[16];
	time_t t = time(NULL);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
	sb_puts(b, buf);
}

static void put_call(struct sbuf *b, const struct sclens_event *e)
{
	const char *name = syscall_name(e->arch, e->nr);

	if (name)
		sb_puts(b, name);
	else
		sb_printf(b, "syscall_%d", syscall_nr_clean(e->arch, e->nr));
	/* as strace shows them, for the calls containers are denied most */
	const char *strs[6];
	event_arg_strings(e, strs);
	decode_args(b, name, (const uint64_t *)e->args, strs);
}

static bool has_errno(const struct sclens_event *e, const struct denial_record *c)
{
	return (e->flags & SCLENS_F_HAS_ERRNO) &&
	       (c->action == SCLENS_ACT_ERRNO || c->action == SCLENS_ACT_USER_NOTIF ||
		c->action == SCLENS_ACT_TRACE);
}

void event_format_plain_header(struct sbuf *b)
{
	sb_printf(b, "%-8s %-24s %-22s %-12s %s", "TIME", "CONTAINER", "COMM[PID]", "ACTION", "CALL = RESULT");
}

/* runc's init ("runc:[2:INIT]") applies the filter, then execs the
 * container's command: a denial there means the container cannot start. */
static bool in_runtime_init(const struct sclens_event *e)
{
	return !strncmp(e->comm, "runc:[", 6) || !strncmp(e->comm, "crun", 4);
}

static void explained_plain(struct sbuf *b, const struct explained *ex)
{
	if (!ex)
		return;
	if (ex->occurrence > 1) {
		sb_puts(b, "  ");
		explanation_summary(b, ex->x, ex->profile, &ex->call);
		sb_printf(b, " (explained above; occurrence %llu)", (unsigned long long)ex->occurrence);
		return;
	}
	sb_putc(b, '\n');
	explanation_plain(b, ex->x, ex->profile, &ex->call, "    ");
	if (b->len && b->s[b->len - 1] == '\n')
		b->s[--b->len] = 0;
}

void explanation_memo_free(struct explanation_memo *m)
{
	sb_free(&m->json);
	m->id = 0;
}

static void explained_object(struct jw *w, const struct explained *ex, struct explanation_memo *memo);

void event_format_explanation(struct sbuf *b, const struct explained *ex)
{
	struct explanation_memo memo = {};
	struct jw w;

	jw_init(&w, b);
	explained_object(&w, ex, &memo);
	explanation_memo_free(&memo);
}

static void explained_object(struct jw *w, const struct explained *ex, struct explanation_memo *memo)
{
	jw_obj_begin(w);
	if (memo->id != ex->id || !memo->json.s) {
		struct jw m;
		sb_reset(&memo->json);
		jw_init(&m, &memo->json);
		jw_obj_begin(&m);
		jw_kv_str(&m, "profile", ex->profile->label);
		jw_kv_str_opt(&m, "profile_runs_as", ex->x->profile_title);
		jw_kv_str_opt(&m, "profile_ref", ex->x->profile_ref);
		explanation_json(&m, ex->x, ex->profile, &ex->call);
		memo->id = ex->id;
	}
	/* the members between the memo's own braces */
	if (memo->json.len >= 2 && !memo->json.oom)
		jw_raw_members(w, memo->json.s + 1, memo->json.len - 1 - (memo->json.s[memo->json.len - 1] == '}'));
	jw_kv_u64(w, "occurrence", ex->occurrence);
	jw_obj_end(w);
}

void event_format_plain(struct sbuf *b, const struct denial_record *c)
{
	const struct sclens_event *e = c->e;
	struct sbuf tmp;
	size_t start;

	sb_init(&tmp);
	put_time(b);
	sb_putc(b, ' ');
	/* the cgroup's last component: container ids live there */
	start = b->len;
	if (c->where)
		sb_put_escaped(b, c->where, strlen(c->where));
	else
		sb_put_escaped(b, e->cgroup_leaf[0] ? e->cgroup_leaf : "/", sizeof(e->cgroup_leaf));
	if (b->len - start > 24 && !b->oom) {
		b->len = start + 23;
		sb_putc(b, '~');
	}
	while (b->len - start < 24)
		sb_putc(b, ' ');
	sb_putc(b, ' ');
	sb_put_escaped(&tmp, e->comm, sizeof(e->comm));
	sb_printf(&tmp, "[%u]", e->pid);
	if (e->tid != e->pid)
		sb_printf(&tmp, "/%u", e->tid);
	sb_printf(b, "%-22s ", tmp.s ? tmp.s : "");
	sb_free(&tmp);
	if (e->type == SCLENS_EV_FILTER_INSTALL) {
		sb_printf(b, "%-12s ", "filter+");
		put_call(b, e);
		sb_printf(b, " = %lld (filter #%u, %u stacked)", (long long)e->ret, c->filter_id,
			  e->filter_count);
		return;
	}
	if (e->type == SCLENS_EV_NOTIFICATION) {
		sb_printf(b, "%-12s ", "notified");
		put_call(b, e);
		sb_printf(b, " = %lld (answered by its supervisor: the call did not run; not a denial)", (long long)e->ret);
		return;
	}
	if (e->type == SCLENS_EV_WOULD_DENY) {
		/* shadow mode: the call ran; the candidate would have denied it */
		sb_printf(b, "%s%-12s%s ", color_on("33"), "would deny", color_off());
		put_call(b, e);
		sb_printf(b, " [the candidate profile: %s", action_name(c->action));
		if (c->action == SCLENS_ACT_ERRNO && errno_name(e->err))
			sb_printf(b, " %s", errno_name(e->err));
		sb_puts(b, "; the call ran]");
		explained_plain(b, c->explained);
		return;
	}
	sb_printf(b, "%s%-12s%s ", color_on("31"), action_name(c->action), color_off());
	put_call(b, e);
	if (has_errno(e, c)) {
		const char *en = errno_name(e->err);
		if (e->err == 0)
			sb_puts(b, " = 0 (ERRNO(0): skipped, reported success)");
		else
			sb_printf(b, " = -1 %s", en ? en : "");
		if (!en && e->err)
			sb_printf(b, "errno %d", e->err);
	} else if (c->action == SCLENS_ACT_KILL_PROCESS || c->action == SCLENS_ACT_KILL_THREAD) {
		/* the filter's action, and what it did: KILL_THREAD on the last
		 * thread ends the process */
		sb_printf(b, " = %s (%s killed%s)", e->flags & SCLENS_F_STRICT ? "SIGKILL" : "SIGSYS",
			  e->flags & SCLENS_F_PROCESS_KILLED ? "process" : "thread",
			  e->flags & SCLENS_F_STRICT ? " by strict mode: only read, write, _exit and sigreturn" : "");
	} else if (c->action == SCLENS_ACT_TRAP) {
		sb_puts(b, " = SIGSYS");
	} else {
		sb_printf(b, " = %lld", (long long)e->ret);
	}
	if (strcmp(arch_name(e->arch, e->nr), "x86_64"))
		sb_printf(b, " [%s]", arch_name(e->arch, e->nr));
	if (c->replay_note)
		sb_printf(b, " [%s]", c->replay_note);
	else if ((e->flags & SCLENS_F_ENOSYS_AMBIGUOUS) && c->action == SCLENS_ACT_ERRNO)
		sb_puts(b, " [or TRACE with no tracer]");
	if (e->type == SCLENS_EV_DENIAL && in_runtime_init(e))
		sb_puts(b, " [in the runtime's init, before the container's command: the container cannot start "
			   "unless the profile allows this call]");
	explained_plain(b, c->explained);
}

void event_format_json(struct sbuf *b, const struct denial_record *c, struct explanation_memo *memo)
{
	const struct sclens_event *e = c->e;
	const char *sc = syscall_name(e->arch, e->nr);
	struct jw w;

	jw_init(&w, b);
	jw_obj_begin(&w);
	jw_kv_str(&w, "type", event_type_name(e->type));
	jw_kv_u64(&w, "ts_ns", e->ts_ns);
	/* ts_ns is CLOCK_MONOTONIC: meaningless off this host, so wall time
	 * and the node's name ride along */
	char when[48];
	event_time_rfc3339(e->ts_ns, when, sizeof(when));
	jw_kv_str(&w, "time", when);
	jw_kv_str(&w, "node", node_name());
	jw_kv_u64(&w, "pid", e->pid);
	jw_kv_u64(&w, "tid", e->tid);
	jw_kv_u64(&w, "ppid", e->ppid);
	jw_kv_u64(&w, "uid", e->uid);
	jw_kv_u64(&w, "gid", e->gid);
	jw_key(&w, "comm");
	jw_strn(&w, e->comm, sizeof(e->comm));
	jw_kv_u64(&w, "cgroup_id", e->cgroup_id);
	jw_kv_str_opt(&w, "cgroup", c->cgroup_path);
	jw_key(&w, "cgroup_leaf");
	jw_strn(&w, e->cgroup_leaf, sizeof(e->cgroup_leaf));
	if (c->container)
		container_json(&w, c->container);
	jw_kv_u64(&w, "mntns", e->mntns);
	jw_kv_u64(&w, "pidns", e->pidns);
	jw_kv_str(&w, "arch", arch_name(e->arch, e->nr));
	jw_kv_i64(&w, "nr", syscall_nr_clean(e->arch, e->nr));
	jw_kv_str(&w, "syscall", sc);
	jw_key(&w, "args");
	jw_arr_begin(&w);
	for (int i = 0; i < 6; i++)
		jw_u64(&w, e->args[i]);
	jw_arr_end(&w);
	jw_kv_u64(&w, "ip", e->ip);
	if (e->str_args) {
		const char *strs[6];
		event_arg_strings(e, strs);
		jw_key(&w, "arg_strings");
		jw_arr_begin(&w);
		for (int i = 0; i < 6; i++) {
			if (!strs[i])
				continue;
			jw_obj_begin(&w);
			jw_kv_i64(&w, "index", i);
			jw_key(&w, "value");
			jw_strn(&w, strs[i], SCLENS_STR_LEN);
			jw_obj_end(&w);
		}
		jw_arr_end(&w);
	}
	if (e->type == SCLENS_EV_NOTIFICATION) {
		jw_kv_str(&w, "action", "user_notif");
		jw_kv_i64(&w, "answer", e->ret);
	}
	if (e->type == SCLENS_EV_WOULD_DENY) {
		jw_kv_str(&w, "action", action_name(c->action));
		if (c->action == SCLENS_ACT_ERRNO) {
			jw_kv_i64(&w, "errno", e->err);
			jw_kv_str(&w, "errno_name", errno_name(e->err));
		} else {
			jw_kv_i64(&w, "action_data", e->err);
		}
	}
	if (e->type == SCLENS_EV_DENIAL) {
		jw_kv_str(&w, "action", action_name(c->action));
		if (has_errno(e, c)) {
			jw_kv_i64(&w, "errno", e->err);
			jw_kv_str(&w, "errno_name", errno_name(e->err));
		}
		if (c->action == SCLENS_ACT_TRAP || c->action == SCLENS_ACT_KILL_PROCESS ||
		    c->action == SCLENS_ACT_KILL_THREAD)
			jw_kv_i64(&w, "action_data", e->err);
		if (c->action == SCLENS_ACT_KILL_PROCESS || c->action == SCLENS_ACT_KILL_THREAD)
			jw_kv_str(&w, "effect", e->flags & SCLENS_F_PROCESS_KILLED ? "process_killed" : "thread_killed");
		/* "filter": the kernel ran the task's filters on the call; "kill":
		 * seccomp's own kill, its filters already released; "strict":
		 * strict mode's kill; "exit": inferred from what the call
		 * returned (no program copy) */
		jw_kv_str(&w, "action_from", e->flags & SCLENS_F_VERDICT	     ? "filter" :
					     e->flags & SCLENS_F_STRICT	     ? "strict" :
					     e->flags & SCLENS_F_KILLED_BY_SECCOMP ? "kill" :
										     "exit");
		if (e->flags & SCLENS_F_ENOSYS_AMBIGUOUS && c->action == SCLENS_ACT_ERRNO && !c->replay)
			jw_kv_bool(&w, "maybe_trace", true);
	}
	jw_kv_i64(&w, "ret", e->ret);
	jw_key(&w, "cap_eff");
	jw_hex(&w, e->cap_eff, 0);
	jw_kv_u64(&w, "filter_id", c->filter_id);
	jw_kv_u64(&w, "filter_count", e->filter_count);
	if (e->flags & SCLENS_F_NOTIF_FILTER)
		jw_kv_bool(&w, "filter_has_listener", true);
	if (e->flags & SCLENS_F_LOG_FILTER)
		jw_kv_bool(&w, "filter_log", true);
	if (e->flags & SCLENS_F_PTRACED)
		jw_kv_bool(&w, "ptraced", true);
	if (e->type == SCLENS_EV_DENIAL && in_runtime_init(e))
		jw_kv_bool(&w, "in_runtime_init", true);
	if (c->replay)
		replay_json(&w, c->replay);
	if (c->explained) {
		jw_key(&w, "explanation");
		explained_object(&w, c->explained, memo);
	}
	jw_obj_end(&w);
}

/* ---- repeats: counted in the kernel, not shown ---- */

static bool repeat_has_errno(const struct sclens_count_key *k)
{
	return k->action == SCLENS_ACT_ERRNO || k->action == SCLENS_ACT_USER_NOTIF;
}

void event_format_repeat_json(struct sbuf *b, const struct repeat_record *r)
{
	const struct sclens_count_key *k = r->key;
	char when[48], num[32];
	struct jw w;

	jw_init(&w, b);
	jw_obj_begin(&w);
	jw_kv_str(&w, "type", "repeat");
	event_time_rfc3339(event_clock_now_ns(), when, sizeof(when));
	jw_kv_str(&w, "time", when);
	jw_kv_str(&w, "node", node_name());
	jw_kv_u64(&w, "cgroup_id", k->cgroup_id);
	if (r->container)
		container_json(&w, r->container);
	jw_kv_str(&w, "arch", arch_name(k->arch, k->nr));
	jw_kv_str(&w, "syscall", count_syscall_name(k->arch, k->nr));
	jw_kv_str(&w, "action", action_name(k->action));
	if (repeat_has_errno(k))
		jw_kv_i64(&w, "errno", k->err);
	jw_kv_u64(&w, "count", r->count);
	jw_kv_u64(&w, "written", r->written);
	snprintf(num, sizeof(num), "%.3f", r->interval_s);
	jw_key(&w, "interval_s");
	jw_raw(&w, num);
	jw_obj_end(&w);
}

void event_format_repeat_plain(struct sbuf *b, const struct repeat_record *r)
{
	const struct sclens_count_key *k = r->key;
	size_t start;

	put_time(b);
	sb_putc(b, ' ');
	start = b->len;
	if (r->container)
		container_label(b, r->container);
	if (b->len - start > 24 && !b->oom) {
		b->len = start + 23;
		sb_putc(b, '~');
	}
	while (b->len - start < 24)
		sb_putc(b, ' ');
	sb_printf(b, " %-22s %-12s %s", "", "repeat", count_syscall_name(k->arch, k->nr));
	sb_printf(b, " %s", action_name(k->action));
	if (repeat_has_errno(k)) {
		const char *en = errno_name(k->err);
		if (en)
			sb_printf(b, " %s", en);
		else
			sb_printf(b, " %d", k->err);
	}
	sb_printf(b, " x %llu more in %.1f s, not shown (the rate limit, or the ring buffer full: counted in the kernel)",
		  (unsigned long long)r->count, r->interval_s);
}
