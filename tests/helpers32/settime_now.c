// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Sets the real-time clock to its own current value: the clock never
 * moves, but the call is the one `date -s` makes. Built static, so that it
 * runs in a busybox container. Exit 0 if it was allowed, 1 if not. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int main(void)
{
	struct timespec ts;
	int r;

	clock_gettime(CLOCK_REALTIME, &ts);
	r = clock_settime(CLOCK_REALTIME, &ts);
	printf("settime-now: clock_settime %s\n", r ? strerror(errno) : "succeeded");
	return r ? 1 : 0;
}
