// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* sclens log: the daemon's JSON lines logs read back (rotated .gz files
 * too), selected by time and container, and grouped by container and call:
 * how many, from when to when, and the fix. */
#define _GNU_SOURCE
#include <argp.h>
#include <errno.h>
#include <glob.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cjson/cJSON.h>
#include <zlib.h>
#include "array.h"
#include "cli.h"
#include "commands.h"
#include "json_writer.h"
#include "status.h"
#include "str_list.h"
#include "text.h"

#define LOG_DEFAULT "/var/log/sclens/denials.json"
/* the daemon writes lines of a few kB: longer ones are not its */
#define LOG_LINE_MAX (1u << 20)

struct log_opts {
	char **files; /* strdup'd */
	size_t n_files, cap_files;
	struct str_list containers, pods, namespaces;
	char since[40], until[40]; /* RFC 3339, compared as strings (UTC) */
	bool json;
};

/* One group: a container (or host cgroup) on a node, and a call */
struct log_group {
	char *node, *where, *runtime, *image, *pod, *namespace;
	char *syscall, *arch, *action, *errno_name;
	long long err;
	uint64_t count, lines;
	char first[40], last[40];
	char *fix; /* the fix in the container's engine's words, from the first explained line */
};

struct log_read {
	struct log_group *v;
	size_t n, cap;
	uint64_t lines, skipped, selected;
	int files;
};

enum { OPT_SINCE = 1000, OPT_UNTIL, OPT_CONTAINER, OPT_POD, OPT_NAMESPACE };

static const struct argp_option log_options[] = {
	{ "since", OPT_SINCE, "TIME", 0, "Only lines from this time on: RFC 3339 UTC (2026-12-07T10:00) or a time ago (30m, 2h, 1d)", 0 },
	{ "until", OPT_UNTIL, "TIME", 0, "Only lines before this time (same forms)", 0 },
	{ "container", OPT_CONTAINER, "ID|NAME", 0, "Only these containers (id prefix or exact name); repeatable, or a,b", 0 },
	{ "pod", OPT_POD, "NAME", 0, "Only these Kubernetes pods; repeatable", 0 },
	{ "namespace", OPT_NAMESPACE, "NS", 0, "Only these Kubernetes namespaces; repeatable", 0 },
	{ "json", 'j', NULL, 0, "One JSON object a line: each group, then a summary", 0 },
	{},
};

static const char log_doc[] =
	"Read sclens daemon's logs back (rotated .gz files too), grouped by container\n"
	"and call: how many denials (lines and repeat counts), first and last seen, and\n"
	"the fix. FILE defaults to " LOG_DEFAULT " and its rotations.\n"
	"\n"
	"EXAMPLES:\n"
	"  sclens log                                  # the daemon's log on this host\n"
	"  sclens log --since 2h --container web\n"
	"  sclens log --pod api --namespace prod node-*/denials.json*\n"
	"  sclens log --json /var/log/sclens/denials.json.1.gz | jq .\n"
	"\nOPTIONS:";

/* "2026-12-07T10:00", or "30m" ago, as an RFC 3339 UTC prefix */
static int parse_when(const char *arg, char *out, size_t n)
{
	long ago;

	if (!parse_duration(arg, &ago)) {
		time_t t = time(NULL) - ago;
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(out, n, "%Y-%m-%dT%H:%M:%S", &tm);
		return 0;
	}
	/* YYYY-MM-DD, then optionally THH:MM[:SS[.frac]][Z] */
	size_t len = strlen(arg);
	if (len < 10 || len >= n || arg[4] != '-' || arg[7] != '-' || (len > 10 && arg[10] != 'T' && arg[10] != ' '))
		return -EINVAL;
	for (size_t i = 0; i < len; i++)
		if (!strchr("0123456789-:T .Z", arg[i]))
			return -EINVAL;
	snprintf(out, n, "%s", arg);
	if (len > 10)
		out[10] = 'T';
	if (out[len - 1] == 'Z')
		out[len - 1] = 0; /* every line is UTC */
	return 0;
}

/* a path as given: commas and all */
static int add_file(struct log_opts *o, const char *path)
{
	if (ARRAY_GROW(o->files, o->cap_files, o->n_files, 8))
		return -ENOMEM;
	if (!(o->files[o->n_files] = strdup(path)))
		return -ENOMEM;
	o->n_files++;
	return 0;
}

