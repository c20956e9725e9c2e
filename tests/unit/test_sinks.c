/* The sinks and the explain stage, driven by a fake record source: the
 * records the pipeline would make, built here by hand, through each sink's
 * own interface (sink.h). No root, no kernel: what they print is compared
 * whole, so a change to any sink's output fails here first. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <seccomp.h>
#include "unit.h"
#include "explainer.h"
#include "json_writer.h"
#include "overflow.h"
#include "profile.h"
#include "report.h"
#include "repeats.h"
#include "sink_log.h"
#include "tune.h"
#include "web_config.h"
#include <crypt.h>
#include <cjson/cJSON.h>

/* ---- the fake source ---- */

static struct sclens_event denial(int nr, int err, const char *comm, uint32_t pid)
{
	struct sclens_event e = {
		.ts_ns = 1000000000ULL, .cgroup_id = 4242, .filter_key = 0xffff888000001000ULL,
		.type = SCLENS_EV_DENIAL, .action = SCLENS_ACT_ERRNO, .pid = pid, .tid = pid, .ppid = 1,
		.arch = SCMP_ARCH_X86_64, .nr = nr, .err = err, .flags = SCLENS_F_HAS_ERRNO | SCLENS_F_VERDICT,
		.filter_count = 1, .ret = -err,
	};

	snprintf(e.comm, sizeof(e.comm), "%s", comm);
	snprintf(e.cgroup_leaf, sizeof(e.cgroup_leaf), "web.scope");
	return e;
}

static struct denial_record record_of(const struct sclens_event *e, const struct explained *x)
{
	return (struct denial_record){ .e = e, .action = e->action, .filter_id = 1, .cgroup_path = "/system.slice/web.scope",
				       .where = "web", .scope = "web", .explained = x };
}

/* The parts of a line that depend on the clock, made constant */
static char *unclocked(const char *line)
{
	char *s = strdup(line), *p;

	if ((p = strstr(s, "\"time\":\""))) {
		char *q = strchr(p + 8, '"');
		memmove(p + 8, "T", 1);
		memmove(p + 9, q, strlen(q) + 1);
	}
	if (s[0] >= '0' && s[0] <= '9' && s[2] == ':') /* the plain form's HH:MM:SS */
		memcpy(s, "HH:MM:SS", 8);
	return s;
}

/* What a reporter wrote, captured */
struct captured {
	struct sbuf text;
	int lines;
};

static int capture(void *arg, const char *line, size_t len)
{
	struct captured *c = arg;

	sb_printf(&c->text, "%.*s", (int)len, line);
	c->lines++;
	return 0;
}

