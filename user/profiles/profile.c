// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <fcntl.h>
#include <unistd.h>
#include <seccomp.h>
#include "jscan.h"
#include "spo.h"
#include "text.h"
#include "names.h"
#include "profile.h"
#include "files.h"
#include "sclens.h"

#define PROFILE_MAX_BYTES (64u << 20) /* a profile is kilobytes; refuse silly sizes */

static const struct {
	const char *name;
	uint32_t action;
} action_table[] = {
	{ "SCMP_ACT_KILL", SCLENS_ACT_KILL_THREAD },
	{ "SCMP_ACT_KILL_THREAD", SCLENS_ACT_KILL_THREAD },
	{ "SCMP_ACT_KILL_PROCESS", SCLENS_ACT_KILL_PROCESS },
	{ "SCMP_ACT_TRAP", SCLENS_ACT_TRAP },
	{ "SCMP_ACT_ERRNO", SCLENS_ACT_ERRNO },
	{ "SCMP_ACT_TRACE", SCLENS_ACT_TRACE },
	{ "SCMP_ACT_ALLOW", SCLENS_ACT_ALLOW },
	{ "SCMP_ACT_LOG", SCLENS_ACT_LOG },
	{ "SCMP_ACT_NOTIFY", SCLENS_ACT_USER_NOTIF },
};

static const struct {
	const char *name;
	enum sc_op op;
} op_table[] = {
	{ "SCMP_CMP_NE", SC_OP_NE }, { "SCMP_CMP_LT", SC_OP_LT }, { "SCMP_CMP_LE", SC_OP_LE },
	{ "SCMP_CMP_EQ", SC_OP_EQ }, { "SCMP_CMP_GE", SC_OP_GE }, { "SCMP_CMP_GT", SC_OP_GT },
	{ "SCMP_CMP_MASKED_EQ", SC_OP_MASKED_EQ },
};

static const struct {
	const char *name;
	uint32_t token;
} arch_table[] = {
	{ "SCMP_ARCH_X86_64", SCMP_ARCH_X86_64 }, { "SCMP_ARCH_X86", SCMP_ARCH_X86 },
	{ "SCMP_ARCH_X32", SCMP_ARCH_X32 },	  { "SCMP_ARCH_AARCH64", SCMP_ARCH_AARCH64 },
	{ "SCMP_ARCH_ARM", SCMP_ARCH_ARM },	  { "SCMP_ARCH_MIPS", SCMP_ARCH_MIPS },
	{ "SCMP_ARCH_MIPS64", SCMP_ARCH_MIPS64 }, { "SCMP_ARCH_MIPS64N32", SCMP_ARCH_MIPS64N32 },
	{ "SCMP_ARCH_MIPSEL", SCMP_ARCH_MIPSEL }, { "SCMP_ARCH_MIPSEL64", SCMP_ARCH_MIPSEL64 },
	{ "SCMP_ARCH_MIPSEL64N32", SCMP_ARCH_MIPSEL64N32 }, { "SCMP_ARCH_PPC", SCMP_ARCH_PPC },
	{ "SCMP_ARCH_PPC64", SCMP_ARCH_PPC64 },	  { "SCMP_ARCH_PPC64LE", SCMP_ARCH_PPC64LE },
	{ "SCMP_ARCH_S390", SCMP_ARCH_S390 },	  { "SCMP_ARCH_S390X", SCMP_ARCH_S390X },
	{ "SCMP_ARCH_RISCV64", SCMP_ARCH_RISCV64 },
	{ "SCMP_ARCH_PARISC", SCMP_ARCH_PARISC }, { "SCMP_ARCH_PARISC64", SCMP_ARCH_PARISC64 },
	/* newer than some libseccomp releases: AUDIT_ARCH_* values */
	{ "SCMP_ARCH_LOONGARCH64", 0xc0000102 },  { "SCMP_ARCH_M68K", 0x00000004 },
	{ "SCMP_ARCH_SH", 0x4000002a },		  { "SCMP_ARCH_SHEB", 0x0000002a },
};

const char *sc_action_profile_name(uint32_t action)
{
	for (size_t i = 1; i < sizeof(action_table) / sizeof(action_table[0]); i++)
		if (action_table[i].action == action)
			return action_table[i].name;
	return "SCMP_ACT_KILL";
}

const char *sc_op_name(enum sc_op op)
{
	for (size_t i = 0; i < sizeof(op_table) / sizeof(op_table[0]); i++)
		if (op_table[i].op == op)
			return op_table[i].name;
	return "?";
}

static const char *arch_token_name(uint32_t token)
{
	for (size_t i = 0; i < sizeof(arch_table) / sizeof(arch_table[0]); i++)
		if (arch_table[i].token == token)
			return arch_table[i].name;
	return NULL;
}

bool action_allows(uint32_t action)
{
	return action == SCLENS_ACT_ALLOW || action == SCLENS_ACT_LOG;
}

/* ---- errors ---- */