static error_t log_parse(int key, char *arg, struct argp_state *state)
{
	struct log_opts *o = state->input;

	switch (key) {
	case OPT_SINCE:
	case OPT_UNTIL:
		if (parse_when(arg, key == OPT_SINCE ? o->since : o->until, sizeof(o->since)))
			argp_error(state, "%s: give an RFC 3339 UTC time (2026-12-07T10:00) or a time ago (30m, 2h, 1d)", arg);
		break;
	case OPT_CONTAINER:
	case OPT_POD:
	case OPT_NAMESPACE: {
		struct str_list *l = key == OPT_CONTAINER ? &o->containers : key == OPT_POD ? &o->pods : &o->namespaces;
		if (str_list_add(l, arg))
			argp_failure(state, EXIT_FAIL, ENOMEM, "out of memory");
		break;
	}
	case 'j': o->json = true; break;
	case ARGP_KEY_ARG:
		if (add_file(o, arg))
			argp_failure(state, EXIT_FAIL, ENOMEM, "out of memory");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const char *str_of(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool in_list(const struct str_list *l, const char *v, bool prefix)
{
	for (int i = 0; i < l->n; i++)
		if (v && (prefix ? !strncmp(v, l->v[i], strlen(l->v[i])) : !strcmp(v, l->v[i])))
			return true;
	return false;
}

static bool line_wanted(const struct log_opts *o, const cJSON *line, const cJSON *ct)
{
	const char *t = str_of(line, "time");

	if (o->since[0] && (!t || strcmp(t, o->since) < 0))
		return false;
	if (o->until[0] && (!t || strcmp(t, o->until) >= 0))
		return false;
	if (o->containers.n && !in_list(&o->containers, str_of(ct, "id"), true) &&
	    !in_list(&o->containers, str_of(ct, "name"), false))
		return false;
	if (o->pods.n && !in_list(&o->pods, str_of(ct, "pod"), false))
		return false;
	if (o->namespaces.n && !in_list(&o->namespaces, str_of(ct, "namespace"), false))
		return false;
	return true;
}

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* The fix in the container's engine's words: the first fix with a command */
static const char *fix_of(const cJSON *line)
{
	const cJSON *fixes = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(line, "explanation"), "fix");
	const cJSON *f;

	cJSON_ArrayForEach(f, fixes)
		if (str_of(f, "command"))
			return str_of(f, "command");
	return NULL;
}

static int add_line(struct log_read *r, const cJSON *line, const cJSON *ct, uint64_t count)
{
	const char *node = str_of(line, "node"), *syscall = str_of(line, "syscall"), *arch = str_of(line, "arch");
	const char *action = str_of(line, "action");
	const char *where = ct ? (str_of(ct, "name") ? str_of(ct, "name") : str_of(ct, "id")) : NULL;
	const cJSON *errno_v = cJSON_GetObjectItemCaseSensitive(line, "errno");
	long long err = cJSON_IsNumber(errno_v) ? (long long)errno_v->valuedouble : -1;
	const char *t = str_of(line, "time");
	char host[512];

	if (!where) { /* a host cgroup: by its path */
		snprintf(host, sizeof(host), "host %s", str_of(line, "cgroup") ? str_of(line, "cgroup") : "(unknown cgroup)");
		where = host;
	}
	struct log_group *g = NULL;
	for (size_t i = 0; i < r->n && !g; i++)
		if (same(r->v[i].node, node) && same(r->v[i].where, where) && same(r->v[i].syscall, syscall) &&
		    same(r->v[i].arch, arch) && same(r->v[i].action, action) && r->v[i].err == err)
			g = &r->v[i];
	if (!g) {
		if (ARRAY_GROW(r->v, r->cap, r->n, 64))
			return -ENOMEM;
		g = &r->v[r->n++];
		*g = (struct log_group){ .err = err };
		g->node = node ? strdup(node) : NULL;
		g->where = strdup(where);
		g->runtime = ct && str_of(ct, "runtime") ? strdup(str_of(ct, "runtime")) : NULL;
		g->image = ct && str_of(ct, "image") ? strdup(str_of(ct, "image")) : NULL;
		g->pod = ct && str_of(ct, "pod") ? strdup(str_of(ct, "pod")) : NULL;
		g->namespace = ct && str_of(ct, "namespace") ? strdup(str_of(ct, "namespace")) : NULL;
		g->syscall = syscall ? strdup(syscall) : NULL;
		g->arch = arch ? strdup(arch) : NULL;
		g->action = action ? strdup(action) : NULL;
		g->errno_name = str_of(line, "errno_name") ? strdup(str_of(line, "errno_name")) : NULL;
	}
	if (!g->fix && fix_of(line))
		g->fix = strdup(fix_of(line));
	g->count += count;
	if (count && str_of(line, "type") && !strcmp(str_of(line, "type"), "denial"))
		g->lines++;
	if (t && (!g->first[0] || strcmp(t, g->first) < 0))
		snprintf(g->first, sizeof(g->first), "%s", t);
	if (t && strcmp(t, g->last) > 0)
		snprintf(g->last, sizeof(g->last), "%s", t);
	r->selected += count;
	return 0;
}

/* One line of a log: denials count one, repeats their count; the rest
 * (lost, summaries, installs) are not grouped */
static int read_line(struct log_read *r, const struct log_opts *o, const char *text)
{
	cJSON *line = cJSON_Parse(text);
	const char *type = line ? str_of(line, "type") : NULL;
	int err = 0;

	if (!type) {
		r->skipped++;
		cJSON_Delete(line);
		return 0;
	}
	const cJSON *ct = cJSON_GetObjectItemCaseSensitive(line, "container");
	if (!cJSON_IsObject(ct))
		ct = NULL;
	if ((o->containers.n || o->pods.n || o->namespaces.n) && !ct) {
		cJSON_Delete(line);
		return 0;
	}
	if (!strcmp(type, "denial") && line_wanted(o, line, ct)) {
		err = add_line(r, line, ct, 1);
	} else if (!strcmp(type, "repeat") && line_wanted(o, line, ct)) {
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(line, "count");
		if (cJSON_IsNumber(n) && n->valuedouble > 0)
			err = add_line(r, line, ct, (uint64_t)n->valuedouble);
	}
	cJSON_Delete(line);
	return err;
}

/* A plain or gzip file (zlib reads both) */
static int read_file(struct log_read *r, const struct log_opts *o, const char *path)
{
	gzFile f = strcmp(path, "-") ? gzopen(path, "rb") : gzdopen(0, "rb");
	char *buf = malloc(LOG_LINE_MAX);
	int err = 0;

	if (!f || !buf) {
		err = f ? -ENOMEM : errno ? -errno : -ENOMEM;
		fprintf(stderr, "sclens log: cannot read %s: %s\n", path, strerror(-err));
		if (f)
			gzclose(f);
		free(buf);
		return err;
	}
	while (gzgets(f, buf, LOG_LINE_MAX)) {
		size_t len = strlen(buf);
		if (len && buf[len - 1] != '\n' && !gzeof(f)) {
			/* longer than any line the daemon writes: skip the rest of it */
			int c;
			while ((c = gzgetc(f)) != -1 && c != '\n')
				;
			r->lines++;
			r->skipped++;
			continue;
		}
		r->lines++;
		if ((err = read_line(r, o, buf)))
			break;
	}
	int zerr;
	const char *msg = gzerror(f, &zerr);
	if (!err && zerr != Z_OK && zerr != Z_STREAM_END) {
		fprintf(stderr, "sclens log: %s: %s (read up to there)\n", path, msg);
		err = -EIO;
	}
	gzclose(f);
	free(buf);
	r->files++;
	return err;
}

static int cmp_groups(const void *a, const void *b)
{
	const struct log_group *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->where, y->where);
}

static void print_plain(const struct log_read *r)
{
	struct sbuf b;

	sb_init(&b);
	for (size_t i = 0; i < r->n; i++) {
		const struct log_group *g = &r->v[i];

		/* every string here came from a log a tenant's names went into */
		sb_put_esc(&b, g->where);
		if (g->runtime) {
			sb_puts(&b, " (");
			sb_put_esc(&b, g->runtime);
			if (g->image) {
				sb_puts(&b, ", ");
				sb_put_esc(&b, g->image);
			}
			sb_putc(&b, ')');
		}
		if (g->pod) {
			sb_puts(&b, " pod ");
			sb_put_esc(&b, g->namespace ? g->namespace : "?");
			sb_putc(&b, '/');
			sb_put_esc(&b, g->pod);
		}
		sb_puts(&b, " on ");
		sb_put_esc(&b, g->node ? g->node : "?");
		sb_puts(&b, ": ");
		sb_put_esc(&b, g->syscall ? g->syscall : "?");
		sb_puts(&b, " [");
		sb_put_esc(&b, g->arch ? g->arch : "?");
		sb_puts(&b, "] ");
		sb_put_esc(&b, g->action ? g->action : "?");
		if (g->errno_name) {
			sb_putc(&b, ' ');
			sb_put_esc(&b, g->errno_name);
		} else if (g->err >= 0 && g->action && !strcmp(g->action, "errno")) {
			sb_printf(&b, " errno %lld", g->err);
		}
		sb_printf(&b, " x %llu, %.19s to %.19s\n", (unsigned long long)g->count, g->first, g->last);
		if (g->fix) {
			sb_puts(&b, "  fix: ");
			sb_put_esc(&b, g->fix);
			sb_putc(&b, '\n');
		}
	}
	sb_printf(&b, "%llu denial%s in %zu group%s, from %d file%s (%llu line%s", (unsigned long long)r->selected,
		  r->selected == 1 ? "" : "s", r->n, r->n == 1 ? "" : "s", r->files, r->files == 1 ? "" : "s",
		  (unsigned long long)r->lines, r->lines == 1 ? "" : "s");
	if (r->skipped)
		sb_printf(&b, "; %llu not the daemon's JSON: skipped", (unsigned long long)r->skipped);
	sb_puts(&b, ")\n");
	if (b.s)
		fwrite(b.s, 1, b.len, stdout);
	sb_free(&b);
}

static void print_json(const struct log_read *r)
{
	struct sbuf b;
	struct jw w;

	for (size_t i = 0; i < r->n; i++) {
		const struct log_group *g = &r->v[i];
		sb_init(&b);
		jw_init(&w, &b);
		jw_obj_begin(&w);
		jw_kv_str(&w, "type", "group");
		jw_kv_str(&w, "node", g->node);
		jw_kv_str(&w, "where", g->where);
		jw_kv_str_opt(&w, "runtime", g->runtime);
		jw_kv_str_opt(&w, "image", g->image);
		jw_kv_str_opt(&w, "pod", g->pod);
		jw_kv_str_opt(&w, "namespace", g->namespace);
		jw_kv_str(&w, "syscall", g->syscall);
		jw_kv_str(&w, "arch", g->arch);
		jw_kv_str(&w, "action", g->action);
		if (g->err >= 0)
			jw_kv_i64(&w, "errno", g->err);
		jw_kv_str_opt(&w, "errno_name", g->errno_name);
		jw_kv_u64(&w, "count", g->count);
		jw_kv_u64(&w, "lines", g->lines);
		jw_kv_str(&w, "first", g->first);
		jw_kv_str(&w, "last", g->last);
		jw_kv_str_opt(&w, "fix", g->fix);
		jw_obj_end(&w);
		puts(b.s ? b.s : "{}");
		sb_free(&b);
	}
	sb_init(&b);
	jw_init(&w, &b);
	jw_obj_begin(&w);
	jw_kv_str(&w, "type", "log_summary");
	jw_kv_u64(&w, "denials", r->selected);
	jw_kv_u64(&w, "groups", r->n);
	jw_kv_i64(&w, "files", r->files);
	jw_kv_u64(&w, "lines", r->lines);
	jw_kv_u64(&w, "lines_skipped", r->skipped);
	jw_obj_end(&w);
	puts(b.s ? b.s : "{}");
	sb_free(&b);
}

static void groups_free(struct log_read *r)
{
	for (size_t i = 0; i < r->n; i++) {
		struct log_group *g = &r->v[i];
		free(g->node), free(g->where), free(g->runtime), free(g->image), free(g->pod), free(g->namespace);
		free(g->syscall), free(g->arch), free(g->action), free(g->errno_name), free(g->fix);
	}
	free(r->v);
}

/* The daemon's log and its rotations, oldest first */
static int default_files(struct log_opts *o)
{
	glob_t gl;

	int err = 0;

	/* PATH.1.gz is the newest rotation: the highest number first */
	if (glob(LOG_DEFAULT ".*.gz", 0, NULL, &gl) == 0) {
		for (size_t i = gl.gl_pathc; i-- > 0 && !err;)
			err = add_file(o, gl.gl_pathv[i]);
		globfree(&gl);
	}
	return err ? err : add_file(o, LOG_DEFAULT);
}

int cmd_log(int argc, char **argv)
{
	static const struct argp argp = { .options = log_options, .parser = log_parse, .args_doc = "[FILE...]",
					  .doc = log_doc };
	struct log_opts o = {};
	struct log_read r = {};
	int rc, err = 0;

	if ((rc = cli_parse(&argp, argc, argv, 0, &o)) >= 0)
		return rc;
	if (!o.n_files && default_files(&o)) {
		rc = EXIT_FAIL;
		goto out;
	}
	for (size_t i = 0; i < o.n_files; i++) {
		int e = read_file(&r, &o, o.files[i]);
		if (e == -ENOMEM) {
			err = e;
			break;
		}
		if (e && !err)
			err = e;
	}
	if (r.n)
		qsort(r.v, r.n, sizeof(*r.v), cmp_groups);
	if (o.json)
		print_json(&r);
	else
		print_plain(&r);
	if (r.skipped)
		fprintf(stderr, "sclens log: %llu lines were not the daemon's JSON lines: skipped\n",
			(unsigned long long)r.skipped);
	rc = err ? EXIT_FAIL : output_failed(stdout, "the groups") ? EXIT_FAIL : EXIT_OK;
out:
	groups_free(&r);
	for (size_t i = 0; i < o.n_files; i++)
		free(o.files[i]);
	free(o.files);
	str_list_free(&o.containers);
	str_list_free(&o.pods);
	str_list_free(&o.namespaces);
	return rc;
}
