// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* In containers (static, for a busybox rootfs): makes a known number of
 * calls, so that tests know exactly how many denials to expect.
 *   calls N M: getppid N times, then getpgid(0) M times */
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 0, m = argc > 2 ? atol(argv[2]) : 0;

	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	for (long i = 0; i < m; i++)
		syscall(SYS_getpgid, 0);
	return 0;
}