static int fail(struct sc_error *e, const char *path, int line, const char *fmt, ...)
{
	va_list ap;

	snprintf(e->path, sizeof(e->path), "%s", path);
	e->line = line;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

void profile_error_print(const char *label, const struct sc_error *e)
{
	struct sbuf b;

	/* the message may quote the file's own text: escaped for the terminal */
	sb_init(&b);
	sb_puts(&b, "sclens: ");
	sb_put_esc(&b, label);
	sb_puts(&b, ": ");
	if (e->path[0]) {
		sb_put_esc(&b, e->path);
		sb_puts(&b, ": ");
	}
	if (e->line)
		sb_printf(&b, "(line %d) ", e->line);
	sb_put_esc(&b, e->msg);
	sb_putc(&b, '\n');
	if (!b.oom)
		fputs(b.s, stderr);
	sb_free(&b);
}

/* ---- what cJSON cannot tell: lines, exact numbers, strict forms ---- */

struct raw_num {
	int arg, two;
	const char *text; /* into the profile's text; not NUL-terminated */
	size_t len;
};

struct scan_info {
	int prefix;	      /* path steps before "syscalls" (0 or 2 for linux.seccomp) */
	int *entry_lines;     /* per syscalls[] index */
	int *entry_first_num; /* per syscalls[] index: its first raw_num, -1 if none */
	int n_entries;
	/* exact text of args[].value / valueTwo, in document order, so the
	 * numbers of one entry are contiguous */
	struct raw_num *nums;
	int *num_entry;
	int n_nums, cap_nums;
	/* the first value the engines (Go's encoding/json) would refuse */
	struct sc_error bad;
	bool has_bad, oom;
};

/* "syscalls[3].args[0].value" from a scanned path, after the prefix */
static void format_path(const struct jscan_value *v, int from, char *out, size_t n)
{
	size_t len = 0;

	out[0] = 0;
	for (int i = from; i < v->depth && i < JSCAN_MAX_DEPTH && len < n; i++) {
		const struct jscan_step *st = &v->path[i];
		int w;
		if (st->key)
			w = snprintf(out + len, n - len, "%s%.*s", len ? "." : "", (int)(st->key_len > 64 ? 64 : st->key_len),
				     st->key);
		else
			w = snprintf(out + len, n - len, "[%d]", st->index);
		if (w < 0)
			break;
		len += (size_t)w;
	}
}

/* Go decodes these fields into unsigned integers: digits only, no sign,
 * fraction, exponent or leading zero. */
static bool plain_unsigned(const char *s, size_t n)
{
	if (!n || (s[0] == '0' && n > 1))
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* Does a JSON string literal hold an escaped NUL ("\u0000")? Go keeps it
 * in the string; cJSON would cut the string there. */
static bool has_escaped_nul(const char *s, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++) {
		if (s[i] != '\\')
			continue;
		if (s[i + 1] == 'u' && i + 5 < n && !memcmp(s + i + 2, "0000", 4))
			return true;
		i++; /* skip the escaped character */
	}
	return false;
}

static void scan_bad(struct scan_info *si, const struct jscan_value *v, const char *fmt, const char *what)
{
	if (si->has_bad)
		return;
	si->has_bad = true;
	format_path(v, si->prefix, si->bad.path, sizeof(si->bad.path));
	si->bad.line = v->line;
	snprintf(si->bad.msg, sizeof(si->bad.msg), fmt, what);
}

static void on_scan(const struct jscan_value *v, void *arg)
{
	struct scan_info *si = arg;
	int p = si->prefix;

	if (p == 2 && !(jscan_key_is(v, 0, "linux") && jscan_key_is(v, 1, "seccomp")))
		return;
	if (v->kind == 'n' && !plain_unsigned(v->raw, v->raw_len)) {
		char text[48];
		snprintf(text, sizeof(text), "%.*s%s", (int)(v->raw_len > 40 ? 40 : v->raw_len), v->raw,
			 v->raw_len > 40 ? "..." : "");
		scan_bad(si, v, "%s: must be a whole number written in digits (no sign, fraction, exponent or leading zero), as Docker and runc read it",
			 text);
	}
	if (v->kind == '"' && has_escaped_nul(v->raw, v->raw_len))
		scan_bad(si, v, "%sholds a NUL character (\\u0000): the engines would not accept this string", "");
	if (!jscan_key_is(v, p, "syscalls") || v->depth < p + 2 || v->path[p + 1].key)
		return;
	int entry = v->path[p + 1].index;
	if (entry >= si->n_entries)
		return;
	if (v->depth == p + 2 && v->kind == '{') {
		si->entry_lines[entry] = v->line;
		return;
	}
	if (v->depth == p + 5 && v->kind == 'n' && jscan_key_is(v, p + 2, "args") && !v->path[p + 3].key &&
	    (jscan_key_is(v, p + 4, "value") || jscan_key_is(v, p + 4, "valueTwo"))) {
		if (si->n_nums == si->cap_nums) {
			int ncap = si->cap_nums ? si->cap_nums * 2 : 64;
			struct raw_num *n = realloc(si->nums, ncap * sizeof(*n));
			int *ne = realloc(si->num_entry, ncap * sizeof(*ne));
			if (n)
				si->nums = n;
			if (ne)
				si->num_entry = ne;
			if (!n || !ne) {
				si->oom = true;
				return;
			}
			si->cap_nums = ncap;
		}
		struct raw_num *r = &si->nums[si->n_nums];
		r->arg = v->path[p + 3].index;
		r->two = jscan_key_is(v, p + 4, "valueTwo");
		r->text = v->raw;
		r->len = v->raw_len;
		si->num_entry[si->n_nums] = entry;
		if (si->entry_first_num[entry] < 0)
			si->entry_first_num[entry] = si->n_nums;
		si->n_nums++;
	}
}

/* The exact value of syscalls[entry].args[arg].value (or valueTwo): the
 * last one given, as Go keeps the last of duplicate keys. Linear in the
 * entry's own numbers only. */
static int raw_number(const struct scan_info *si, int entry, int arg, int two, uint64_t *out)
{
	const struct raw_num *found = NULL;
	char text[32];

	if (entry >= si->n_entries || si->entry_first_num[entry] < 0)
		return -ENOENT;
	for (int i = si->entry_first_num[entry]; i < si->n_nums && si->num_entry[i] == entry; i++)
		if (si->nums[i].arg == arg && si->nums[i].two == two)
			found = &si->nums[i];
	if (!found)
		return -ENOENT;
	if (found->len >= sizeof(text))
		return -ERANGE; /* 20 digits at most fit 64 bits; the scan refused leading zeros */
	memcpy(text, found->text, found->len);
	text[found->len] = 0;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno || *end)
		return -ERANGE;
	*out = v;
	return 0;
}

/* ---- warnings ---- */

