// libFuzzer target: the input is a seccomp_data and a program. The
// interpreter must never crash, read outside seccomp_data (ASan watches),
// or loop, whether or not the program passed cbpf_check: replay runs only
// checked programs, but the interpreter must stay safe on any input.
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "cbpf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seccomp_data d = {};
	struct sock_filter prog[256];
	size_t n, pc, last = 0;

	if (size < sizeof(d))
		return 0;
	memcpy(&d, data, sizeof(d));
	data += sizeof(d);
	size -= sizeof(d);
	n = size / sizeof(prog[0]);
	if (n > 256)
		n = 256;
	memcpy(prog, data, n * sizeof(prog[0]));
	bool checked = n && !cbpf_check(prog, n, &pc);
	uint32_t ret = cbpf_run(prog, n, &d, &last);
	if (last > n)
		__builtin_trap();
	/* a checked program ends on one of its returns, or on a division by
	 * X == 0 (last == n), which the kernel answers with 0 */
	if (checked && last == n && ret != 0)
		__builtin_trap();
	return 0;
}
