// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The Security Profiles Operator's SeccompProfile (YAML, libyaml): written
 * from a Docker-format profile, and read back as one wherever a profile is
 * read (the spec is the same object under other keys' names). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include <cjson/cJSON.h>
#include "json_writer.h"
#include "text.h"
#include "spo.h"

static int emit(yaml_emitter_t *em, yaml_event_t *ev)
{
	return yaml_emitter_emit(em, ev) ? 0 : -EIO;
}

static int scalar(yaml_emitter_t *em, const char *s, bool plain)
{
	yaml_event_t ev;

	yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, -1, plain, !plain,
				     plain ? YAML_PLAIN_SCALAR_STYLE : YAML_DOUBLE_QUOTED_SCALAR_STYLE);
	return emit(em, &ev);
}

/* A JSON value as YAML: numbers and booleans plain, strings quoted when a
 * plain scalar would read as something else */
static int node(yaml_emitter_t *em, const cJSON *v, bool flow)
{
	yaml_event_t ev;
	const cJSON *c;
	int err = 0;

	if (cJSON_IsObject(v)) {
		yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE);
		if ((err = emit(em, &ev)))
			return err;
		cJSON_ArrayForEach(c, v) {
			if ((err = scalar(em, c->string, true)) || (err = node(em, c, flow)))
				return err;
		}
		yaml_mapping_end_event_initialize(&ev);
		return emit(em, &ev);
	}
	if (cJSON_IsArray(v)) {
		/* lists of names read best in one line */
		bool strings = cJSON_GetArraySize(v) > 0 && cJSON_IsString(cJSON_GetArrayItem(v, 0));
		yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
						     flow || strings ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE);
		if ((err = emit(em, &ev)))
			return err;
		cJSON_ArrayForEach(c, v) {
			if ((err = node(em, c, flow || (cJSON_IsObject(c) && strings))))
				return err;
		}
		yaml_sequence_end_event_initialize(&ev);
		return emit(em, &ev);
	}
	if (cJSON_IsNumber(v)) {
		char num[32];
		snprintf(num, sizeof(num), "%.0f", v->valuedouble);
		return scalar(em, num, true);
	}
	if (cJSON_IsBool(v))
		return scalar(em, cJSON_IsTrue(v) ? "true" : "false", true);
	if (cJSON_IsString(v))
		return scalar(em, v->valuestring, strspn(v->valuestring, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789") ==
							  strlen(v->valuestring) && *v->valuestring &&
						  !(*v->valuestring >= '0' && *v->valuestring <= '9'));
	return scalar(em, "null", true);
}

static int write_file(void *data, unsigned char *buffer, size_t size)
{
	return fwrite(buffer, 1, size, data) == size;
}

int profile_json_to_spo_yaml(const char *json, const char *name, FILE *out)
{
	cJSON *p = cJSON_Parse(json), *doc, *spec, *sys, *e;
	yaml_emitter_t em;
	yaml_event_t ev;
	int err;

	if (!p)
		return -EINVAL;
	/* the SeccompProfile's spec has no comments nor defaultErrnoRet */
	cJSON_DeleteItemFromObject(p, "defaultErrnoRet");
	sys = cJSON_GetObjectItem(p, "syscalls");
	cJSON_ArrayForEach(e, sys)
		cJSON_DeleteItemFromObject(e, "comment");
	doc = cJSON_CreateObject();
	cJSON_AddStringToObject(doc, "apiVersion", "security-profiles-operator.x-k8s.io/v1beta1");
	cJSON_AddStringToObject(doc, "kind", "SeccompProfile");
	cJSON *meta = cJSON_AddObjectToObject(doc, "metadata");
	cJSON_AddStringToObject(meta, "name", name);
	spec = p;
	cJSON_AddItemToObject(doc, "spec", spec);
	yaml_emitter_initialize(&em);
	yaml_emitter_set_output(&em, write_file, out);
	yaml_emitter_set_unicode(&em, 1);
	yaml_emitter_set_width(&em, 100);
	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	err = emit(&em, &ev);
	yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
	err = err ? err : emit(&em, &ev);
	err = err ? err : node(&em, doc, false);
	yaml_document_end_event_initialize(&ev, 1);
	err = err ? err : emit(&em, &ev);
	yaml_stream_end_event_initialize(&ev);
	err = err ? err : emit(&em, &ev);
	yaml_emitter_delete(&em);
	cJSON_Delete(doc);
	return err;
}