static void warn(struct profile *p, const char *path, int line, const char *fmt, ...)
{
	va_list ap;
	struct sc_warning *w = realloc(p->warnings, (p->n_warnings + 1) * sizeof(*w));

	if (!w)
		return; /* a warning lost to OOM loses no data */
	p->warnings = w;
	w = &w[p->n_warnings++];
	snprintf(w->path, sizeof(w->path), "%s", path);
	w->line = line;
	va_start(ap, fmt);
	vsnprintf(w->msg, sizeof(w->msg), fmt, ap);
	va_end(ap);
}

void profile_warnings_print(const struct profile *p)
{
	struct sbuf b;

	sb_init(&b);
	for (int i = 0; i < p->n_warnings; i++) {
		const struct sc_warning *w = &p->warnings[i];
		sb_reset(&b);
		sb_puts(&b, "sclens: ");
		sb_put_escaped(&b, p->label, strlen(p->label));
		sb_puts(&b, ": warning: ");
		if (w->path[0]) {
			sb_put_escaped(&b, w->path, strlen(w->path));
			sb_puts(&b, ": ");
		}
		if (w->line)
			sb_printf(&b, "(line %d) ", w->line);
		sb_put_escaped(&b, w->msg, strlen(w->msg));
		sb_putc(&b, '\n');
		if (!b.oom)
			fputs(b.s, stderr);
	}
	sb_free(&b);
}

struct keyed {
	cJSON *item;
	int pos;
};

static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = strcmp(x->item->string, y->item->string);
	return c ? c : x->pos - y->pos;
}

/* Go's encoding/json keeps the LAST of duplicate keys; cJSON finds the
 * first. Drop the earlier ones so both read the same document. Sorting
 * keeps a hostile object with many keys linear-logarithmic. */
static int drop_duplicate_keys(struct profile *p, cJSON *node, char *path, size_t path_len, size_t cap)
{
	int n = 0, idx = 0, err;

	for (cJSON *c = node->child; c; c = c->next)
		n++;
	if (cJSON_IsObject(node) && n > 1) {
		struct keyed *k = malloc(n * sizeof(*k));
		int i = 0;
		if (!k)
			return -ENOMEM;
		for (cJSON *c = node->child; c; c = c->next, i++)
			k[i] = (struct keyed){ c, i };
		qsort(k, n, sizeof(*k), cmp_keyed);
		for (i = 0; i + 1 < n; i++) {
			if (strcmp(k[i].item->string, k[i + 1].item->string))
				continue;
			warn(p, path, 0, "key \"%.64s\" is given more than once: Docker, Podman and runc use the last one, and so does sclens",
			     k[i].item->string);
			cJSON_Delete(cJSON_DetachItemViaPointer(node, k[i].item));
		}
		free(k);
	}
	for (cJSON *c = node->child; c; c = c->next, idx++) {
		size_t len = path_len;
		int w = c->string ? snprintf(path + len, cap - len, "%s%.48s", len ? "." : "", c->string)
				  : snprintf(path + len, cap - len, "[%d]", idx);
		if (w > 0 && (size_t)w < cap - len)
			len += w;
		if (c->child && (err = drop_duplicate_keys(p, c, path, len, cap)))
			return err;
		path[path_len] = 0;
	}
	return 0;
}

/* ---- parsing helpers ---- */

static char *xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");
	return d;
}

static int get_string_array(cJSON *arr, const char *path, int line, char ***out, int *n, bool allow_empty,
			    struct sc_error *e)
{
	cJSON *it;
	int i = 0, cnt;

	*out = NULL;
	*n = 0;
	if (!arr || cJSON_IsNull(arr))
		return 0;
	if (!cJSON_IsArray(arr))
		return fail(e, path, line, "must be an array of strings");
	cnt = cJSON_GetArraySize(arr);
	if (!cnt)
		return allow_empty ? 0 : fail(e, path, line, "must not be empty");
	*out = calloc(cnt, sizeof(char *));
	if (!*out)
		return -ENOMEM;
	cJSON_ArrayForEach(it, arr)
	{
		if (!cJSON_IsString(it) || !it->valuestring[0]) {
			char p[160];
			snprintf(p, sizeof(p), "%s[%d]", path, i);
			*n = i;
			return fail(e, p, line, "must be a non-empty string");
		}
		(*out)[i++] = xstrdup(it->valuestring);
	}
	*n = i;
	return 0;
}

static int parse_action(cJSON *j, const char *path, int line, uint32_t *out, struct sc_error *e)
{
	if (!j)
		return fail(e, path, line, "is missing");
	if (!cJSON_IsString(j))
		return fail(e, path, line, "must be a string such as \"SCMP_ACT_ERRNO\"");
	for (size_t i = 0; i < sizeof(action_table) / sizeof(action_table[0]); i++) {
		if (!strcmp(action_table[i].name, j->valuestring)) {
			*out = action_table[i].action;
			return 0;
		}
	}
	return fail(e, path, line, "unknown action \"%.64s\"", j->valuestring);
}

static int parse_uint(cJSON *j, const char *path, int line, uint64_t max, uint64_t *out, struct sc_error *e)
{
	if (!cJSON_IsNumber(j))
		return fail(e, path, line, "must be a number");
	double d = j->valuedouble;
	/* range first: casting an out-of-range double is undefined */
	if (!(d >= 0) || d >= 18446744073709551616.0 || d > (double)max || d != (double)(uint64_t)d ||
	    (uint64_t)d > max)
		return fail(e, path, line, "must be a whole number from 0 to %llu", (unsigned long long)max);
	*out = (uint64_t)d;
	return 0;
}

/* Adds an arch once: libseccomp ignores an arch added twice, so a
 * deduplicated list means the same and always fits SC_MAX_ARCHES. */
static void add_arch(uint32_t *list, int *n, uint32_t token)
{
	for (int i = 0; i < *n; i++)
		if (list[i] == token)
			return;
	if (*n < SC_MAX_ARCHES)
		list[(*n)++] = token;
}

