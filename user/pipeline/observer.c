// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include "observer.h"
#include "filter.h"
#include "seed.h"
#include "sclens.skel.h"
#include "array.h"

struct filter_slot {
	uint64_t key;
	uint32_t id;
};

struct observer {
	struct sclens_bpf *skel;
	struct ring_buffer *rb;
	observer_event_fn fn;
	void *arg;
	observer_filter_fn filter_fn;
	void *filter_arg;
	int method;
	struct filter_slot *filters;
	size_t filters_cap, filters_len;
	uint32_t next_filter_id;
	char method_note[160]; /* why auto did not choose fexit, if it did not */
};

static bool verbose_libbpf;
static bool quiet_libbpf; /* while trying a method that may be refused */

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (quiet_libbpf || (level == LIBBPF_DEBUG && !verbose_libbpf))
		return 0;
	if (!verbose_libbpf && level != LIBBPF_WARN)
		return 0;
	return vfprintf(stderr, fmt, args);
}

static bool has_cap(int cap)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = {};

	if (syscall(SYS_capget, &h, d))
		return false;
	return d[cap / 32].effective & (1U << (cap % 32));
}

bool observer_has_cap(int cap)
{
	return has_cap(cap);
}

/* Does the kernel offer this helper to raw tracepoint programs? The
 * environment can say no for a helper ($SCLENS_TEST_MISSING_HELPERS, a
 * comma list of names), so that the tests reach the refusal an old
 * kernel gets. */
static bool helper_available(enum bpf_func_id id, const char *name)
{
	const char *fake = getenv("SCLENS_TEST_MISSING_HELPERS");
	size_t len = strlen(name);

	for (const char *p = fake; p && (p = strstr(p, name)); p += len)
		if ((p == fake || p[-1] == ',') && (p[len] == ',' || p[len] == 0))
			return false;
	return libbpf_probe_bpf_helper(BPF_PROG_TYPE_RAW_TRACEPOINT, id, NULL) == 1;
}

int observer_preflight(void)
{
	if (!has_cap(CAP_SYS_ADMIN) && !(has_cap(39 /* CAP_BPF */) && has_cap(CAP_PERFMON))) {
		fprintf(stderr, "sclens: loading BPF programs needs root or CAP_BPF+CAP_PERFMON; run with sudo\n");
		return -EPERM;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		fprintf(stderr, "sclens: /sys/kernel/btf/vmlinux is missing: this kernel lacks BTF "
				"(CONFIG_DEBUG_INFO_BTF=y), which sclens needs for CO-RE\n");
		return -ENOENT;
	}
	/* every helper the programs that always load call, probed before
	 * load so that an old kernel gets a plain message, not a verifier
	 * log: the newest, bpf_loop, is Linux 5.17 */
	static const struct {
		enum bpf_func_id id;
		const char *name, *kernel;
	} helpers[] = {
		{ BPF_FUNC_task_pt_regs, "bpf_task_pt_regs", "5.15" },
		{ BPF_FUNC_task_storage_get, "bpf_task_storage_get", "5.11" },
		{ BPF_FUNC_ringbuf_reserve, "bpf_ringbuf_reserve", "5.8" },
		{ BPF_FUNC_get_current_task_btf, "bpf_get_current_task_btf", "5.11" },
		{ BPF_FUNC_loop, "bpf_loop", "5.17" },
	};
	for (size_t i = 0; i < sizeof(helpers) / sizeof(helpers[0]); i++) {
		if (helper_available(helpers[i].id, helpers[i].name))
			continue;
		fprintf(stderr, "sclens: this kernel lacks the BPF helper %s (Linux %s): sclens needs "
				"Linux 5.17 or later with BTF\n", helpers[i].name, helpers[i].kernel);
		return -EOPNOTSUPP;
	}
	if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) < 0 && errno == EINVAL) {
		fprintf(stderr, "sclens: this kernel has no seccomp support (CONFIG_SECCOMP): "
				"there is nothing to observe\n");
		return -ENOSYS;
	}
	return 0;
}

static void observer_filter_forget(struct observer *o, uint64_t key);

