/* Minimal table-friendly unit test harness printing TAP lines. */
#ifndef SCLENS_UNIT_H
#define SCLENS_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_case_failed, unit_n, unit_failures;

#define CHECK(cond, fmt, ...)                                                         \
	do {                                                                          \
		if (!(cond)) {                                                        \
			unit_case_failed = 1;                                         \
			printf("#   %s:%d: CHECK(%s) failed: " fmt "\n", __FILE__, __LINE__, \
			       #cond, ##__VA_ARGS__);                                 \
		}                                                                     \
	} while (0)

#define CHECK_STR(got, want)                                                            \
	do {                                                                            \
		const char *_g = (got), *_w = (want);                                   \
		if (!_g || !_w || strcmp(_g, _w)) {                                     \
			unit_case_failed = 1;                                           \
			printf("#   %s:%d: %s: got \"%s\", want \"%s\"\n", __FILE__, __LINE__, \
			       #got, _g ? _g : "(null)", _w ? _w : "(null)");           \
		}                                                                       \
	} while (0)

#define RUN(fn)                                                                         \
	do {                                                                            \
		unit_case_failed = 0;                                                   \
		fn();                                                                   \
		unit_n++;                                                               \
		if (unit_case_failed)                                                   \
			unit_failures++;                                                \
		printf("%s %d - %s: %s\n", unit_case_failed ? "not ok" : "ok", unit_n, __FILE__, #fn); \
	} while (0)

#define UNIT_DONE() (unit_failures ? 1 : 0)

#endif