static int parse_arch_name(const char *s, uint32_t *token)
{
	for (size_t i = 0; i < sizeof(arch_table) / sizeof(arch_table[0]); i++) {
		if (!strcmp(arch_table[i].name, s)) {
			*token = arch_table[i].token;
			return 0;
		}
	}
	return -ENOENT;
}

static int parse_kernel(const char *s, int *out)
{
	unsigned major, minor;
	char tail;

	if (sscanf(s, "%u.%u%c", &major, &minor, &tail) != 2 || major > 1000 || minor > 999)
		return -EINVAL;
	*out = major * 1000 + minor;
	return 0;
}

static int parse_cond(cJSON *j, const char *path, int line, struct sc_cond *c, struct sc_error *e)
{
	char p[160];
	int err;
	cJSON *mk;

	memset(c, 0, sizeof(*c));
	if (!j || cJSON_IsNull(j))
		return 0;
	if (!cJSON_IsObject(j))
		return fail(e, path, line, "must be an object with caps, arches or minKernel");
	c->present = true;
	snprintf(p, sizeof(p), "%s.caps", path);
	if ((err = get_string_array(cJSON_GetObjectItemCaseSensitive(j, "caps"), p, line, &c->caps, &c->n_caps,
				    true, e)))
		return err;
	snprintf(p, sizeof(p), "%s.arches", path);
	if ((err = get_string_array(cJSON_GetObjectItemCaseSensitive(j, "arches"), p, line, &c->arches,
				    &c->n_arches, true, e)))
		return err;
	mk = cJSON_GetObjectItemCaseSensitive(j, "minKernel");
	if (mk && !cJSON_IsNull(mk)) {
		snprintf(p, sizeof(p), "%s.minKernel", path);
		if (!cJSON_IsString(mk) || parse_kernel(mk->valuestring, &c->min_kernel))
			return fail(e, p, line, "must be a kernel version such as \"4.8\"");
	}
	return 0;
}

static int parse_args(cJSON *arr, const char *path, int line, int entry, const struct scan_info *si,
		      struct sc_rule *r, struct sc_error *e)
{
	cJSON *a;
	int i = 0;
	char p[200];

	if (!arr || cJSON_IsNull(arr))
		return 0;
	if (!cJSON_IsArray(arr))
		return fail(e, path, line, "must be an array");
	if (cJSON_GetArraySize(arr) > SC_MAX_ARGS)
		return fail(e, path, line, "has more than %d conditions", SC_MAX_ARGS);
	cJSON_ArrayForEach(a, arr)
	{
		struct sc_arg *sa = &r->args[i];
		cJSON *idx, *val, *val2, *op;
		uint64_t v;
		int err;

		snprintf(p, sizeof(p), "%s[%d]", path, i);
		if (!cJSON_IsObject(a))
			return fail(e, p, line, "must be an object with index, value and op");
		idx = cJSON_GetObjectItemCaseSensitive(a, "index");
		val = cJSON_GetObjectItemCaseSensitive(a, "value");
		val2 = cJSON_GetObjectItemCaseSensitive(a, "valueTwo");
		op = cJSON_GetObjectItemCaseSensitive(a, "op");
		snprintf(p, sizeof(p), "%s[%d].index", path, i);
		if (!idx)
			return fail(e, p, line, "is missing");
		if ((err = parse_uint(idx, p, line, UINT32_MAX, &v, e)))
			return err;
		if (v > 5)
			return fail(e, p, line, "%llu is out of range: a syscall has arguments 0 to 5",
				    (unsigned long long)v);
		sa->index = v;
		snprintf(p, sizeof(p), "%s[%d].value", path, i);
		if (!val)
			return fail(e, p, line, "is missing");
		/* the exact text: a double cannot hold every 64-bit value */
		if (!cJSON_IsNumber(val) || raw_number(si, entry, i, 0, &sa->value))
			return fail(e, p, line, "must be a whole number from 0 to %llu", (unsigned long long)UINT64_MAX);
		if (val2 && !cJSON_IsNull(val2)) {
			snprintf(p, sizeof(p), "%s[%d].valueTwo", path, i);
			if (!cJSON_IsNumber(val2) || raw_number(si, entry, i, 1, &sa->value_two))
				return fail(e, p, line, "must be a whole number from 0 to %llu",
					    (unsigned long long)UINT64_MAX);
		}
		snprintf(p, sizeof(p), "%s[%d].op", path, i);
		if (!op || !cJSON_IsString(op))
			return fail(e, p, line, "must be an operator such as \"SCMP_CMP_EQ\"");
		sa->op = 0;
		for (size_t k = 0; k < sizeof(op_table) / sizeof(op_table[0]); k++)
			if (!strcmp(op_table[k].name, op->valuestring))
				sa->op = op_table[k].op;
		if (!sa->op)
			return fail(e, p, line, "unknown operator \"%.64s\"", op->valuestring);
		i++;
	}
	r->n_args = i;
	return 0;
}

static int parse_rule(cJSON *j, int index, const struct scan_info *si, struct sc_rule *r, bool *docker_only,
		      struct sc_error *e)
{
	char path[128], p[200];
	int line = index < si->n_entries ? si->entry_lines[index] : 0;
	cJSON *name, *names, *er;
	int err;

