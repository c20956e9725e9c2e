// Escaping of untrusted strings and strict number parsing.
#include <errno.h>
#include <stdlib.h>
#include <cjson/cJSON.h>
#include "unit.h"
#include "json_writer.h"
#include "text.h"
#include "seed.h"
#include "sclens.h"

/* The one JSON writer: commas at every depth, escaping, numbers. */
static void json_writer(void)
{
	struct sbuf b;
	struct jw w;

	sb_init(&b);
	jw_init(&w, &b);
	jw_obj_begin(&w);
	jw_kv_str(&w, "a", "x\"\n\x1b");
	jw_key(&w, "list");
	jw_arr_begin(&w);
	jw_u64(&w, 18446744073709551615ULL);
	jw_i64(&w, -9223372036854775807LL - 1);
	jw_obj_begin(&w);
	jw_obj_end(&w);
	jw_arr_begin(&w);
	jw_arr_end(&w);
	jw_null(&w);
	jw_arr_end(&w);
	jw_kv_str_opt(&w, "absent", NULL);
	jw_kv_str(&w, "null_string", NULL);
	jw_kv_bool(&w, "t", true);
	jw_key(&w, "id");
	jw_hex(&w, 0xabc, 16);
	jw_key(&w, "raw");
	jw_raw(&w, "[1,2]");
	jw_key(&w, "err");
	jw_error(&w, "bad \"thing\"", NULL);
	jw_obj_end(&w);
	CHECK_STR(b.s, "{\"a\":\"x\\\"\\n\\u001b\",\"list\":[18446744073709551615,-9223372036854775808,{},[],null],"
		       "\"null_string\":null,\"t\":true,\"id\":\"0000000000000abc\",\"raw\":[1,2],"
		       "\"err\":{\"error\":\"bad \\\"thing\\\"\"}}");
	sb_free(&b);
}

static void terminal_escaping(void)
{
	static const struct {
		const char *in;
		const char *out;
	} rows[] = {
		{ "date", "date" },
		{ "a b", "a b" },
		{ "\x1b[2Jev", "\\x1b[2Jev" },
		{ "line\nnext", "line\\x0anext" },
		{ "back\\slash", "back\\\\slash" },
		{ "del\x7f", "del\\x7f" },
		{ "caf\xc3\xa9", "caf\\xc3\\xa9" },
		{ "", "" },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct sbuf b;
		sb_init(&b);
		sb_put_escaped(&b, rows[i].in, strlen(rows[i].in));
		CHECK_STR(b.s ? b.s : "", rows[i].out);
		sb_free(&b);
	}
	/* stops at n even without a NUL (a full 16-byte comm) */
	struct sbuf b;
	sb_init(&b);
	sb_put_escaped(&b, "0123456789abcdefXYZ", 16);
	CHECK_STR(b.s, "0123456789abcdef");
	sb_free(&b);
}

static void json_strings(void)
{
	static const struct {
		const char *in;
		const char *out;
	} rows[] = {
		{ "date", "\"date\"" },
		{ "q\"uote", "\"q\\\"uote\"" },
		{ "\x1b[31m", "\"\\u001b[31m\"" },
		{ "tab\there", "\"tab\\there\"" },
		{ "caf\xc3\xa9", "\"caf\xc3\xa9\"" },   /* valid UTF-8 kept */
		{ "bad\xff", "\"bad\\u00ff\"" },	   /* invalid byte escaped */
		{ "\xc3", "\"\\u00c3\"" },		   /* truncated sequence */
		{ "\xed\xa0\x80", "\"\\u00ed\\u00a0\\u0080\"" }, /* surrogate */
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct sbuf b;
		sb_init(&b);
		sb_put_json_str(&b, rows[i].in, strlen(rows[i].in));
		CHECK_STR(b.s, rows[i].out);
		/* and it always parses */
		cJSON *j = cJSON_Parse(b.s);
		CHECK(j && cJSON_IsString(j), "row %zu does not parse", i);
		cJSON_Delete(j);
		sb_free(&b);
	}
}

static void numbers(void)
{
	static const struct {
		const char *in;
		int rc;
		uint64_t v;
	} rows[] = {
		{ "0", 0, 0 },
		{ "42", 0, 42 },
		{ "0x28", 0, 40 },
		{ "18446744073709551615", 0, UINT64_MAX },
		{ "18446744073709551616", -ERANGE, 0 },
		{ "-1", -EINVAL, 0 },
		{ "12abc", -EINVAL, 0 },
		{ "", -EINVAL, 0 },
		{ " 1", -EINVAL, 0 },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint64_t v = 0;
		int rc = parse_u64(rows[i].in, &v);
		CHECK(rc == rows[i].rc, "'%s': rc %d", rows[i].in, rc);
		if (!rc)
			CHECK(v == rows[i].v, "'%s'", rows[i].in);
	}
	long l;
	CHECK(parse_int("10", 1, 100, &l) == 0 && l == 10, "in range");
	CHECK(parse_int("0", 1, 100, &l) == -ERANGE, "below");
	CHECK(parse_int("abc", 1, 100, &l) == -EINVAL, "garbage");
	CHECK(parse_int("99999999999999999999", 1, 100, &l) == -ERANGE, "overflow");
}