/* Threads get ids up to pid_max; the in-syscall map has a byte for each. */
static unsigned int pid_max(void)
{
	FILE *f = fopen("/proc/sys/kernel/pid_max", "re");
	unsigned int v = 0;

	if (f) {
		if (fscanf(f, "%u", &v) != 1)
			v = 0;
		fclose(f);
	}
	/* PID_MAX_LIMIT is 4194304 on 64-bit */
	return v && v <= 4194304 ? v : 4194304;
}

static int on_ringbuf(void *ctx, void *data, size_t size)
{
	struct observer *o = ctx;

	const struct sclens_event *e = data;

	if (size == sizeof(struct sclens_filter_rec)) {
		if (o->filter_fn)
			o->filter_fn(data, o->filter_arg);
		return 0;
	}
	if (size < sizeof(struct sclens_event))
		return 0;
	/* kernel addresses are reused once a filter is freed: a new filter
	 * at an old address is a new filter */
	if (e->type == SCLENS_EV_FILTER_INSTALL)
		observer_filter_forget(o, e->filter_key);
	return o->fn(data, o->arg);
}

/* Does struct s of the kernel's BTF have member m? */
static bool btf_has_member(const struct btf *btf, const char *s, const char *m)
{
	int id = btf__find_by_name_kind(btf, s, BTF_KIND_STRUCT);
	const struct btf_type *t;
	const struct btf_member *mem;

	if (id < 0)
		return false;
	t = btf__type_by_id(btf, id);
	mem = btf_members(t);
	for (int i = 0; i < btf_vlen(t); i++, mem++)
		if (!strcmp(btf__name_by_offset(btf, mem->name_off), m))
			return true;
	return false;
}

bool observer_one_hook_supported(void)
{
	struct btf *btf = btf__load_vmlinux_btf();
	bool ok;

	if (!btf)
		return false;
	/* the verdict cache (5.11+, arches with SECCOMP_ARCH_NATIVE, which
	 * also keep every filter's orig_prog) */
	ok = btf_has_member(btf, "seccomp_filter", "cache") && btf_has_member(btf, "bpf_prog", "orig_prog");
	btf__free(btf);
	return ok;
}

/* The entry points of seccomp(2) and prctl(2), native then compat, in the
 * order of the fexit install programs; NULL where the arch has none of its
 * own (arm64's compat table calls the native ones). */
#if defined(__x86_64__)
static const char *const install_functions[4] = { "__x64_sys_seccomp", "__x64_sys_prctl", "__ia32_sys_seccomp",
						  "__ia32_sys_prctl" };
#elif defined(__aarch64__)
static const char *const install_functions[4] = { "__arm64_sys_seccomp", "__arm64_sys_prctl", NULL, NULL };
#else
static const char *const install_functions[4] = { NULL, NULL, NULL, NULL };
#endif

static bool btf_has_func(const struct btf *btf, const char *name)
{
	return name && btf__find_by_name_kind(btf, name, BTF_KIND_FUNC) > 0;
}

bool observer_fexit_supported(void)
{
	struct btf *btf = btf__load_vmlinux_btf();
	bool ok;

	if (!btf)
		return false;
	/* the decision itself, and the entry points that install filters;
	 * whether the kernel lets tracing programs attach is only known by
	 * trying (observer_open) */
	ok = btf_has_func(btf, "__seccomp_filter") && btf_has_func(btf, install_functions[0]) &&
	     btf_has_func(btf, install_functions[1]) && observer_one_hook_supported();
	btf__free(btf);
	return ok;
}

const char *observer_method_name(int method)
{
	switch (method) {
	case SCLENS_METHOD_FEXIT: return "fexit";
	case SCLENS_METHOD_ONE_HOOK: return "one_hook";
	}
	return "two_hooks";
}

int observer_method_parse(const char *s)
{
	if (!strcmp(s, "auto"))
		return -1;
	if (!strcmp(s, "fexit"))
		return SCLENS_METHOD_FEXIT;
	if (!strcmp(s, "one-hook"))
		return SCLENS_METHOD_ONE_HOOK;
	if (!strcmp(s, "two-hooks"))
		return SCLENS_METHOD_TWO_HOOKS;
	return -2;
}