	r->index = index;
	r->line = line;
	snprintf(path, sizeof(path), "syscalls[%d]", index);
	if (!cJSON_IsObject(j))
		return fail(e, path, line, "must be an object");
	name = cJSON_GetObjectItemCaseSensitive(j, "name");
	names = cJSON_GetObjectItemCaseSensitive(j, "names");
	if (name && !cJSON_IsNull(name) && names && !cJSON_IsNull(names))
		return fail(e, path, line, "has both \"name\" and \"names\": use one");
	if (name && !cJSON_IsNull(name)) {
		snprintf(p, sizeof(p), "%s.name", path);
		if (!cJSON_IsString(name) || !name->valuestring[0])
			return fail(e, p, line, "must be a non-empty string");
		r->names = calloc(1, sizeof(char *));
		if (!r->names)
			return -ENOMEM;
		r->names[0] = xstrdup(name->valuestring);
		r->n_names = 1;
		*docker_only = true;
	} else {
		snprintf(p, sizeof(p), "%s.names", path);
		if (!names || cJSON_IsNull(names))
			return fail(e, path, line, "names no syscall: give \"names\"");
		if ((err = get_string_array(names, p, line, &r->names, &r->n_names, false, e)))
			return err;
	}
	snprintf(p, sizeof(p), "%s.action", path);
	if ((err = parse_action(cJSON_GetObjectItemCaseSensitive(j, "action"), p, line, &r->action, e)))
		return err;
	er = cJSON_GetObjectItemCaseSensitive(j, "errnoRet");
	if (er && !cJSON_IsNull(er)) {
		uint64_t v;
		snprintf(p, sizeof(p), "%s.errnoRet", path);
		if ((err = parse_uint(er, p, line, 0xffff, &v, e)))
			return err;
		r->errno_ret = v;
		r->has_errno_ret = true;
	}
	snprintf(p, sizeof(p), "%s.args", path);
	if ((err = parse_args(cJSON_GetObjectItemCaseSensitive(j, "args"), p, line, index, si, r, e)))
		return err;
	snprintf(p, sizeof(p), "%s.includes", path);
	if ((err = parse_cond(cJSON_GetObjectItemCaseSensitive(j, "includes"), p, line, &r->includes, e)))
		return err;
	snprintf(p, sizeof(p), "%s.excludes", path);
	if ((err = parse_cond(cJSON_GetObjectItemCaseSensitive(j, "excludes"), p, line, &r->excludes, e)))
		return err;
	if (r->includes.present || r->excludes.present)
		*docker_only = true;
	cJSON *c = cJSON_GetObjectItemCaseSensitive(j, "comment");
	if (cJSON_IsString(c) && c->valuestring[0])
		r->comment = xstrdup(c->valuestring);
	return 0;
}

/* The engines (runc, crun) skip names libseccomp does not know; a typo
 * thus silently allows or denies nothing. Say so, with the closest name. */
static void warn_unknown_names(struct profile *p)
{
	for (int i = 0; i < p->n_rules; i++) {
		const struct sc_rule *r = &p->rules[i];
		for (int k = 0; k < r->n_names; k++) {
			if (syscall_known(r->names[k]))
				continue;
			char path[64];
			const char *near = syscall_suggest(r->names[k]);
			snprintf(path, sizeof(path), "syscalls[%d].names[%d]", r->index, k);
			warn(p, path, r->line, "unknown syscall \"%.64s\"%s%s%s: runc, crun and libseccomp skip unknown names, so this entry does nothing for it",
			     r->names[k], near ? " (did you mean \"" : "", near ? near : "", near ? "\"?)" : "");
		}
	}
}

static int parse_section(struct profile *p, const struct scan_info *si, struct sc_error *e)
{
	cJSON *s = p->section, *arr, *it;
	int err, i = 0;

	if ((err = parse_action(cJSON_GetObjectItemCaseSensitive(s, "defaultAction"), "defaultAction", 0,
				&p->default_action, e)))
		return err;
	it = cJSON_GetObjectItemCaseSensitive(s, "defaultErrnoRet");
	if (it && !cJSON_IsNull(it)) {
		uint64_t v;
		if ((err = parse_uint(it, "defaultErrnoRet", 0, 0xffff, &v, e)))
			return err;
		p->default_errno = v;
		p->has_default_errno = true;
	}
	arr = cJSON_GetObjectItemCaseSensitive(s, "architectures");
	cJSON *am = cJSON_GetObjectItemCaseSensitive(s, "archMap");
	bool has_arches = arr && !cJSON_IsNull(arr) && cJSON_GetArraySize(arr) > 0;
	bool has_map = am && !cJSON_IsNull(am) && cJSON_GetArraySize(am) > 0;
	if (has_arches && has_map)
		return fail(e, "archMap", 0, "both \"architectures\" and \"archMap\" are given: use one (as Docker requires)");
	if (arr && !cJSON_IsNull(arr)) {
		if (!cJSON_IsArray(arr))
			return fail(e, "architectures", 0, "must be an array of SCMP_ARCH_* names");
		cJSON_ArrayForEach(it, arr)
		{
			char path[64];
			snprintf(path, sizeof(path), "architectures[%d]", i++);
			uint32_t token;
			if (!cJSON_IsString(it) || parse_arch_name(it->valuestring, &token))
				return fail(e, path, 0, "unknown architecture%s%.64s%s",
					    cJSON_IsString(it) ? " \"" : "", cJSON_IsString(it) ? it->valuestring : "",
					    cJSON_IsString(it) ? "\"" : "");
			add_arch(p->arches, &p->n_arches, token);
		}
	}
	if (am && !cJSON_IsNull(am)) {
		if (!cJSON_IsArray(am))
			return fail(e, "archMap", 0, "must be an array");
		i = 0;
		p->arch_map = calloc(cJSON_GetArraySize(am) + 1, sizeof(*p->arch_map));
		if (!p->arch_map)
			return -ENOMEM;
		cJSON_ArrayForEach(it, am)
		{
			char path[64];
			struct sc_arch_map *m = &p->arch_map[p->n_arch_map];
			cJSON *a = cJSON_GetObjectItemCaseSensitive(it, "architecture"), *sub;
			snprintf(path, sizeof(path), "archMap[%d].architecture", i);
			if (!cJSON_IsString(a) || parse_arch_name(a->valuestring, &m->arch))
				return fail(e, path, 0, "must be an SCMP_ARCH_* name");
			snprintf(path, sizeof(path), "archMap[%d].subArchitectures", i);
			sub = cJSON_GetObjectItemCaseSensitive(it, "subArchitectures");
			if (sub && !cJSON_IsNull(sub)) {
				cJSON *x;
				if (!cJSON_IsArray(sub))
					return fail(e, path, 0, "must be an array");
				cJSON_ArrayForEach(x, sub)
				{
					uint32_t token;
					if (!cJSON_IsString(x) || parse_arch_name(x->valuestring, &token))
						return fail(e, path, 0, "holds an unknown architecture");
					add_arch(m->subs, &m->n_subs, token);
				}
			}
			i++;
			p->n_arch_map++;
		}
		p->docker_only = true;
	}
	arr = cJSON_GetObjectItemCaseSensitive(s, "syscalls");
	if (!arr || cJSON_IsNull(arr))
		return 0;
	if (!cJSON_IsArray(arr))
		return fail(e, "syscalls", 0, "must be an array");
	p->n_rules = cJSON_GetArraySize(arr);
	p->rules = calloc(p->n_rules ? p->n_rules : 1, sizeof(*p->rules));
	if (!p->rules)
		return -ENOMEM;
	i = 0;
	cJSON_ArrayForEach(it, arr)
	{
		if ((err = parse_rule(it, i, si, &p->rules[i], &p->docker_only, e))) {
			p->n_rules = i + 1; /* free what was filled */
			return err;
		}
		i++;
	}
	return 0;
}