/* ---- reading: YAML to JSON text, for the profile parser ---- */

static bool plain_number(const char *s)
{
	if (*s == '-')
		s++;
	if (!*s)
		return false;
	if (s[0] == '0' && s[1])
		return false; /* 0755 and 0x1f are strings to YAML 1.2's core schema as JSON has them */
	return strspn(s, "0123456789") == strlen(s);
}

/* Aliases let a few hundred bytes of YAML stand for gigabytes (nested
 * anchors, each used several times): the JSON may grow to this many times
 * the YAML, plus 1 MiB, and no further (a profile without aliases is about
 * its own size in JSON). */
#define YAML_EXPANSION_MAX 16

static int yaml_node_to_json(yaml_document_t *d, yaml_node_t *n, struct sbuf *b, int depth, size_t max)
{
	if (!n || depth > 64)
		return -EINVAL;
	if (b->len > max)
		return -E2BIG;
	switch (n->type) {
	case YAML_SCALAR_NODE: {
		const char *v = (const char *)n->data.scalar.value;
		if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
		    (plain_number(v) || !strcmp(v, "true") || !strcmp(v, "false") || !strcmp(v, "null"))) {
			sb_puts(b, v);
			return 0;
		}
		struct jw w;
		jw_init(&w, b);
		jw_strn(&w, v, n->data.scalar.length);
		return 0;
	}
	case YAML_SEQUENCE_NODE: {
		sb_putc(b, '[');
		for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top; i++) {
			if (i != n->data.sequence.items.start)
				sb_putc(b, ',');
			int err = yaml_node_to_json(d, yaml_document_get_node(d, *i), b, depth + 1, max);
			if (err)
				return err;
		}
		sb_putc(b, ']');
		return 0;
	}
	case YAML_MAPPING_NODE: {
		sb_putc(b, '{');
		for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yaml_document_get_node(d, p->key);
			if (!k || k->type != YAML_SCALAR_NODE)
				return -EINVAL;
			if (p != n->data.mapping.pairs.start)
				sb_putc(b, ',');
			struct jw w;
			jw_init(&w, b);
			jw_strn(&w, (const char *)k->data.scalar.value, k->data.scalar.length);
			sb_putc(b, ':');
			int err = yaml_node_to_json(d, yaml_document_get_node(d, p->value), b, depth + 1, max);
			if (err)
				return err;
		}
		sb_putc(b, '}');
		return 0;
	}
	default:
		return -EINVAL;
	}
}

char *spo_yaml_to_profile_json(const char *text, size_t len, char *msg, size_t msg_len)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	struct sbuf b;
	char *out = NULL;

	if (!yaml_parser_initialize(&parser))
		return NULL;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		snprintf(msg, msg_len, "not YAML: %s at line %zu", parser.problem ? parser.problem : "?",
			 parser.problem_mark.line + 1);
		yaml_parser_delete(&parser);
		return NULL;
	}
	sb_init(&b);
	size_t max = len * YAML_EXPANSION_MAX + (1u << 20);
	int err = yaml_node_to_json(&doc, yaml_document_get_root_node(&doc), &b, 0, max);
	if (err == -E2BIG) {
		snprintf(msg, msg_len, "YAML whose aliases expand past %zu bytes (%d times its size and 1 MiB): "
				       "refused, as an alias bomb would be; write the profile without aliases",
			 max, YAML_EXPANSION_MAX);
		sb_free(&b);
	} else if (err || b.oom) {
		snprintf(msg, msg_len, "YAML that JSON cannot hold (anchors deeper than 64, or a key that is not text)");
		sb_free(&b);
	} else {
		cJSON *j = cJSON_Parse(b.s);
		const cJSON *kind = j ? cJSON_GetObjectItem(j, "kind") : NULL;
		cJSON *spec = j ? cJSON_GetObjectItem(j, "spec") : NULL;
		if (cJSON_IsString(kind) && !strcmp(kind->valuestring, "SeccompProfile") && cJSON_IsObject(spec)) {
			out = cJSON_Print(spec);
		} else if (j && cJSON_GetObjectItem(j, "defaultAction")) {
			out = b.s; /* a plain profile written in YAML */
			b.s = NULL;
		} else {
			snprintf(msg, msg_len, "YAML, but neither a SeccompProfile (kind: SeccompProfile, spec:) nor a "
					       "profile (defaultAction:)");
		}
		cJSON_Delete(j);
		sb_free(&b);
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return out;
}