void observer_on_filter(struct observer *o, observer_filter_fn fn, void *arg)
{
	o->filter_fn = fn;
	o->filter_arg = arg;
}

/* Which programs a method loads: the fexit ones, sys_exit alone, or
 * sys_enter and sys_exit; the SIGSYS and exit hooks in every method. */
static void choose_programs(struct sclens_bpf *skel, int method)
{
	bool fexit = method == SCLENS_METHOD_FEXIT, one = method == SCLENS_METHOD_ONE_HOOK;
	struct bpf_program *installs[4] = { skel->progs.handle_install_seccomp, skel->progs.handle_install_prctl,
					     skel->progs.handle_install_seccomp_compat,
					     skel->progs.handle_install_prctl_compat };
	struct btf *btf = fexit ? btf__load_vmlinux_btf() : NULL;

	bpf_program__set_autoload(skel->progs.handle_seccomp_fexit, fexit);
	for (int i = 0; i < 4; i++) {
		bool load = fexit && btf_has_func(btf, install_functions[i]);

		bpf_program__set_autoload(installs[i], load);
		if (load)
			bpf_program__set_attach_target(installs[i], 0, install_functions[i]);
	}
	btf__free(btf);
	bpf_program__set_autoload(skel->progs.handle_sys_exit_cached, one);
	bpf_program__set_autoload(skel->progs.handle_sys_enter, !one && !fexit);
	bpf_program__set_autoload(skel->progs.handle_sys_exit, !one && !fexit);
}

/* Opens, sizes, loads and attaches the programs of o->method. */
static int observer_load(struct observer *o, const struct observer_filters *f, bool quiet)
{
	int err;

	o->skel = sclens_bpf__open();
	if (!o->skel) {
		err = -errno;
		fprintf(stderr, "sclens: cannot open the BPF object: %s\n", strerror(-err));
		return err;
	}
	o->skel->rodata->targ_tgid = f->tgid;
	o->skel->rodata->targ_nr = f->nr;
	o->skel->rodata->targ_nr_compat = f->nr >= 0 ? f->nr_compat : -1;
	if (f->comm) {
		o->skel->rodata->filter_comm = true;
		strncpy((char *)o->skel->rodata->targ_comm, f->comm, SCLENS_COMM_LEN - 1);
	}
	o->skel->rodata->filter_cgroup = f->cgroup_filter || f->n_cgroups > 0;
	o->skel->rodata->undecided_cgroups_pass = f->undecided_cgroups_pass;
	choose_programs(o->skel, o->method);
	o->skel->rodata->read_filters = !f->no_kernel_filters;
	bpf_program__set_autoload(o->skel->progs.read_task_filters, false); /* filter dump's */
	bpf_program__set_autoload(o->skel->progs.handle_record_enter, f->record);
	bpf_program__set_autoload(o->skel->progs.handle_shadow_enter, f->shadow);
	o->skel->rodata->record_ioctl = f->record_ioctl;
	/* GCRA: one event per interval, the burst as a head start */
	if (f->events_per_s) {
		uint64_t interval = 1000000000ULL / f->events_per_s;
		o->skel->rodata->event_interval_ns = interval ? interval : 1;
		o->skel->rodata->event_burst_ns = (uint64_t)(f->events_burst ? f->events_burst - 1 : 0) * interval;
	}
	bpf_program__set_autoload(o->skel->progs.bench_floor, f->bench_floor || f->bench_floor_only);
	bpf_program__set_autoload(o->skel->progs.bench_early_return, f->bench_floor);
	bpf_program__set_autoload(o->skel->progs.bench_fexit_floor, f->bench_fexit_floor);
	bpf_program__set_autoload(o->skel->progs.bench_floor_enter, false);
	if (f->bench_floor_only || f->bench_fexit_floor_only || f->bench_hooks_floor_only) {
		struct bpf_program *prog, *floor = f->bench_fexit_floor_only ? o->skel->progs.bench_fexit_floor
									     : o->skel->progs.bench_floor;
		bpf_object__for_each_program(prog, o->skel->obj)
			bpf_program__set_autoload(prog, prog == floor || (f->bench_hooks_floor_only &&
									  prog == o->skel->progs.bench_floor_enter));
	}
	err = bpf_map__set_max_entries(o->skel->maps.in_syscall, (pid_max() + 7) / 8);
	if (!err)
		err = bpf_map__set_max_entries(o->skel->maps.eval_scratch, libbpf_num_possible_cpus());
	if (!err)
		err = bpf_map__set_max_entries(o->skel->maps.events, (f->buffer_mb ? f->buffer_mb : 16) << 20);
	if (err) {
		fprintf(stderr, "sclens: cannot size the BPF maps: %s\n", strerror(-err));
		return err;
	}

	/* libbpf's own lines for a refused fexit load ("raise ulimit -l")
	 * mislead: our message says what happened; -v shows them */
	bool was_quiet = quiet_libbpf;
	if (o->method == SCLENS_METHOD_FEXIT && !verbose_libbpf)
		quiet_libbpf = true;
	err = sclens_bpf__load(o->skel);
	quiet_libbpf = was_quiet;
	if (err && quiet)
		return err;
	if (err) {
		if (o->method == SCLENS_METHOD_FEXIT)
			fprintf(stderr, "sclens: the kernel refused the fexit programs (%s): it does not let "
					"tracing programs load here; --method auto (the default) falls back to a tracepoint; "
					"-v shows the verifier's log\n",
				strerror(-err));
		else
			fprintf(stderr, "sclens: the kernel refused the BPF programs (%s); run with -v for "
					"the verifier's log\n", strerror(-err));
		return err;
	}
	for (int i = 0; i < f->n_cgroups; i++) {
		err = observer_cgroup_filter_set(o, f->cgroups[i], true);
		if (err)
			return err;
	}
	err = sclens_bpf__attach(o->skel);
	if (err && !quiet) {
		fprintf(stderr, "sclens: cannot attach the %s programs (%s)\n", observer_method_name(o->method),
			strerror(-err));
	}
	return err;
}