int profile_load_text(const char *text, size_t len, const char *label, struct profile **out, struct sc_error *e)
{
	struct profile *p;
	struct scan_info si = {};
	const char *end = NULL;
	int err;
	size_t skip = 0;

	memset(e, 0, sizeof(*e));
	/* text is len bytes, not a C string: no str* function before the copy */
	while (skip < len && (text[skip] == ' ' || text[skip] == '\t' || text[skip] == '\r' || text[skip] == '\n'))
		skip++;
	/* YAML (a Security Profiles Operator SeccompProfile, or a profile
	 * written in YAML): read as the JSON it stands for */
	if (skip < len && text[skip] != '{' && text[skip] != '[' && memchr(text, 0, len) == NULL) {
		char msg[200] = "";
		char *json = spo_yaml_to_profile_json(text, len, msg, sizeof(msg));
		if (!json) {
			snprintf(e->msg, sizeof(e->msg), "neither JSON nor a YAML profile: %s", msg);
			return -EINVAL;
		}
		err = profile_load_text(json, strlen(json), label, out, e);
		free(json);
		return err;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->label = xstrdup(label);
	p->text = malloc(len + 1);
	if (!p->text) {
		profile_free(p);
		return -ENOMEM;
	}
	memcpy(p->text, text, len);
	p->text[len] = 0;
	if (strlen(p->text) != len) {
		err = fail(e, "", 0, "holds a NUL byte: not a JSON text");
		goto out;
	}
	/* cJSON limits nesting (CJSON_NESTING_LIMIT), so hostile depth fails here */
	p->doc = cJSON_ParseWithOpts(p->text, &end, 1);
	if (!p->doc) {
		int line = 0, col = 0;
		end = cJSON_GetErrorPtr();
		if (end && end >= p->text && end <= p->text + len)
			jscan_line_col(p->text, end - p->text, &line, &col);
		err = fail(e, "", line, "not valid JSON (near column %d%s)", col,
			   end && !*end ? ", truncated?" : "");
		goto out;
	}
	if (!cJSON_IsObject(p->doc)) {
		err = fail(e, "", 0, "must be a JSON object");
		goto out;
	}
	char dpath[256] = "";
	if ((err = drop_duplicate_keys(p, p->doc, dpath, 0, sizeof(dpath))))
		goto out;
	cJSON *linux_ = cJSON_GetObjectItemCaseSensitive(p->doc, "linux");
	if (linux_ && !cJSON_GetObjectItemCaseSensitive(p->doc, "defaultAction")) {
		/* an OCI bundle's config.json */
		p->section = cJSON_GetObjectItemCaseSensitive(linux_, "seccomp");
		p->section_path = "/linux/seccomp";
		si.prefix = 2;
		if (!cJSON_IsObject(p->section)) {
			err = fail(e, "linux.seccomp", 0, "is missing: this container runs without a seccomp filter");
			goto out;
		}
	} else {
		p->section = p->doc;
		p->section_path = "";
	}
	cJSON *sys = cJSON_GetObjectItemCaseSensitive(p->section, "syscalls");
	si.n_entries = cJSON_IsArray(sys) ? cJSON_GetArraySize(sys) : 0;
	si.entry_lines = calloc(si.n_entries + 1, sizeof(int));
	si.entry_first_num = malloc((si.n_entries + 1) * sizeof(int));
	if (!si.entry_lines || !si.entry_first_num) {
		err = -ENOMEM;
		goto out;
	}
	for (int i = 0; i <= si.n_entries; i++)
		si.entry_first_num[i] = -1;
	if (jscan(p->text, len, on_scan, &si) || si.oom) {
		err = si.oom ? -ENOMEM : fail(e, "", 0, "not valid JSON");
		goto out;
	}
	if (si.has_bad) {
		err = fail(e, si.bad.path, si.bad.line, "%s", si.bad.msg);
		goto out;
	}
	err = parse_section(p, &si, e);
	if (!err)
		warn_unknown_names(p);
out:
	free(si.entry_lines);
	free(si.entry_first_num);
	free(si.nums);
	free(si.num_entry);
	if (err) {
		profile_free(p);
		return err;
	}
	*out = p;
	return 0;
}

int profile_load_file(const char *path, struct profile **out, struct sc_error *e)
{
	size_t len;
	char *buf;
	int err;

	memset(e, 0, sizeof(*e));
	/* symlinks followed: users name their own files. Never waits on a FIFO
	 * (a regular file reads the same) */
	err = file_read_all(path, PROFILE_MAX_BYTES, FILE_NONBLOCK | FILE_REGULAR, &buf, &len);
	if (err == -EINVAL)
		return fail(e, "", 0, "not a regular file (a profile is a JSON file)");
	if (err == -EFBIG)
		return fail(e, "", 0, "is larger than any seccomp profile (limit %u MiB)", PROFILE_MAX_BYTES >> 20);
	if (err) {
		fail(e, "", 0, "cannot open: %s", strerror(-err));
		return err;
	}
	/* named by its absolute path: output is read away from this directory */
	char *abs = realpath(path, NULL);
	err = profile_load_text(buf, len, abs ? abs : path, out, e);
	free(abs);
	free(buf);
	return err;
}

static void free_strings(char **s, int n)
{
	for (int i = 0; i < n; i++)
		free(s[i]);
	free(s);
}

static void free_rule(struct sc_rule *r)
{
	free_strings(r->names, r->n_names);
	free_strings(r->includes.caps, r->includes.n_caps);
	free_strings(r->includes.arches, r->includes.n_arches);
	free_strings(r->excludes.caps, r->excludes.n_caps);
	free_strings(r->excludes.arches, r->excludes.n_arches);
	free(r->comment);
}

void profile_free(struct profile *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->n_rules; i++)
		free_rule(&p->rules[i]);
	free(p->rules);
	free(p->arch_map);
	free(p->warnings);
	cJSON_Delete(p->doc);
	free(p->text);
	free(p->label);
	free(p);
}

