// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <zlib.h>
#include "cgroup.h"
#include "containers.h"
#include "actions.h"
#include "clock.h"
#include "event_fmt.h"
#include "names.h"
#include "report.h"
#include "sink_log.h"
#include "observer.h"
#include "overflow.h"

/* Keys of the volume control kept per interval; a full table is summed
 * up early (its repeat lines written) rather than grown */
#define VOL_MAX 16384

struct vol_key {
	uint64_t cgroup_id;
	uint32_t arch, action;
	int32_t nr, err;
};

struct vol_entry {
	struct vol_key k;
	uint64_t seen;	 /* this interval */
	uint64_t unsent; /* counted in the kernel, never sent (repeats.h), this interval */
	bool used;
	bool over; /* the cgroup's key past its budget: never written, all repeated */
};

/* Distinct keys a cgroup may have written in an interval: its tenant
 * chooses numbers and errnos, and must not rotate others' lines away */
#define VOL_KEYS_PER_CGROUP 64

struct vol_cgroup {
	uint64_t id;
	uint32_t keys;
};

struct log_sink {
	struct sink base;
	struct log_sink_opts o;
	int fd;
	uint64_t size;
	/* a device, FIFO or terminal (/dev/null, a pipe to a collector) is
	 * never rotated, cut back or compressed: renaming it would move the
	 * device */
	bool regular;
	int err; /* the first failed write or rotation */
	struct reporter rep;
	struct vol_entry *vol;
	size_t vol_n;
	struct vol_cgroup *vol_cg; /* keys per cgroup this interval */
	uint64_t dropped;	   /* lines a failed write dropped, not yet said */
	int dropped_err;
	uint64_t interval_start_ns;
	/* the last rotation's compression, off the event thread: one at a time */
	pthread_t gz_thread;
	bool gz_running;
	int gz_err;
	char gz_src[4096], gz_dst[4096];
	uint64_t lost_said; /* ring-buffer losses already told in the log */
	uint64_t suppressed_said; /* events over their cgroup's rate, told */
	struct sbuf line;
};

static int write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		s += w;
		n -= w;
	}
	return 0;
}

static int open_log(struct log_sink *l)
{
	struct stat st;

	if (!l->o.path) {
		l->fd = STDOUT_FILENO;
		return 0;
	}
	/* never through a symlink: a user who can write in the log's
	 * directory must not make root write anywhere else */
	l->fd = open(l->o.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (l->fd < 0)
		return -errno;
	if (fstat(l->fd, &st)) {
		int err = -errno;
		close(l->fd);
		l->fd = -1;
		return err;
	}
	l->size = st.st_size;
	l->regular = S_ISREG(st.st_mode);
	return 0;
}

/* The file under our name is no longer the one we write to (deleted, or
 * moved away with no SIGHUP): writes would go to a file nobody sees. */
static bool log_gone(const struct log_sink *l)
{
	struct stat ours, named;

	if (!l->o.path || l->fd < 0 || fstat(l->fd, &ours))
		return false;
	if (ours.st_nlink == 0 || lstat(l->o.path, &named))
		return true;
	return ours.st_ino != named.st_ino || ours.st_dev != named.st_dev;
}

/* A temporary file of our own: made anew (O_EXCL), never through a link
 * someone left under its name */
static int open_new(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0640);

	if (fd < 0 && errno == EEXIST && !unlink(path))
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0640);
	return fd < 0 ? -errno : fd;
}

/* src compressed into dst (through dst.tmp, renamed when whole), then src
 * removed: a crash leaves src or dst, never half of dst under its name. */
