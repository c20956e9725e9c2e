// libFuzzer target: the input is a program and a seccomp_data. The
// interpreter must never crash, read outside seccomp_data (ASan watches),
// or loop: checked programs only jump forward.
#include <stdint.h>
#include <string.h>
#include "cbpf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seccomp_data d = {};
	struct sock_filter prog[256];
	size_t n, pc, last;

	if (size < sizeof(d))
		return 0;
	memcpy(&d, data, sizeof(d));
	data += sizeof(d);
	size -= sizeof(d);
	n = size / sizeof(prog[0]);
	if (n > 256)
		n = 256;
	memcpy(prog, data, n * sizeof(prog[0]));
	if (cbpf_check(prog, n, &pc))
		return 0;
	cbpf_run(prog, n, &d, &last);
	if (last > n)
		__builtin_trap();
	return 0;
}