/* ---- Docker's conversion ---- */

uint64_t docker_default_caps(void)
{
	static const char *const caps[] = {
		"CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW", "SETGID",
		"SETUID", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE",
	};
	uint64_t m = 0;

	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		m |= 1ULL << cap_from_name(caps[i]);
	return m;
}

const char *go_arch_of(const char *name)
{
	static const struct {
		const char *alias, *go;
	} t[] = {
		{ "x86_64", "amd64" }, { "amd64", "amd64" }, { "i386", "amd64" }, { "x32", "amd64" },
		{ "aarch64", "arm64" }, { "arm64", "arm64" }, { "ppc64le", "ppc64le" },
		{ "s390x", "s390x" },	{ "riscv64", "riscv64" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (!strcasecmp(t[i].alias, name))
			return t[i].go;
	return NULL;
}

void sc_target_host(struct sc_target *t)
{
	struct utsname u;
	int k = 0;

	t->caps = docker_default_caps();
	t->go_arch = "amd64";
	if (!uname(&u)) {
		unsigned major = 0, minor = 0;
		if (sscanf(u.release, "%u.%u", &major, &minor) == 2)
			k = major * 1000 + minor;
		const char *g = go_arch_of(u.machine);
		if (g)
			t->go_arch = g;
	}
	t->kernel = k;
}

static bool has_cap_named(uint64_t caps, const char *name)
{
	int c = cap_from_name(name);
	return c >= 0 && (caps & (1ULL << c));
}

static bool in_list(char **list, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(list[i], s))
			return true;
	return false;
}

bool rule_applies(const struct sc_rule *r, const struct sc_target *t)
{
	/* moby profiles/seccomp: excludes first, then includes */
	if (r->excludes.n_arches && in_list(r->excludes.arches, r->excludes.n_arches, t->go_arch))
		return false;
	for (int i = 0; i < r->excludes.n_caps; i++)
		if (has_cap_named(t->caps, r->excludes.caps[i]))
			return false;
	if (r->excludes.min_kernel && t->kernel >= r->excludes.min_kernel)
		return false;
	if (r->includes.n_arches && !in_list(r->includes.arches, r->includes.n_arches, t->go_arch))
		return false;
	for (int i = 0; i < r->includes.n_caps; i++)
		if (!has_cap_named(t->caps, r->includes.caps[i]))
			return false;
	if (r->includes.min_kernel && t->kernel < r->includes.min_kernel)
		return false;
	return true;
}

static uint32_t native_token(const char *go_arch)
{
	if (!strcmp(go_arch, "amd64"))
		return SCMP_ARCH_X86_64;
	if (!strcmp(go_arch, "arm64"))
		return SCMP_ARCH_AARCH64;
	if (!strcmp(go_arch, "ppc64le"))
		return SCMP_ARCH_PPC64LE;
	if (!strcmp(go_arch, "s390x"))
		return SCMP_ARCH_S390X;
	if (!strcmp(go_arch, "riscv64"))
		return SCMP_ARCH_RISCV64;
	return 0;
}

static int copy_rule(struct sc_rule *d, const struct sc_rule *s)
{
	*d = *s;
	memset(&d->includes, 0, sizeof(d->includes));
	memset(&d->excludes, 0, sizeof(d->excludes));
	d->names = calloc(s->n_names, sizeof(char *));
	d->comment = s->comment ? xstrdup(s->comment) : NULL;
	if (!d->names)
		return -ENOMEM;
	for (int i = 0; i < s->n_names; i++)
		d->names[i] = xstrdup(s->names[i]);
	return 0;
}

int profile_effective(const struct profile *src, const struct sc_target *t, struct profile **out,
		      struct sc_error *e)
{
	struct profile *p = calloc(1, sizeof(*p));

	memset(e, 0, sizeof(*e));
	if (!p)
		return -ENOMEM;
	p->label = xstrdup(src->label);
	p->titled = src->titled;
	p->section_path = "";
	p->default_action = src->default_action;
	p->default_errno = src->default_errno;
	p->has_default_errno = src->has_default_errno;
	memcpy(p->arches, src->arches, sizeof(p->arches));
	p->n_arches = src->n_arches;
	if (src->n_arch_map) {
		uint32_t native = native_token(t->go_arch);
		for (int i = 0; i < src->n_arch_map; i++) {
			if (src->arch_map[i].arch != native)
				continue;
			add_arch(p->arches, &p->n_arches, native);
			for (int k = 0; k < src->arch_map[i].n_subs; k++)
				add_arch(p->arches, &p->n_arches, src->arch_map[i].subs[k]);
		}
	}
	p->rules = calloc(src->n_rules ? src->n_rules : 1, sizeof(*p->rules));
	if (!p->rules) {
		profile_free(p);
		return -ENOMEM;
	}
	for (int i = 0; i < src->n_rules; i++) {
		if (!rule_applies(&src->rules[i], t))
			continue;
		if (copy_rule(&p->rules[p->n_rules++], &src->rules[i])) {
			profile_free(p);
			return -ENOMEM;
		}
	}
	*out = p;
	return 0;
}

cJSON *profile_to_oci(const struct profile *p)
{
	cJSON *o = cJSON_CreateObject(), *arr, *sys;

	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, "defaultAction", sc_action_profile_name(p->default_action));
	if (p->has_default_errno)
		cJSON_AddNumberToObject(o, "defaultErrnoRet", p->default_errno);
	if (p->n_arches) {
		arr = cJSON_AddArrayToObject(o, "architectures");
		for (int i = 0; i < p->n_arches; i++)
			cJSON_AddItemToArray(arr, cJSON_CreateString(arch_token_name(p->arches[i])));
	}
	sys = cJSON_AddArrayToObject(o, "syscalls");
	for (int i = 0; i < p->n_rules; i++) {
		const struct sc_rule *r = &p->rules[i];
		cJSON *jr = cJSON_CreateObject(), *names = cJSON_AddArrayToObject(jr, "names");
		for (int k = 0; k < r->n_names; k++)
			cJSON_AddItemToArray(names, cJSON_CreateString(r->names[k]));
		cJSON_AddStringToObject(jr, "action", sc_action_profile_name(r->action));
		if (r->has_errno_ret)
			cJSON_AddNumberToObject(jr, "errnoRet", r->errno_ret);
		if (r->n_args) {
			cJSON *args = cJSON_AddArrayToObject(jr, "args");
			for (int k = 0; k < r->n_args; k++) {
				cJSON *a = cJSON_CreateObject();
				char num[32];
				cJSON_AddNumberToObject(a, "index", r->args[k].index);
				/* exact 64-bit values: cJSON would print doubles */
				snprintf(num, sizeof(num), "%llu", (unsigned long long)r->args[k].value);
				cJSON_AddItemToObject(a, "value", cJSON_CreateRaw(num));
				snprintf(num, sizeof(num), "%llu", (unsigned long long)r->args[k].value_two);
				cJSON_AddItemToObject(a, "valueTwo", cJSON_CreateRaw(num));
				cJSON_AddStringToObject(a, "op", sc_op_name(r->args[k].op));
				cJSON_AddItemToArray(args, a);
			}
		}
		cJSON_AddItemToArray(sys, jr);
	}
	return o;
}