int observer_open(struct observer **out, const struct observer_filters *f, bool verbose,
		  observer_event_fn fn, void *arg)
{
	struct observer *o;
	bool auto_method;
	int err;

	verbose_libbpf = verbose;
	libbpf_set_print(libbpf_print);
	o = calloc(1, sizeof(*o));
	if (!o)
		return -ENOMEM;
	o->fn = fn;
	o->arg = arg;
	o->next_filter_id = 1;

	o->method = f->method;
	/* the environment chooses when the command line did not (tests run
	 * every case under every method this way) */
	const char *env = getenv("SCLENS_METHOD");
	if (o->method == -1 && env && *env && (o->method = observer_method_parse(env)) == -2) {
		fprintf(stderr, "sclens: SCLENS_METHOD takes auto, fexit, one-hook or two-hooks, not '%s'\n", env);
		err = -EINVAL;
		goto fail;
	}
	auto_method = o->method < 0;
	if (o->method == SCLENS_METHOD_FEXIT && !observer_fexit_supported()) {
		fprintf(stderr, "sclens: the fexit method needs __seccomp_filter and the seccomp and prctl "
				"entry points in the kernel's BTF, and the verdict cache (Linux 5.11+); "
				"this kernel lacks one of them\n");
		err = -EOPNOTSUPP;
		goto fail;
	}
	if (o->method == SCLENS_METHOD_ONE_HOOK && !observer_one_hook_supported()) {
		fprintf(stderr, "sclens: this kernel has no seccomp verdict cache readable from BPF: "
				"the one-hook method needs Linux 5.11 or later on x86_64, arm64, s390 or riscv\n");
		err = -EOPNOTSUPP;
		goto fail;
	}
	if (auto_method && observer_fexit_supported()) {
		/* the kernel alone knows whether it lets tracing programs
		 * attach (lockdown, a kernel built without direct calls): try,
		 * quietly, and fall back to a tracepoint saying why */
		o->method = SCLENS_METHOD_FEXIT;
		quiet_libbpf = !verbose;
		err = observer_load(o, f, !verbose);
		quiet_libbpf = false;
		if (!err)
			goto loaded;
		/* 524 is the kernel's own ENOTSUPP (no trampolines on this arch
		 * or kernel, such as arm64 before 6.4), which libc cannot name */
		snprintf(o->method_note, sizeof(o->method_note), "fexit refused by this kernel (%s)",
			 -err == 524 ? "tracing programs cannot attach here: ENOTSUPP" : strerror(-err));
		sclens_bpf__destroy(o->skel);
		o->skel = NULL;
	} else if (auto_method) {
		snprintf(o->method_note, sizeof(o->method_note), "fexit unavailable: no __seccomp_filter or "
			 "syscall entry points in the kernel's BTF");
	}
	if (auto_method)
		o->method = observer_one_hook_supported() ? SCLENS_METHOD_ONE_HOOK : SCLENS_METHOD_TWO_HOOKS;
	err = observer_load(o, f, false);
	if (err)
		goto fail;
loaded:
	/* after attaching, so that no thread falls between the two; the
	 * other methods need no history */
	err = o->method == SCLENS_METHOD_TWO_HOOKS ? seed_filtered_threads(bpf_map__fd(o->skel->maps.seed_tids)) : 0;
	if (err < 0)
		fprintf(stderr, "sclens: warning: cannot scan /proc for filtered threads (%s); "
				"threads blocked since before start may be missed\n", strerror(-err));
	o->rb = ring_buffer__new(bpf_map__fd(o->skel->maps.events), on_ringbuf, o, NULL);
	if (!o->rb) {
		err = -errno;
		fprintf(stderr, "sclens: cannot open the ring buffer: %s\n", strerror(-err));
		goto fail;
	}
	*out = o;
	return 0;
fail:
	observer_close(o);
	return err ? err : -EINVAL;
}