static void syscall_args(void)
{
	static const struct {
		const char *in;
		int rc, index;
		uint64_t v;
	} rows[] = {
		{ "0=40", 0, 0, 40 },
		{ "5=0xffffffff", 0, 5, 0xffffffff },
		{ "1=18446744073709551615", 0, 1, UINT64_MAX },
		{ "6=1", -ERANGE, 0, 0 },
		{ "=1", -EINVAL, 0, 0 },
		{ "0=", -EINVAL, 0, 0 },
		{ "0=-1", -EINVAL, 0, 0 },
		{ "01234567=1", -EINVAL, 0, 0 },
		{ "x=1", -ERANGE, 0, 0 },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint64_t args[6] = {};
		int rc = parse_syscall_arg(rows[i].in, args);
		CHECK(rc == rows[i].rc, "'%s': rc %d", rows[i].in, rc);
		if (!rc)
			CHECK(args[rows[i].index] == rows[i].v, "'%s'", rows[i].in);
	}
}

static void proc_syscall_lines(void)
{
	static const struct {
		const char *line;
		int rc, nr;
	} rows[] = {
		{ "running\n", 0, SCLENS_SEED_IN_USER },
		{ "0 0x3 0x7ffd 0x1 0x0 0x0 0x0 0x7ffd 0x7f12\n", 0, 0 },
		{ "7 0x1 0x2 0x3 0x0 0x0 0x0 0x7ffd 0x7f12\n", 0, 7 },
		{ "-1 0x7ffd 0x7f12\n", 0, SCLENS_SEED_IN_USER },
		{ "garbage\n", -EINVAL, 0 },
		{ "", -EINVAL, 0 },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int nr = -99;
		int rc = seed_parse_syscall_line(rows[i].line, &nr);
		CHECK(rc == rows[i].rc, "row %zu rc %d", i, rc);
		if (!rc)
			CHECK(nr == rows[i].nr, "row %zu nr %d", i, nr);
	}
}

/* Plain lines on an 80-column terminal: wrapped at spaces, each
 * continuation under its text */
static const struct {
	const char *in;
	int width;
	const char *want;
} wrap_rows[] = {
	{ "short line\n", 80, "short line\n" },
	{ "    why:  aaaa bbbb cccc dddd\n", 20, "    why:  aaaa bbbb\n          cccc dddd\n" },
	{ "          write it: sclens explain --profile /x.json\n", 30,
	  "          write it: sclens\n                    explain\n                    --profile\n                    /x.json\n" },
	{ "12:00:00 web  date[1]  errno  clock_settime(0, 0x7ffc) = -1 EPERM\n", 40,
	  "12:00:00 web  date[1]  errno\n    clock_settime(0, 0x7ffc) = -1 EPERM\n" },
	/* a word longer than the line stays whole; width 0 wraps nothing */
	{ "    fix:  averyveryverylongword end\n", 12, "    fix:  averyveryverylongword\n          end\n" },
	{ "    why:  aaaa bbbb cccc dddd\n", 0, "    why:  aaaa bbbb cccc dddd\n" },
};

static void wrapping(void)
{
	for (size_t i = 0; i < sizeof(wrap_rows) / sizeof(wrap_rows[0]); i++) {
		struct sbuf b;
		sb_init(&b);
		sb_put_lines_wrapped(&b, wrap_rows[i].in, strlen(wrap_rows[i].in), wrap_rows[i].width);
		CHECK_STR(b.s, wrap_rows[i].want);
		sb_free(&b);
	}
	struct sbuf b;
	sb_init(&b);
	sb_puts(&b, "       fix: ");
	sb_put_wrapped(&b, "set \"icc\": false in daemon.json and restart", 12, 12, 40);
	CHECK_STR(b.s, "       fix: set \"icc\": false in\n            daemon.json and restart");
	sb_free(&b);
}

int main(void)
{
	RUN(wrapping);
	RUN(json_writer);
	RUN(terminal_escaping);
	RUN(json_strings);
	RUN(numbers);
	RUN(syscall_args);
	RUN(proc_syscall_lines);
	return UNIT_DONE();
}
