// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#define _GNU_SOURCE
#include <crypt.h>
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "files.h"
#include "web_config.h"

/* Each PEM file and the configuration itself are small */
#define WEB_FILE_MAX (1u << 20)

static const char *scalar(yaml_document_t *d, yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* path, relative to the configuration file's folder unless absolute */
static int read_pem(const char *config, const char *path, char **out, char *msg, size_t msg_len)
{
	char full[4096], dir[4096];
	size_t len;
	int err;

	snprintf(dir, sizeof(dir), "%s", config);
	snprintf(full, sizeof(full), "%s%s%s", path[0] == '/' ? "" : dirname(dir), path[0] == '/' ? "" : "/", path);
	err = file_read_all(full, WEB_FILE_MAX, FILE_NONBLOCK | FILE_REGULAR, out, &len);
	if (err)
		snprintf(msg, msg_len, "cannot read %s: %s", full, strerror(-err));
	return err;
}

static int tls_section(const char *config, yaml_document_t *d, yaml_node_t *m, struct web_config *wc, char *msg,
		       size_t msg_len)
{
	const char *cert = NULL, *key = NULL;

	if (m->type != YAML_MAPPING_NODE) {
		snprintf(msg, msg_len, "tls_server_config must be a mapping");
		return -EINVAL;
	}
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		const char *k = scalar(d, yaml_document_get_node(d, p->key));
		const char *v = scalar(d, yaml_document_get_node(d, p->value));
		if (k && !strcmp(k, "cert_file"))
			cert = v;
		else if (k && !strcmp(k, "key_file"))
			key = v;
		else {
			snprintf(msg, msg_len, "tls_server_config: %s is not supported by sclens (cert_file and key_file are)",
				 k ? k : "?");
			return -EINVAL;
		}
	}
	if (!cert || !key) {
		snprintf(msg, msg_len, "tls_server_config needs cert_file and key_file");
		return -EINVAL;
	}
	int err = read_pem(config, cert, &wc->cert_pem, msg, msg_len);
	return err ? err : read_pem(config, key, &wc->key_pem, msg, msg_len);
}

static int users_section(yaml_document_t *d, yaml_node_t *m, struct web_config *wc, char *msg, size_t msg_len)
{
	if (m->type != YAML_MAPPING_NODE) {
		snprintf(msg, msg_len, "basic_auth_users must be a mapping of user names to bcrypt hashes");
		return -EINVAL;
	}
	size_t n = m->data.mapping.pairs.top - m->data.mapping.pairs.start;
	wc->users = calloc(n ? n : 1, sizeof(*wc->users));
	if (!wc->users)
		return -ENOMEM;
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		const char *k = scalar(d, yaml_document_get_node(d, p->key));
		const char *v = scalar(d, yaml_document_get_node(d, p->value));
		/* bcrypt only, as exporters: $2a$, $2b$, $2y$ */
		if (!k || !v || strncmp(v, "$2", 2) || strlen(v) < 59) {
			snprintf(msg, msg_len, "basic_auth_users: %s: not a bcrypt hash (make one with htpasswd -nB USER, "
					       "or mkpasswd -m bcrypt)", k ? k : "?");
			return -EINVAL;
		}
		struct web_user *u = &wc->users[wc->n_users++];
		u->name = strdup(k);
		u->hash = strdup(v);
		if (!u->name || !u->hash)
			return -ENOMEM;
	}
	return 0;
}

int web_config_load(const char *path, struct web_config *wc, char *msg, size_t msg_len)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	size_t len;
	char *text;
	int err;

	memset(wc, 0, sizeof(*wc));
	if ((err = file_read_all(path, WEB_FILE_MAX, FILE_NONBLOCK | FILE_REGULAR, &text, &len))) {
		snprintf(msg, msg_len, "cannot read: %s", strerror(-err));
		return err;
	}
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		snprintf(msg, msg_len, "not YAML: %s (line %zu)", parser.problem ? parser.problem : "?",
			 parser.problem_mark.line + 1);
		yaml_parser_delete(&parser);
		free(text);
		return -EINVAL;
	}
	yaml_node_t *root = yaml_document_get_root_node(&doc);
	err = 0;
	if (root && root->type != YAML_MAPPING_NODE) {
		snprintf(msg, msg_len, "not a mapping of tls_server_config and basic_auth_users");
		err = -EINVAL;
	}
	for (yaml_node_pair_t *p = root && !err ? root->data.mapping.pairs.start : NULL;
	     p && p < root->data.mapping.pairs.top && !err; p++) {
		const char *k = scalar(&doc, yaml_document_get_node(&doc, p->key));
		yaml_node_t *v = yaml_document_get_node(&doc, p->value);
		if (k && !strcmp(k, "tls_server_config"))
			err = tls_section(path, &doc, v, wc, msg, msg_len);
		else if (k && !strcmp(k, "basic_auth_users"))
			err = users_section(&doc, v, wc, msg, msg_len);
		else {
			snprintf(msg, msg_len, "%s is not supported by sclens (tls_server_config and basic_auth_users are)",
				 k ? k : "?");
			err = -EINVAL;
		}
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	free(text);
	if (err)
		web_config_free(wc);
	return err;
}

void web_config_free(struct web_config *wc)
{
	for (int i = 0; i < wc->n_users; i++) {
		free(wc->users[i].name);
		free(wc->users[i].hash);
		free(wc->users[i].last_ok);
	}
	free(wc->users);
	free(wc->cert_pem);
	free(wc->key_pem);
	memset(wc, 0, sizeof(*wc));
}

/* Compares without stopping at the first difference */
static bool same(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char d = la != lb;

	for (size_t i = 0; i < la && i < lb; i++)
		d |= (unsigned char)a[i] ^ (unsigned char)b[i];
	return !d;
}

bool web_config_check(struct web_config *wc, const char *user, const char *password)
{
	for (int i = 0; user && password && i < wc->n_users; i++) {
		struct web_user *u = &wc->users[i];
		if (strcmp(u->name, user))
			continue;
		if (u->last_ok && same(u->last_ok, password))
			return true;
		struct crypt_data cd = {};
		const char *h = crypt_r(password, u->hash, &cd);
		if (!h || !same(h, u->hash))
			return false;
		free(u->last_ok);
		u->last_ok = strdup(password);
		return true;
	}
	return false;
}