const char *observer_method(const struct observer *o)
{
	return observer_method_name(o->method);
}

const char *observer_method_note(const struct observer *o)
{
	return o->method_note[0] ? o->method_note : NULL;
}

int observer_cgroup_filter_set(struct observer *o, uint64_t cgid, bool report)
{
	__u8 v = report;
	int fd = bpf_map__fd(o->skel->maps.cgroup_filter);
	/* libbpf 1.x returns -errno itself: no errno read after a print */
	int err = bpf_map_update_elem(fd, &cgid, &v, BPF_ANY);

	if (err) {
		err = err < 0 ? err : -EIO;
		fprintf(stderr, "sclens: cannot update the cgroup filter: %s\n", strerror(-err));
		return err;
	}
	return 0;
}

int observer_poll(struct observer *o, int timeout_ms)
{
	return ring_buffer__poll(o->rb, timeout_ms);
}

int observer_wait(struct observer *o, int timeout_ms)
{
	struct epoll_event ev;
	int n = epoll_wait(ring_buffer__epoll_fd(o->rb), &ev, 1, timeout_ms);

	return n < 0 ? -errno : n;
}

int observer_consume(struct observer *o)
{
	return ring_buffer__consume(o->rb);
}

int observer_counts(struct observer *o, struct observer_counts *c)
{
	int ncpu = libbpf_num_possible_cpus();
	int fd = bpf_map__fd(o->skel->maps.counters);
	uint64_t sums[SCLENS_CNT_MAX] = {};
	uint64_t *vals;

	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	vals = calloc(ncpu, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	for (__u32 k = 0; k < SCLENS_CNT_MAX; k++) {
		if (bpf_map_lookup_elem(fd, &k, vals))
			continue;
		for (int i = 0; i < ncpu; i++)
			sums[k] += vals[i];
	}
	free(vals);
	c->denials = sums[SCLENS_CNT_DENIALS];
	c->emitted = sums[SCLENS_CNT_EMITTED];
	c->lost = sums[SCLENS_CNT_LOST];
	c->filter_installs = sums[SCLENS_CNT_FILTER_INSTALLS];
	c->count_overflow = sums[SCLENS_CNT_COUNT_OVERFLOW];
	c->filters_captured = sums[SCLENS_CNT_FILTERS_CAPTURED];
	c->filters_lost = sums[SCLENS_CNT_FILTERS_LOST];
	c->eval_failed = sums[SCLENS_CNT_EVAL_FAILED];
	c->method = observer_method_name(o->method);
	c->record_overflow = sums[SCLENS_CNT_RECORD_OVERFLOW];
	c->record_args_overflow = sums[SCLENS_CNT_RECORD_ARGS_OVERFLOW];
	c->suppressed = sums[SCLENS_CNT_SUPPRESSED];
	return 0;
}

int observer_shadow_program(struct observer *o, int slot, const struct sock_filter *insns, size_t len)
{
	static struct sclens_shadow_prog p; /* 32 KiB */
	__u32 key = slot;
	int err;

	if (slot < 0 || slot >= SCLENS_SHADOW_SLOTS)
		return -EINVAL;
	if (!len || len > SCLENS_FILTER_MAX_INSNS)
		return -E2BIG;
	memset(&p, 0, sizeof(p));
	p.len = len;
	memcpy(p.insns, insns, len * sizeof(p.insns[0]));
	err = bpf_map_update_elem(bpf_map__fd(o->skel->maps.shadow_prog), &key, &p, BPF_ANY);
	return err < 0 ? err : err ? -EIO : 0;
}

int observer_shadow_cgroup(struct observer *o, uint64_t cgid, int slot)
{
	__u8 v = slot < 0 ? 0 : slot + 1;
	int err = bpf_map_update_elem(bpf_map__fd(o->skel->maps.shadow_cgroups), &cgid, &v, BPF_ANY);

	return err < 0 ? err : err ? -EIO : 0;
}

int observer_record_decide(struct observer *o, uint64_t cgid, bool record)
{
	__u8 v = record ? SCLENS_RECORD_YES : SCLENS_RECORD_NO;
	int err = bpf_map_update_elem(bpf_map__fd(o->skel->maps.record_cgroups), &cgid, &v, BPF_ANY);

	return err < 0 ? err : err ? -EIO : 0;
}

int observer_record_undecide(struct observer *o, uint64_t cgid)
{
	int err = bpf_map_delete_elem(bpf_map__fd(o->skel->maps.record_cgroups), &cgid);

	return err && errno != ENOENT ? -errno : 0;
}

/* Walks a hash map of u64 values: fn(key, value, arg) for each, until fn
 * returns non-zero. How many, or a negative errno. */
static int walk_counts(int fd, size_t key_size, int (*fn)(const void *k, uint64_t n, void *arg), void *arg)
{
	char key[64], next[64];
	int err, n = 0;
	__u64 v;

	for (err = bpf_map_get_next_key(fd, NULL, next); !err; err = bpf_map_get_next_key(fd, key, next)) {
		memcpy(key, next, key_size);
		if (bpf_map_lookup_elem(fd, key, &v))
			continue; /* removed meanwhile */
		n++;
		if (fn(key, v, arg))
			break;
	}
	return err && err != -ENOENT ? err : n;
}

int observer_denial_counts(struct observer *o, observer_count_fn fn, void *arg)
{
	int fd = bpf_map__fd(o->skel->maps.count_budgets), err, n;
	struct sclens_count_budget b;
	__u64 cgid, next;

	n = walk_counts(bpf_map__fd(o->skel->maps.denial_counts), sizeof(struct sclens_count_key),
			(int (*)(const void *, uint64_t, void *))fn, arg);
	if (n < 0)
		return n;
	/* each cgroup's denials past its budget: one row of its own */
	for (err = bpf_map_get_next_key(fd, NULL, &next); !err; err = bpf_map_get_next_key(fd, &cgid, &next)) {
		cgid = next;
		if (bpf_map_lookup_elem(fd, &cgid, &b) || !b.over)
			continue;
		struct sclens_count_key k = { .cgroup_id = cgid, .nr = SCLENS_COUNT_NR_OVER_BUDGET,
					      .action = SCLENS_ACT_UNKNOWN };
		n++;
		if (fn(&k, b.over, arg))
			break;
	}
	return n;
}

int observer_denial_unsent(struct observer *o, const struct sclens_count_key *k, uint64_t *n)
{
	__u64 v;

	if (bpf_map_lookup_elem(bpf_map__fd(o->skel->maps.denial_unsent), k, &v))
		return -ENOENT;
	*n = v;
	return 0;
}

uint64_t observer_cgroup_suppressed(struct observer *o, uint64_t cgid)
{
	struct sclens_count_budget b;

	return bpf_map_lookup_elem(bpf_map__fd(o->skel->maps.count_budgets), &cgid, &b) ? 0 : b.suppressed;
}

int observer_record_counts(struct observer *o, observer_rec_fn fn, void *arg)
{
	return walk_counts(bpf_map__fd(o->skel->maps.record_counts), sizeof(struct sclens_rec_key),
			   (int (*)(const void *, uint64_t, void *))fn, arg);
}

int observer_record_args(struct observer *o, observer_rec_arg_fn fn, void *arg)
{
	return walk_counts(bpf_map__fd(o->skel->maps.record_args), sizeof(struct sclens_rec_arg_key),
			   (int (*)(const void *, uint64_t, void *))fn, arg);
}

/* Deletes the keys of a map whose first 8 bytes are cgid */
static int forget_cgroup(int fd, size_t key_size, uint64_t cgid)
{
	char key[64], next[64];
	char (*del)[64] = NULL;
	int err, n = 0, cap = 0;

	for (err = bpf_map_get_next_key(fd, NULL, next); !err; err = bpf_map_get_next_key(fd, key, next)) {
		memcpy(key, next, key_size);
		if (memcmp(key, &cgid, sizeof(cgid)))
			continue;
		if (n == cap) {
			int ncap = cap ? cap * 2 : 16;
			char (*d)[64] = realloc(del, ncap * sizeof(*d));
			if (!d)
				break;
			del = d;
			cap = ncap;
		}
		memcpy(del[n++], key, key_size);
	}
	for (int i = 0; i < n; i++)
		bpf_map_delete_elem(fd, del[i]);
	free(del);
	return n;
}

int observer_record_forget(struct observer *o, uint64_t cgid)
{
	return forget_cgroup(bpf_map__fd(o->skel->maps.record_counts), sizeof(struct sclens_rec_key), cgid) +
	       forget_cgroup(bpf_map__fd(o->skel->maps.record_args), sizeof(struct sclens_rec_arg_key), cgid);
}

int observer_denial_counts_forget(struct observer *o, uint64_t cgroup_id)
{
	bpf_map_delete_elem(bpf_map__fd(o->skel->maps.count_budgets), &cgroup_id);
	forget_cgroup(bpf_map__fd(o->skel->maps.denial_unsent), sizeof(struct sclens_count_key), cgroup_id);
	return forget_cgroup(bpf_map__fd(o->skel->maps.denial_counts), sizeof(struct sclens_count_key), cgroup_id);
}

uint32_t observer_filter_id(struct observer *o, uint64_t key)
{
	if (!key)
		return 0;
	for (size_t i = 0; i < o->filters_len; i++)
		if (o->filters[i].key == key)
			return o->filters[i].id;
	/* ids only grow, so a daemon's table is bounded by starting afresh */
	if (o->filters_len == 65536)
		o->filters_len = 0;
	if (ARRAY_GROW(o->filters, o->filters_cap, o->filters_len, 64))
		return 0;
	o->filters[o->filters_len].key = key;
	o->filters[o->filters_len].id = o->next_filter_id++;
	return o->filters[o->filters_len++].id;
}

static void observer_filter_forget(struct observer *o, uint64_t key)
{
	for (size_t i = 0; i < o->filters_len; i++) {
		if (o->filters[i].key == key) {
			o->filters[i] = o->filters[--o->filters_len];
			return;
		}
	}
}

static int quiet_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	return 0;
}

