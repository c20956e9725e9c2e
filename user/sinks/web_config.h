/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The metrics endpoint's TLS and basic authentication, from a web
 * configuration file in the format Prometheus exporters read
 * (--web.config.file, exporter-toolkit's):
 *
 *   tls_server_config:
 *     cert_file: server.crt     # PEM; relative paths from the file's folder
 *     key_file: server.key
 *   basic_auth_users:
 *     prometheus: $2y$10$...    # bcrypt hashes (htpasswd -B, mkpasswd -m bcrypt)
 *
 * Keys sclens does not implement are refused, never ignored. */
#ifndef SCLENS_WEB_CONFIG_H
#define SCLENS_WEB_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

struct web_user {
	char *name;
	char *hash;	   /* bcrypt */
	char *last_ok;	   /* the password that last matched: bcrypt once, not per scrape */
};

struct web_config {
	char *cert_pem, *key_pem; /* NULL: plain HTTP */
	struct web_user *users;	  /* none: no authentication */
	int n_users;
};

/* 0, or a negative errno with msg said for people */
int web_config_load(const char *path, struct web_config *wc, char *msg, size_t msg_len);
void web_config_free(struct web_config *wc);
/* Does user with password match an entry of basic_auth_users? */
bool web_config_check(struct web_config *wc, const char *user, const char *password);

#endif
