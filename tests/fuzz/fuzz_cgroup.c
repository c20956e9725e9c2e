// libFuzzer target: the cgroup path classifier (runtime, id, pod uid, unit
// from a path the kernel or a container's owner chose) and the labels and
// JSON made from its result.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "containers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *path = malloc(size + 1);
	struct container c = {};
	struct sbuf b;
	struct jw w;

	if (!path)
		return 0;
	memcpy(path, data, size);
	path[size] = 0;
	container_from_cgroup_path(path, &c);
	sb_init(&b);
	container_label(&b, &c);
	jw_init(&w, &b);
	jw_obj_begin(&w);
	container_json(&w, &c);
	jw_obj_end(&w);
	sb_free(&b);
	container_free(&c);
	free(path);
	return 0;
}