struct collect {
	struct filter_stack *s;
	int err;
};

static int collect_filter(void *ctx, void *data, size_t size)
{
	struct collect *c = ctx;
	const struct sclens_filter_rec *rec = data;
	struct seccomp_prog *p;

	if (size != sizeof(*rec) || c->err)
		return 0;
	if ((rec->flags & SCLENS_FF_NO_COPY) || !rec->len || rec->len > SCLENS_FILTER_MAX_INSNS) {
		c->err = -ENODATA;
		return 0;
	}
	if ((c->err = filter_stack_reserve(c->s, c->s->n + 1)))
		return 0;
	p = &c->s->progs[c->s->n];
	p->insns = malloc(rec->len * sizeof(*p->insns));
	if (!p->insns) {
		c->err = -ENOMEM;
		return 0;
	}
	memcpy(p->insns, rec->insns, rec->len * sizeof(*p->insns));
	p->len = rec->len;
	p->hash = filter_hash(p->insns, p->len);
	p->flags = rec->flags & SCLENS_FF_LOG ? SECCOMP_FILTER_FLAG_LOG : 0;
	c->s->n++;
	return 0;
}

int observer_read_task_filters(int tid, struct filter_stack *s)
{
	struct sclens_bpf *skel;
	struct ring_buffer *rb = NULL;
	struct collect c = { .s = s };
	struct bpf_program *prog;
	int tgid = task_tgid(tid), err;
	libbpf_print_fn_t old;

	memset(s, 0, sizeof(*s));
	if (tgid < 0)
		return tgid;
	/* a kernel that cannot do it is not an error here: the caller falls
	 * back to ptrace, so libbpf's complaints are not the user's business */
	old = libbpf_set_print(quiet_print);
	skel = sclens_bpf__open();
	if (!skel) {
		err = -errno;
		goto out;
	}
	bpf_object__for_each_program(prog, skel->obj)
		bpf_program__set_autoload(prog, prog == skel->progs.read_task_filters);
	/* only the ring buffer is used: the rest as small as they go */
	bpf_map__set_max_entries(skel->maps.in_syscall, 1);
	bpf_map__set_max_entries(skel->maps.eval_scratch, 1);
	bpf_map__set_max_entries(skel->maps.events, 8 << 20); /* DUMP_BATCH copies */
	err = sclens_bpf__load(skel);
	if (err)
		goto out;
	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), collect_filter, &c, NULL);
	if (!rb) {
		err = -errno;
		goto out;
	}
	for (uint64_t skip = 0;;) {
		uint64_t args[3] = { tgid, tid, skip };
		LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = args, .ctx_size_in = sizeof(args));
		err = bpf_prog_test_run_opts(bpf_program__fd(skel->progs.read_task_filters), &opts);
		if (err)
			break;
		ring_buffer__consume(rb);
		int ret = (int)opts.retval;
		if (ret < 0) {
			err = ret;
			break;
		}
		if (c.err) {
			err = c.err;
			break;
		}
		skip += ret & ~(1 << 30);
		if (!(ret & (1 << 30)))
			break;
	}
	if (!err && !s->n)
		err = -EMEDIUMTYPE; /* no filter */
out:
	ring_buffer__free(rb);
	sclens_bpf__destroy(skel);
	libbpf_set_print(old);
	if (err)
		filter_stack_free(s);
	return err;
}

int observer_prog_stats(struct observer *o, struct observer_prog_stats *s, int max)
{
	struct bpf_program *prog;
	int n = 0;

	bpf_object__for_each_program(prog, o->skel->obj) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);

		if (n >= max)
			break;
		if (bpf_program__fd(prog) < 0)
			continue; /* not loaded */
		int err = bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len);
		if (err)
			return err < 0 ? err : -EIO;
		s[n].name = bpf_program__name(prog);
		s[n].run_cnt = info.run_cnt;
		s[n].run_time_ns = info.run_time_ns;
		n++;
	}
	return n;
}

void observer_close(struct observer *o)
{
	if (!o)
		return;
	ring_buffer__free(o->rb);
	sclens_bpf__destroy(o->skel);
	free(o->filters);
	free(o);
}