/* ---- evaluation ---- */

bool rule_names(const struct sc_rule *r, const char *name)
{
	return in_list(r->names, r->n_names, name);
}

static bool arg_holds(const struct sc_arg *a, uint64_t v, bool is32)
{
	uint64_t x = a->value, y = a->value_two;

	if (is32) {
		v = (uint32_t)v;
		x = (uint32_t)x;
		y = (uint32_t)y;
	}
	switch (a->op) {
	case SC_OP_NE: return v != x;
	case SC_OP_LT: return v < x;
	case SC_OP_LE: return v <= x;
	case SC_OP_EQ: return v == x;
	case SC_OP_GE: return v >= x;
	case SC_OP_GT: return v > x;
	case SC_OP_MASKED_EQ: return (v & x) == y;
	}
	return false;
}

bool rule_args_match(const struct sc_rule *r, const struct sc_call *call)
{
	bool is32 = call->arch == SCMP_ARCH_X86 || call->arch == SCMP_ARCH_ARM;

	for (int i = 0; i < r->n_args; i++)
		if (!arg_holds(&r->args[i], call->args[r->args[i].index], is32))
			return false;
	return true;
}

static int errno_of(uint32_t action, bool has, uint32_t val)
{
	if (action != SCLENS_ACT_ERRNO)
		return -1;
	return has ? (int)val : 1; /* EPERM when absent, as runc does */
}

static bool same_as_default(const struct profile *p, const struct sc_rule *r)
{
	if (r->action != p->default_action)
		return false;
	return errno_of(r->action, r->has_errno_ret, r->errno_ret) ==
	       errno_of(p->default_action, p->has_default_errno, p->default_errno);
}

void profile_eval(const struct profile *eff, const struct sc_call *call, struct sc_verdict *v)
{
	bool arch_ok = false;

	memset(v, 0, sizeof(*v));
	/* no architectures: the native one only */
	if (!eff->n_arches)
		arch_ok = call->arch == SCMP_ARCH_NATIVE || call->arch == seccomp_arch_native();
	for (int i = 0; i < eff->n_arches; i++)
		if (eff->arches[i] == call->arch)
			arch_ok = true;
	if (!arch_ok) {
		/* libseccomp's bad-arch action, which runc leaves as is */
		v->bad_arch = true;
		v->action = SCLENS_ACT_KILL_THREAD;
		v->errno_val = -1;
		return;
	}
	for (int i = 0; i < eff->n_rules; i++) {
		const struct sc_rule *r = &eff->rules[i];
		if (!rule_names(r, call->name) || same_as_default(eff, r))
			continue;
		if (!rule_args_match(r, call))
			continue;
		v->rule = r;
		v->action = r->action;
		v->errno_val = errno_of(r->action, r->has_errno_ret, r->errno_ret);
		return;
	}
	v->action = eff->default_action;
	v->errno_val = errno_of(eff->default_action, eff->has_default_errno, eff->default_errno);
}
