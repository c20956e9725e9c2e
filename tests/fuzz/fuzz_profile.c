// libFuzzer target: a profile text through everything sclens does with a
// file a user or a container's owner wrote: load (Docker or OCI), convert
// for two targets, print as OCI, explain calls with the plain and JSON
// printers and the JSON Patch. Nothing may crash, leak or read out of
// bounds; output is built but not printed.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fix.h"
#include "names.h"
#include "profile.h"
#include "sclens.h"

static void explain_some(const struct profile *src, const struct sc_target *t, const uint8_t *data, size_t size)
{
	static const char *const calls[] = { "clock_settime", "read", "clone", "socket", "personality", "ptrace" };
	struct sbuf b;

	sb_init(&b);
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		struct sc_call call = { .arch = SCLENS_ARCH_X86_64, .name = calls[i] };
		struct explanation x;
		/* argument values from the input's tail, so conditions are hit */
		for (int a = 0; a < 6 && size >= 8 * (size_t)(a + 1); a++)
			memcpy(&call.args[a], data + size - 8 * (a + 1), 8);
		if (explain_call(src, t, &call, &x))
			continue;
		explanation_plain(&b, &x, src, &call, "  ");
		struct jw w;
		jw_init(&w, &b);
		jw_obj_begin(&w);
		explanation_json(&w, &x, src, &call);
		jw_obj_end(&w);
		explanation_summary(&b, &x, src, &call);
		explanation_free(&x);
		sb_reset(&b);
	}
	sb_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct profile *p = NULL, *eff = NULL;
	struct sc_error e;
	struct sc_target t;

	if (profile_load_text((const char *)data, size, "fuzz.json", &p, &e))
		return 0;
	sc_target_host(&t);
	for (int pass = 0; pass < 2; pass++) {
		if (pass)
			t.caps = ~0ULL >> (64 - SCLENS_CAP_LAST - 1);
		if (!profile_effective(p, &t, &eff, &e)) {
			cJSON *oci = profile_to_oci(eff);
			char *text = oci ? cJSON_PrintUnformatted(oci) : NULL;
			free(text);
			cJSON_Delete(oci);
			profile_free(eff);
		}
		explain_some(p, &t, data, size);
	}
	profile_free(p);
	return 0;
}