static const char *const small_profile =
	"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":["
	"{\"names\":[\"read\",\"write\"],\"action\":\"SCMP_ACT_ALLOW\"},"
	"{\"names\":[\"clock_settime\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"caps\":[\"CAP_SYS_TIME\"]}}]}";

static struct profile *load_small(void)
{
	struct profile *p = NULL;
	struct sc_error e;

	CHECK(!profile_load_text(small_profile, strlen(small_profile), "small.json", &p, &e), "%s", e.msg);
	return p;
}

/* ---- the reporter: plain and JSON lines ---- */

static void report_json_line(void)
{
	struct sclens_event e = denial(227, 1, "date", 4321);
	struct denial_record r = record_of(&e, NULL);
	struct reporter rep;
	struct captured c = {};

	sb_init(&c.text);
	reporter_init(&rep, true);
	reporter_set_output(&rep, capture, &c);
	reporter_record(&rep, &r);
	char *got = unclocked(c.text.s);
	CHECK_STR(got,
		  "{\"type\":\"denial\",\"ts_ns\":1000000000,\"time\":\"T\",\"node\":\"node-a\",\"pid\":4321,"
		  "\"tid\":4321,\"ppid\":1,\"uid\":0,\"gid\":0,\"comm\":\"date\",\"cgroup_id\":4242,"
		  "\"cgroup\":\"/system.slice/web.scope\",\"cgroup_leaf\":\"web.scope\",\"mntns\":0,\"pidns\":0,"
		  "\"arch\":\"x86_64\",\"nr\":227,\"syscall\":\"clock_settime\",\"args\":[0,0,0,0,0,0],\"ip\":0,"
		  "\"action\":\"errno\",\"errno\":1,\"errno_name\":\"EPERM\",\"action_from\":\"filter\",\"ret\":-1,"
		  "\"cap_eff\":\"0\",\"filter_id\":1,\"filter_count\":1}\n");
	CHECK(c.lines == 1, "%d lines", c.lines);
	free(got);
	reporter_free(&rep);
	sb_free(&c.text);
}

static void report_plain_line(void)
{
	struct sclens_event e = denial(227, 1, "date", 4321);
	struct denial_record r = record_of(&e, NULL);
	struct reporter rep;
	struct captured c = {};

	sb_init(&c.text);
	reporter_init(&rep, false);
	reporter_set_output(&rep, capture, &c);
	reporter_record(&rep, &r);
	reporter_record(&rep, &r);
	/* the header once, then a line each */
	const char *second = strchr(strchr(c.text.s, '\n') + 1, '\n') + 1;
	char *got = unclocked(second);
	CHECK_STR(got, "HH:MM:SS web                      date[4321]             errno        "
		       "clock_settime(0, 0) = -1 EPERM\n");
	CHECK(!strncmp(c.text.s, "TIME     CONTAINER", 18), "header: %s", c.text.s);
	free(got);
	reporter_free(&rep);
	sb_free(&c.text);
}

/* ---- the explain stage, and the explanation as sinks render it ---- */

static void explainer_once_per_scope(void)
{
	struct profile *p = load_small();
	struct explainer *x;
	struct sclens_event e = denial(227, 1, "date", 4321);
	struct explain_src src = { .profile = p, .has_caps = true, .caps = 0, .engine = "docker" };
	const struct explained *ex;

	if (!p)
		return;
	CHECK(!explainer_new(&x), "explainer_new");
	ex = explainer_explain(x, &e, &src, "web");
	CHECK(ex && ex->occurrence == 1, "first");
	uint64_t id = ex ? ex->id : 0;
	ex = explainer_explain(x, &e, &src, "web");
	CHECK(ex && ex->occurrence == 2 && ex->id == id, "a storm keeps its id");
	ex = explainer_explain(x, &e, &src, "db");
	CHECK(ex && ex->occurrence == 1, "another container's first");
	CHECK(explainer_first_count(x) == 2, "%llu firsts", (unsigned long long)explainer_first_count(x));
	/* the deciding rule and the fix: CAP_SYS_TIME, in Docker's words */
	CHECK(ex && ex->x->n_caps == 1, "one capability fix");
	explainer_drop(x);
	ex = explainer_explain(x, &e, &src, "web");
	CHECK(ex && ex->id != id && ex->occurrence == 3, "dropped: a new id, the count goes on");
	struct sclens_event unnamed = denial(4000, 1, "x", 1);
	CHECK(!explainer_explain(x, &unnamed, &src, "web"), "a number no table names is not explained");
	explainer_free(x);
	profile_free(p);
}

/* A flood of scopes: each its first, until the bound, past which all are
 * forgotten (counted) and the old ones are told again */
static void explainer_seen_bound(void)
{
	struct profile *p = load_small();
	struct explainer *x;
	struct sclens_event e = denial(227, 1, "date", 4321);
	struct explain_src src = { .profile = p, .has_caps = true, .caps = 0, .engine = "docker" };
	const struct explained *ex;
	uint64_t told = overflow_get(OVERFLOW_FIXES_TOLD);
	char scope[32];
	int firsts = 0, seconds = 0;

	if (!p)
		return;
	CHECK(!explainer_new(&x), "explainer_new");
	for (int i = 0; i < 16384; i++) {
		snprintf(scope, sizeof(scope), "tenant-%d", i);
		ex = explainer_explain(x, &e, &src, scope);
		firsts += ex && ex->occurrence == 1;
		ex = explainer_explain(x, &e, &src, scope);
		seconds += ex && ex->occurrence == 2;
	}
	CHECK(firsts == 16384 && seconds == 16384, "%d firsts, %d seconds", firsts, seconds);
	CHECK(overflow_get(OVERFLOW_FIXES_TOLD) == told, "no overflow within the bound");
	ex = explainer_explain(x, &e, &src, "one-more");
	CHECK(ex && ex->occurrence == 1, "the one past the bound");
	CHECK(overflow_get(OVERFLOW_FIXES_TOLD) == told + 1, "the overflow counted");
	ex = explainer_explain(x, &e, &src, "tenant-0");
	CHECK(ex && ex->occurrence == 1, "forgotten: told again");
	ex = explainer_explain(x, &e, &src, "one-more");
	CHECK(ex && ex->occurrence == 2, "kept after the forgetting");
	explainer_free(x);
	profile_free(p);
}

static void report_explained_json(void)
{
	struct profile *p = load_small();
	struct explainer *x;
	struct sclens_event e = denial(227, 1, "date", 4321);
	struct explain_src src = { .profile = p, .has_caps = true, .engine = "docker" };
	struct reporter rep;
	struct captured c = {};

	if (!p || explainer_new(&x))
		return;
	sb_init(&c.text);
	reporter_init(&rep, true);
	reporter_set_output(&rep, capture, &c);
	for (int i = 0; i < 2; i++) {
		struct denial_record r = record_of(&e, explainer_explain(x, &e, &src, "web"));
		reporter_record(&rep, &r);
	}
	/* every line carries the whole explanation, and its occurrence */
	char *second = strchr(c.text.s, '\n') + 1;
	cJSON *a = cJSON_ParseWithLength(c.text.s, second - c.text.s), *b = cJSON_Parse(second);
	cJSON *xa = cJSON_GetObjectItem(a, "explanation"), *xb = cJSON_GetObjectItem(b, "explanation");
	CHECK(xa && xb, "both explained");
	CHECK(cJSON_GetObjectItem(xa, "occurrence")->valueint == 1 && cJSON_GetObjectItem(xb, "occurrence")->valueint == 2,
	      "occurrences");
	cJSON_DeleteItemFromObject(xa, "occurrence");
	cJSON_DeleteItemFromObject(xb, "occurrence");
	CHECK(cJSON_Compare(xa, xb, true), "the same explanation on both lines");
	const cJSON *fix = cJSON_GetArrayItem(cJSON_GetObjectItem(xa, "fix"), 0);
	CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(fix, "docker")), "--cap-add SYS_TIME");
	CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(xa, "profile")), "small.json");
	cJSON_Delete(a);
	cJSON_Delete(b);
	reporter_free(&rep);
	sb_free(&c.text);
	explainer_free(x);
	profile_free(p);
}

