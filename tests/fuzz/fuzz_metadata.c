// libFuzzer target: the readers of the engines' metadata, on text a
// container's owner may shape: an OCI bundle's config.json (annotations,
// capabilities, the effective seccomp profile), Docker's config.v2.json
// and hostconfig.json (with a custom profile's content in SecurityOpt),
// and containers/storage's containers.json. All four parsers see every
// input; then the label, the JSON and the recognition of its profile.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "containers.h"
#include "defaults.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int loaded;
	char *text = malloc(size + 1);
	struct container c = { .id = strdup("0123456789abcdef") };
	struct sbuf b;
	struct jw w;

	if (!loaded++)
		defaults_load(NULL);
	if (!text) {
		container_free(&c);
		return 0;
	}
	memcpy(text, data, size);
	text[size] = 0;
	meta_bundle_config(&c, text, size, "config.json");
	meta_docker_config(&c, text, size);
	meta_docker_hostconfig(&c, text, size);
	meta_storage_list(&c, text, size);
	c.runtime = strdup("docker"); /* labelled as a container */
	sb_init(&b);
	container_label(&b, &c);
	jw_init(&w, &b);
	jw_obj_begin(&w);
	container_json(&w, &c);
	jw_obj_end(&w);
	sb_free(&b);
	if (c.profile) {
		struct recognition r;
		if (!defaults_recognise(c.profile, c.has_caps ? c.caps : 0, &r)) {
			sb_init(&b);
			recognition_describe(&r, &b);
			recognition_for_call(&r, "clock_settime");
			sb_free(&b);
			recognition_free(&r);
		}
	}
	container_free(&c);
	free(text);
	return 0;
}