static int gzip_file(const char *src, const char *dst)
{
	char tmp[4096], buf[65536];
	int in, err = 0;
	gzFile out;
	ssize_t n;

	snprintf(tmp, sizeof(tmp), "%s.tmp", dst);
	in = open(src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (in < 0)
		return -errno;
	int ofd = open_new(tmp);
	if (ofd < 0) {
		close(in);
		return ofd;
	}
	out = gzdopen(ofd, "wb6");
	if (!out) {
		close(ofd);
		close(in);
		unlink(tmp);
		return -ENOMEM;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		if (gzwrite(out, buf, n) != n) {
			err = -EIO;
			break;
		}
	}
	if (n < 0)
		err = -errno;
	close(in);
	if (gzclose(out) != Z_OK && !err)
		err = -EIO;
	if (!err && rename(tmp, dst))
		err = -errno;
	if (err) {
		unlink(tmp);
		return err;
	}
	return unlink(src) ? -errno : 0;
}

static void rotated_name(char *out, size_t n, const char *path, int i, bool gz)
{
	snprintf(out, n, "%s.%d%s", path, i, gz ? ".gz" : "");
}

/* PATH.1 left uncompressed by a crash mid-rotation: compress it now, after
 * moving the others up so that nothing is overwritten. */
static int recover(struct log_sink *l)
{
	char plain[4096], gz[4096];

	rotated_name(plain, sizeof(plain), l->o.path, 1, false);
	if (access(plain, F_OK))
		return 0;
	rotated_name(gz, sizeof(gz), l->o.path, 1, true);
	if (!access(gz, F_OK)) {
		for (int i = l->o.keep; i >= 1; i--) {
			char from[4096], to[4096];
			rotated_name(from, sizeof(from), l->o.path, i, true);
			rotated_name(to, sizeof(to), l->o.path, i + 1, true);
			if (i == l->o.keep)
				unlink(from);
			else
				rename(from, to);
		}
	}
	return gzip_file(plain, gz);
}

static void *gzip_thread(void *arg)
{
	struct log_sink *l = arg;

	l->gz_err = gzip_file(l->gz_src, l->gz_dst);
	return NULL;
}

/* Waits for the last compression; a failed one leaves PATH.1 plain, which
 * recover() compresses before anything is renamed over it */
static void gzip_join(struct log_sink *l)
{
	if (!l->gz_running)
		return;
	pthread_join(l->gz_thread, NULL);
	l->gz_running = false;
	if (l->gz_err)
		fprintf(stderr, "sclens: compressing %s failed: %s; it is kept uncompressed and compressed again at "
				"the next rotation\n", l->gz_src, strerror(-l->gz_err));
}

/* A 100 MB log takes seconds to compress: never on the event thread */
static int gzip_start(struct log_sink *l, const char *src, const char *dst)
{
	snprintf(l->gz_src, sizeof(l->gz_src), "%s", src);
	snprintf(l->gz_dst, sizeof(l->gz_dst), "%s", dst);
	l->gz_err = 0;
	if (pthread_create(&l->gz_thread, NULL, gzip_thread, l))
		return gzip_file(src, dst); /* no thread: here, as before */
	l->gz_running = true;
	return 0;
}

static int rotate(struct log_sink *l)
{
	char from[4096], to[4096];
	int err;

	gzip_join(l);
	/* PATH.1 still uncompressed (a gzip that failed): compress it first,
	 * never rename over it */
	if (l->o.keep && (err = recover(l)))
		return err;

	for (int i = l->o.keep; i >= 1; i--) {
		rotated_name(from, sizeof(from), l->o.path, i, true);
		if (i == l->o.keep) {
			unlink(from);
			continue;
		}
		rotated_name(to, sizeof(to), l->o.path, i + 1, true);
		if (rename(from, to) && errno != ENOENT)
			return -errno;
	}
	rotated_name(to, sizeof(to), l->o.path, 1, false);
	if (rename(l->o.path, to))
		return -errno;
	close(l->fd);
	l->fd = -1;
	if ((err = open_log(l)))
		return err;
	rotated_name(from, sizeof(from), l->o.path, 1, true);
	return l->o.keep ? gzip_start(l, to, from) : (unlink(to) ? -errno : 0);
}

static void put_now(struct jw *w);

/* Lines a full disk dropped, said in the file once it takes lines again:
 * the {"type":"dropped"} line and the line that found room go in one write,
 * so a disk with room for the short line only says it once, not per line */
static void dropped_line(struct log_sink *l, struct sbuf *b)
{
	struct jw w;

	jw_init(&w, b);
	jw_obj_begin(&w);
	jw_kv_str(&w, "type", "dropped");
	put_now(&w);
	jw_kv_u64(&w, "count", l->dropped);
	jw_kv_str(&w, "reason", strerror(-l->dropped_err));
	jw_obj_end(&w);
	sb_putc(b, '\n');
}

/* One whole line, in one write, rotating first if it would pass the size */
static int log_write(void *arg, const char *line, size_t len)
{
	struct log_sink *l = arg;
	int err;

	if (l->fd < 0)
		return -EBADF;
	if (l->regular && l->o.max_bytes && l->size && l->size + len > l->o.max_bytes) {
		err = rotate(l);
		if (err) {
			fprintf(stderr, "sclens: rotating %s failed: %s; writing on\n", l->o.path, strerror(-err));
			if (l->fd < 0 && open_log(l))
				return err;
		}
	}
	struct sbuf with_dropped;
	sb_init(&with_dropped);
	if (l->dropped) {
		dropped_line(l, &with_dropped);
		sb_printf(&with_dropped, "%.*s", (int)len, line);
		if (!with_dropped.oom) {
			line = with_dropped.s;
			len = with_dropped.len;
		}
	}
	err = write_all(l->fd, line, len);
	if (!err && l->dropped && with_dropped.s == line)
		fprintf(stderr, "sclens: %s takes lines again; %llu were dropped, said in it\n",
			l->o.path ? l->o.path : "the log", (unsigned long long)l->dropped);
	if (!err && with_dropped.s == line)
		l->dropped = 0;
	sb_free(&with_dropped);
	if (err) {
		/* a full disk wrote part of the line: cut the file back to the
		 * last whole line, so that the next one is not glued onto it */
		if (l->regular && ftruncate(l->fd, l->size) == 0)
			lseek(l->fd, 0, SEEK_END);
		if (!l->err || l->err != err)
			fprintf(stderr, "sclens: writing %s failed: %s; the line is dropped, the file keeps "
					"whole lines\n", l->o.path ? l->o.path : "the log", strerror(-err));
		if (!l->err)
			l->err = err;
		l->dropped++;
		l->dropped_err = err;
		return err;
	}
	l->size += len;
	return 0;
}

static void put_now(struct jw *w)
{
	char when[48];

	event_time_rfc3339(event_clock_now_ns(), when, sizeof(when));
	jw_kv_str(w, "time", when);
	jw_kv_str(w, "node", node_name());
}

static void emit_line(struct log_sink *l)
{
	sb_putc(&l->line, '\n');
	if (!l->line.oom)
		log_write(l, l->line.s, l->line.len);
}

static size_t vol_slot(const struct log_sink *l, const struct vol_key *k)
{
	uint64_t h = k->cgroup_id * 0x9e3779b97f4a7c15ULL ^ ((uint64_t)k->nr << 32 | k->action) ^
		     ((uint64_t)k->arch << 16) ^ (uint64_t)(uint32_t)k->err * 0xbf58476d1ce4e5b9ULL;
	size_t i = (h >> 17) % (VOL_MAX * 2);

	while (l->vol[i].used && memcmp(&l->vol[i].k, k, sizeof(*k)))
		i = (i + 1) % (VOL_MAX * 2);
	return i;
}

/* The repeat lines of the interval, then a fresh interval */
static void vol_flush(struct log_sink *l, uint64_t now_ns)
{
	double secs = l->interval_start_ns ? (now_ns - l->interval_start_ns) / 1e9 : 0;

	for (size_t i = 0; i < VOL_MAX * 2; i++) {
		struct vol_entry *v = &l->vol[i];
		if (!v->used || (!v->over && v->seen <= l->o.first && !v->unsent))
			continue;
		uint64_t written = v->over ? 0 : v->seen < l->o.first ? v->seen : l->o.first;
		uint64_t extra = v->seen - written + v->unsent;
		const struct container *ct = container_lookup(v->k.cgroup_id, cgroup_path_of_id(v->k.cgroup_id), NULL);
		struct jw w;
		sb_reset(&l->line);
		jw_init(&w, &l->line);
		jw_obj_begin(&w);
		jw_kv_str(&w, "type", "repeat");
		put_now(&w);
		jw_kv_u64(&w, "cgroup_id", v->k.cgroup_id);
		container_json(&w, ct);
		jw_kv_str(&w, "arch", arch_name(v->k.arch, v->k.nr));
		jw_kv_str(&w, "syscall", count_syscall_name(v->k.arch, v->k.nr));
		jw_kv_str(&w, "action", action_name(v->k.action));
		if (v->k.action == SCLENS_ACT_ERRNO || v->k.action == SCLENS_ACT_USER_NOTIF)
			jw_kv_i64(&w, "errno", v->k.err);
		jw_kv_u64(&w, "count", extra);
		jw_kv_u64(&w, "written", written);
		char num[32];
		snprintf(num, sizeof(num), "%.3f", secs);
		jw_key(&w, "interval_s");
		jw_raw(&w, num);
		jw_obj_end(&w);
		emit_line(l);
	}
	memset(l->vol, 0, VOL_MAX * 2 * sizeof(*l->vol));
	memset(l->vol_cg, 0, VOL_MAX * 2 * sizeof(*l->vol_cg));
	l->vol_n = 0;
	l->interval_start_ns = now_ns;
}

/* The cgroup's count of keys this interval */
static struct vol_cgroup *vol_cgroup(struct log_sink *l, uint64_t id)
{
	size_t i = (id * 0x9e3779b97f4a7c15ULL >> 17) % (VOL_MAX * 2);

	while (l->vol_cg[i].id && l->vol_cg[i].id != id)
		i = (i + 1) % (VOL_MAX * 2);
	l->vol_cg[i].id = id;
	return &l->vol_cg[i];
}

/* The interval's entry of a key (kernel's terms: a number no arch names
 * is "unknown", an errno without a name 4095); past its budget of keys, a
 * cgroup's new keys are one "over_budget" key that is only counted */
static struct vol_entry *vol_entry_for(struct log_sink *l, struct vol_key k)
{
	if (!syscall_name(k.arch, k.nr))
		k.nr = SCLENS_COUNT_NR_UNKNOWN;
	if (k.err > SCLENS_COUNT_ERRNO_NAMED && k.action != SCLENS_ACT_TRAP && k.action != SCLENS_ACT_KILL_PROCESS &&
	    k.action != SCLENS_ACT_KILL_THREAD)
		k.err = 4095;
	/* the clock only when an interval starts or the table is full: not
	 * once per event of a storm */
	if (!l->interval_start_ns)
		l->interval_start_ns = event_clock_now_ns();
	size_t i = vol_slot(l, &k);
	if (!l->vol[i].used) {
		if (l->vol_n == VOL_MAX) {
			vol_flush(l, event_clock_now_ns());
			i = vol_slot(l, &k);
		}
		struct vol_cgroup *cg = vol_cgroup(l, k.cgroup_id);
		bool over = cg->keys >= VOL_KEYS_PER_CGROUP;
		if (over) {
			overflow_count(OVERFLOW_LOG_KEYS);
			k = (struct vol_key){ .cgroup_id = k.cgroup_id, .arch = k.arch, .nr = SCLENS_COUNT_NR_OVER_BUDGET,
					      .action = SCLENS_ACT_UNKNOWN };
			i = vol_slot(l, &k);
		}
		if (!l->vol[i].used) {
			l->vol[i].used = true;
			l->vol[i].over = over;
			l->vol[i].k = k;
			l->vol_n++;
			cg->keys += !over;
		}
	}
	return &l->vol[i];
}

/* true: write this event; false: counted for the interval's repeat line */
static bool vol_admit(struct log_sink *l, const struct sclens_event *e, uint32_t action)
{
	if (!l->o.first || e->type != SCLENS_EV_DENIAL)
		return true;
	struct vol_entry *v = vol_entry_for(l, (struct vol_key){ .cgroup_id = e->cgroup_id, .arch = e->arch,
								.action = action, .nr = e->nr, .err = e->err });
	return ++v->seen <= l->o.first && !v->over;
}

/* Denials the kernel counted but never sent: in the interval's repeat
 * line of their key (every line written: a repeat line of their own) */
static void log_repeat(struct sink *s, const struct repeat_record *r)
{
	struct log_sink *l = (struct log_sink *)s;
	const struct sclens_count_key *k = r->key;

	if (!l->o.first) {
		reporter_repeat(&l->rep, r);
		return;
	}
	vol_entry_for(l, (struct vol_key){ .cgroup_id = k->cgroup_id, .arch = k->arch, .action = k->action,
					   .nr = k->nr, .err = k->err })->unsent += r->count;
}

static void log_record(struct sink *s, const struct denial_record *r)
{
	struct log_sink *l = (struct log_sink *)s;

	if (!vol_admit(l, r->e, r->action))
		return;
	reporter_record(&l->rep, r);
}

/* A {"type":"lost"} or {"type":"suppressed"} line: delta events since the
 * last such line, total since start */
static void count_line(struct log_sink *l, const char *type, uint64_t delta, const char *total_key, uint64_t total)
{
	struct jw w;

	sb_reset(&l->line);
	jw_init(&w, &l->line);
	jw_obj_begin(&w);
	jw_kv_str(&w, "type", type);
	put_now(&w);
	jw_kv_u64(&w, "count", delta);
	jw_kv_u64(&w, total_key, total);
	jw_obj_end(&w);
	emit_line(l);
}

static void log_tick(struct sink *s, struct observer *obs, uint64_t now_ns, bool final)
{
	struct log_sink *l = (struct log_sink *)s;
	struct observer_counts c;

	/* losses said in the stream as they happen, not only at exit */
	if (obs && !observer_counts(obs, &c)) {
		if (c.lost > l->lost_said)
			count_line(l, "lost", c.lost - l->lost_said, "events_lost_total", c.lost);
		if (c.suppressed > l->suppressed_said)
			count_line(l, "suppressed", c.suppressed - l->suppressed_said, "events_suppressed_total",
				   c.suppressed);
		l->lost_said = c.lost;
		l->suppressed_said = c.suppressed;
	}

	if (final || (l->interval_start_ns && now_ns - l->interval_start_ns >= l->o.interval_s * 1000000000ULL))
		vol_flush(l, now_ns);
	/* once a tick: deleted or moved with no SIGHUP, write a new file */
	if (!final && log_gone(l)) {
		close(l->fd);
		int err = open_log(l);
		fprintf(stderr, "sclens: %s was deleted or moved away; %s\n", l->o.path,
			err ? "cannot open it again" : "writing a new one");
		if (err && !l->err)
			l->err = err;
	}
}

static int log_reopen(struct sink *s, struct observer *obs)
{
	struct log_sink *l = (struct log_sink *)s;

	if (!l->o.path)
		return 0;
	/* logrotate may have moved it away: a fresh file under the name */
	if (l->fd >= 0)
		close(l->fd);
	return open_log(l);
}

static void log_containers_dropped(struct sink *s)
{
	explanation_memo_free(&((struct log_sink *)s)->rep.memo);
}

static int log_error(struct sink *s)
{
	struct log_sink *l = (struct log_sink *)s;

	return l->err ? l->err : l->rep.write_err;
}

int log_sink_open(struct log_sink **out, const struct log_sink_opts *o)
{
	struct log_sink *l = calloc(1, sizeof(*l));
	int err;

	if (!l)
		return -ENOMEM;
	l->vol = calloc(VOL_MAX * 2, sizeof(*l->vol));
	l->vol_cg = calloc(VOL_MAX * 2, sizeof(*l->vol_cg));
	if (!l->vol || !l->vol_cg) {
		free(l->vol);
		free(l->vol_cg);
		free(l);
		return -ENOMEM;
	}
	l->o = *o;
	if (!l->o.interval_s)
		l->o.interval_s = 60;
	l->fd = -1;
	l->base = (struct sink){ .name = o->path ? o->path : "stdout", .record = log_record, .repeat = log_repeat, .tick = log_tick,
				 .reopen = log_reopen, .error = log_error,
				 .containers_dropped = log_containers_dropped };
	if (o->path && (err = recover(l)))
		fprintf(stderr, "sclens: cannot compress %s.1 left by an interrupted rotation: %s\n", o->path,
			strerror(-err));
	if ((err = open_log(l))) {
		free(l->vol);
		free(l->vol_cg);
		free(l);
		return err;
	}
	reporter_init(&l->rep, true);
	reporter_set_output(&l->rep, log_write, l);
	sb_init(&l->line);
	*out = l;
	return 0;
}

struct sink *log_sink_base(struct log_sink *l)
{
	return &l->base;
}


int log_sink_close(struct log_sink *l)
{
	int err;

	if (!l)
		return 0;
	gzip_join(l);
	err = l->err ? l->err : l->rep.write_err;
	if (l->o.path && l->fd >= 0 && close(l->fd) && !err)
		err = -errno;
	reporter_free(&l->rep);
	sb_free(&l->line);
	free(l->vol);
	free(l->vol_cg);
	free(l);
	return err;
}
