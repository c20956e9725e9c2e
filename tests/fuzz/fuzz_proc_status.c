// libFuzzer target: the /proc parsers used when seeding threads that were
// filtered before sclens started (status text, syscall line).
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "seed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	int v;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	seed_status_filter_mode(text);
	seed_parse_syscall_line(text, &v);
	free(text);
	return 0;
}