/* ---- the daemon's log: volume control and rotation ---- */

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf = calloc(1, 1 << 20);
	size_t n = f ? fread(buf, 1, (1 << 20) - 1, f) : 0;

	if (f)
		fclose(f);
	buf[n] = 0;
	return buf;
}

static int count_of(const char *text, const char *needle)
{
	int n = 0;

	for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static void log_first_n_then_repeat(void)
{
	char dir[] = "/tmp/sclens-unit-XXXXXX", path[128];
	struct log_sink *l;
	struct sclens_event e = denial(227, 1, "date", 4321), other = denial(169, 1, "reboot", 99);

	CHECK(mkdtemp(dir), "mkdtemp");
	snprintf(path, sizeof(path), "%s/denials.json", dir);
	struct log_sink_opts o = { .path = path, .keep = 2, .first = 2, .interval_s = 60 };
	CHECK(!log_sink_open(&l, &o), "open");
	struct sink *s = log_sink_base(l);
	/* one tenant's storm, then another's first denial */
	for (int i = 0; i < 50; i++) {
		struct denial_record r = record_of(&e, NULL);
		s->record(s, &r);
	}
	other.cgroup_id = 777;
	struct denial_record r = record_of(&other, NULL);
	s->record(s, &r);
	s->tick(s, NULL, 2000000000ULL, true);
	CHECK(!log_sink_close(l), "close");
	char *text = slurp(path);
	CHECK(count_of(text, "\"syscall\":\"clock_settime\"") == 3, "2 written and 1 repeat line:\n%s", text);
	CHECK(count_of(text, "\"type\":\"repeat\"") == 1, "one repeat line");
	CHECK(strstr(text, "\"count\":48"), "the repeat line sums the other 48");
	CHECK(count_of(text, "\"syscall\":\"reboot\"") == 1, "the other tenant's first is written");
	free(text);
	unlink(path);
	rmdir(dir);
}

static void log_rotates_into_gzip(void)
{
	char dir[] = "/tmp/sclens-unit-XXXXXX", path[128], rotated[160];
	struct log_sink *l;
	struct sclens_event e = denial(227, 1, "date", 4321);
	struct stat st;

	CHECK(mkdtemp(dir), "mkdtemp");
	snprintf(path, sizeof(path), "%s/denials.json", dir);
	struct log_sink_opts o = { .path = path, .max_bytes = 4096, .keep = 2, .first = 0 };
	CHECK(!log_sink_open(&l, &o), "open");
	struct sink *s = log_sink_base(l);
	for (int i = 0; i < 20; i++) { /* about 700 bytes a line */
		struct denial_record r = record_of(&e, NULL);
		s->record(s, &r);
	}
	CHECK(!log_sink_close(l), "close");
	snprintf(rotated, sizeof(rotated), "%s.1.gz", path);
	CHECK(!stat(rotated, &st) && st.st_size > 0, "%s written", rotated);
	snprintf(rotated, sizeof(rotated), "%s.3.gz", path);
	CHECK(stat(rotated, &st), "no more than --log-keep 2 kept");
	CHECK(!stat(path, &st) && st.st_size <= 4096 + 1024, "the live file stays near the limit");
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK(!system(cmd), "cleanup");
}

/* ---- profile tighten's logic ---- */

static void tighten_keeps_what_was_called(void)
{
	const char *profile = "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":["
			      "{\"names\":[\"read\",\"write\",\"mount\"],\"action\":\"SCMP_ACT_ALLOW\"},"
			      "{\"names\":[\"reboot\"],\"action\":\"SCMP_ACT_ALLOW\"},"
			      "{\"names\":[\"kexec_load\"],\"action\":\"SCMP_ACT_ERRNO\"}]}";
	const char *recording = "{\"kind\":\"sclens-recording\",\"recorded\":[{\"calls\":["
				"{\"arch\":\"x86_64\",\"syscall\":\"read\",\"count\":5,\"filtered\":true},"
				"{\"arch\":\"x86_64\",\"syscall\":\"write\",\"count\":2,\"filtered\":true},"
				"{\"arch\":\"x86_64\",\"syscall\":\"mount\",\"count\":1,\"filtered\":false}]}]}";
	struct profile *p = NULL;
	struct sc_error e;
	struct rset s = {};
	struct tightened t;
	char msg[128];

	CHECK(!profile_load_text(profile, strlen(profile), "p.json", &p, &e), "%s", e.msg);
	cJSON *doc = cJSON_Parse(recording);
	CHECK(!rset_add_recording(&s, doc, msg, sizeof(msg)), "%s", msg);
	cJSON_Delete(doc);
	/* mount was the runtime's, before the filter: not the workload's */
	CHECK(s.n == 2 && s.unconfined == 0, "%d calls", s.n);
	CHECK(!tune_tighten(p, &s, &t), "tighten");
	char *got = cJSON_PrintUnformatted(t.doc), *patch = cJSON_PrintUnformatted(t.patch);
	CHECK_STR(got, "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":["
		       "{\"names\":[\"read\",\"write\"],\"action\":\"SCMP_ACT_ALLOW\"},"
		       "{\"names\":[\"kexec_load\"],\"action\":\"SCMP_ACT_ERRNO\"}]}");
	CHECK_STR(patch, "[{\"op\":\"remove\",\"path\":\"/syscalls/1\"},"
			 "{\"op\":\"replace\",\"path\":\"/syscalls/0/names\",\"value\":[\"read\",\"write\"]}]");
	CHECK(t.n_names_removed == 2 && t.kept == 2, "%d removed, %d kept", t.n_names_removed, t.kept);
	CHECK(t.n_removed == 2 && !strcmp(t.removed[0].name, "reboot") && t.removed[0].entry == 1 &&
		      !strcmp(t.removed[1].name, "mount") && t.removed[1].entry == 0,
	      "the removals, last entry first");
	free(got);
	free(patch);
	tightened_free(&t);
	rset_free(&s);
	profile_free(p);
}

/* ---- the endpoint's web configuration ---- */

static char *put(const char *dir, const char *name, const char *text)
{
	char *path;
	FILE *f;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return NULL;
	f = fopen(path, "we");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	return path;
}

static void web_config_files(void)
{
	char dir[] = "/tmp/sclens-web-XXXXXX", msg[256], yaml[512];
	struct crypt_data cd = {};
	struct web_config wc;

	CHECK(mkdtemp(dir), "mkdtemp");
	free(put(dir, "c.pem", "CERT"));
	free(put(dir, "k.pem", "KEY"));
	/* a bcrypt hash made here: cost 4, for speed */
	char *hash = strdup(crypt_r("s3cret", "$2b$04$abcdefghijklmnopqrstuu", &cd));
	snprintf(yaml, sizeof(yaml), "tls_server_config:\n  cert_file: c.pem\n  key_file: %s/k.pem\n"
				     "basic_auth_users:\n  prom: '%s'\n", dir, hash);
	char *ok = put(dir, "ok.yml", yaml);
	CHECK(!web_config_load(ok, &wc, msg, sizeof(msg)), "%s", msg);
	CHECK_STR(wc.cert_pem, "CERT"); /* relative to the file's folder */
	CHECK_STR(wc.key_pem, "KEY");
	CHECK(wc.n_users == 1, "%d users", wc.n_users);
	CHECK(web_config_check(&wc, "prom", "s3cret"), "the right password");
	CHECK(web_config_check(&wc, "prom", "s3cret"), "again, from the cache");
	CHECK(!web_config_check(&wc, "prom", "s3cre"), "a wrong one");
	CHECK(!web_config_check(&wc, "other", "s3cret"), "another user");
	CHECK(!web_config_check(&wc, NULL, NULL), "no credentials");
	web_config_free(&wc);
	static const struct {
		const char *yaml, *msg;
	} bad[] = {
		{ "http_server_config: {http2: false}\n", "http_server_config is not supported" },
		{ "tls_server_config:\n  cert_file: c.pem\n", "needs cert_file and key_file" },
		{ "tls_server_config:\n  cert_file: c.pem\n  key_file: k.pem\n  min_version: TLS13\n",
		  "min_version is not supported" },
		{ "tls_server_config:\n  cert_file: nope.pem\n  key_file: k.pem\n", "cannot read" },
		{ "basic_auth_users:\n  prom: plaintext\n", "not a bcrypt hash" },
		{ "[1, 2]\n", "not a mapping" },
		{ "a: [\n", "not YAML" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *path = put(dir, "bad.yml", bad[i].yaml);
		msg[0] = 0;
		CHECK(web_config_load(path, &wc, msg, sizeof(msg)) < 0, "bad %zu accepted", i);
		CHECK(strstr(msg, bad[i].msg), "bad %zu: %s", i, msg);
		free(path);
	}
	free(ok);
	free(hash);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK(!system(cmd), "cleanup");
}

/* ---- profile generate's logic ---- */

static void generate_keeps_relied_on_errnos(void)
{
	const char *recording = "{\"kind\":\"sclens-recording\",\"recorded\":[{\"calls\":["
				"{\"arch\":\"x86_64\",\"syscall\":\"read\",\"count\":5,\"filtered\":true},"
				"{\"arch\":\"x86_64\",\"syscall\":\"clone\",\"count\":1,\"filtered\":true}],"
				"\"denials\":["
				"{\"arch\":\"x86_64\",\"syscall\":\"clone3\",\"action\":\"errno\",\"errno\":38,\"count\":1},"
				"{\"arch\":\"x86_64\",\"syscall\":\"mount\",\"action\":\"errno\",\"errno\":1,\"count\":1}]}]}";
	struct rset s = {};
	struct sbuf b;
	char msg[128];

	cJSON *doc = cJSON_Parse(recording);
	CHECK(!rset_add_recording(&s, doc, msg, sizeof(msg)), "%s", msg);
	cJSON_Delete(doc);
	sb_init(&b);
	tune_generate(&b, &s, "test");
	cJSON *p = cJSON_Parse(b.s), *e;
	int clone3 = 0, mount = 0;
	cJSON_ArrayForEach(e, cJSON_GetObjectItem(p, "syscalls")) {
		const char *name = cJSON_GetStringValue(cJSON_GetArrayItem(cJSON_GetObjectItem(e, "names"), 0));
		if (name && !strcmp(name, "clone3")) {
			clone3++;
			CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(e, "action")), "SCMP_ACT_ERRNO");
			CHECK(cJSON_GetObjectItem(e, "errnoRet")->valueint == 38, "ENOSYS kept");
		}
		mount += name && !strcmp(name, "mount");
	}
	CHECK(clone3 == 1, "clone3 gets ENOSYS again, as glibc needs to fall back: %s", b.s);
	CHECK(mount == 0, "an EPERM denial is the default's");
	cJSON_Delete(p);
	sb_free(&b);
	rset_free(&s);
}

/* A repeat record, rendered: the JSON line the daemon's log uses too, and
 * the human line; and the kernel's count keys an event maps to */
static void report_repeat_lines(void)
{
	struct sclens_count_key k = { .cgroup_id = 4242, .arch = SCMP_ARCH_X86_64, .nr = 110,
				      .action = SCLENS_ACT_ERRNO, .err = 1 };
	struct repeat_record rr = { .key = &k, .count = 368072, .written = 1000, .interval_s = 1.0 };
	struct reporter rep;
	struct captured c = {};

	sb_init(&c.text);
	reporter_init(&rep, true);
	reporter_set_output(&rep, capture, &c);
	reporter_repeat(&rep, &rr);
	char *got = unclocked(c.text.s);
	CHECK_STR(got, "{\"type\":\"repeat\",\"time\":\"T\",\"node\":\"node-a\",\"cgroup_id\":4242,\"arch\":\"x86_64\","
		       "\"syscall\":\"getppid\",\"action\":\"errno\",\"errno\":1,\"count\":368072,\"written\":1000,"
		       "\"interval_s\":1.000}\n");
	free(got);
	reporter_free(&rep);
	sb_reset(&c.text);
	reporter_init(&rep, false);
	reporter_set_output(&rep, capture, &c);
	reporter_repeat(&rep, &rr);
	CHECK(strstr(c.text.s, "repeat       getppid errno EPERM x 368072 more in 1.0 s, not shown") != NULL, "%s",
	      c.text.s);
	reporter_free(&rep);
	sb_free(&c.text);

	static const struct {
		int32_t nr, err;
		uint32_t action;
		int32_t key_nr, key_err;
	} rows[] = {
		{ 110, 1, SCLENS_ACT_ERRNO, 110, 1 },
		{ 5000, 1, SCLENS_ACT_ERRNO, SCLENS_COUNT_NR_UNKNOWN, 1 },	   /* no arch has it */
		{ -7, 1, SCLENS_ACT_ERRNO, SCLENS_COUNT_NR_UNKNOWN, 1 },
		{ 110, 3000, SCLENS_ACT_ERRNO, 110, 4095 },			   /* an errno without a name */
		{ 110, 3000, SCLENS_ACT_TRAP, 110, 3000 },			   /* TRAP's data stays */
		{ 0x40000000 | 39, 1, SCLENS_ACT_ERRNO, 0x40000000 | 39, 1 },	   /* x32 keeps its flag */
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct sclens_event e = denial(rows[i].nr, rows[i].err, "x", 1);
		struct sclens_count_key key;
		e.action = rows[i].action;
		repeats_count_key(&e, &key);
		CHECK(key.nr == rows[i].key_nr && key.err == rows[i].key_err && key.cgroup_id == e.cgroup_id,
		      "row %zu: nr %d err %d", i, key.nr, key.err);
	}
}

int main(void)
{
	RUN(generate_keeps_relied_on_errnos);
	RUN(web_config_files);
	setenv("SCLENS_NODE_NAME", "node-a", 1);
	RUN(report_json_line);
	RUN(report_plain_line);
	RUN(report_repeat_lines);
	RUN(explainer_once_per_scope);
	RUN(explainer_seen_bound);
	RUN(report_explained_json);
	RUN(log_first_n_then_repeat);
	RUN(log_rotates_into_gzip);
	RUN(tighten_keeps_what_was_called);
	return UNIT_DONE();
}
