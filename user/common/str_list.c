// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "str_list.h"

int str_list_add(struct str_list *l, const char *arg)
{
	char *copy = strdup(arg), *save = NULL;

	if (!copy)
		return -ENOMEM;
	for (char *item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char **v = realloc(l->v, (l->n + 1) * sizeof(*v));
		if (!v || !(v[l->n] = strdup(item))) {
			if (v)
				l->v = v;
			free(copy);
			return -ENOMEM;
		}
		l->v = v;
		l->n++;
	}
	free(copy);
	return 0;
}

bool str_list_has(const struct str_list *l, const char *s)
{
	for (int i = 0; s && i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return true;
	return false;
}

void str_list_free(struct str_list *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}
