/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Lists of strings from repeated options and comma lists (--container a,b) */
#ifndef SCLENS_STR_LIST_H
#define SCLENS_STR_LIST_H

#include <stdbool.h>

/* A list of strings from repeated options and comma lists */
struct str_list {
	char **v;
	int n;
};
int str_list_add(struct str_list *l, const char *arg); /* splits on commas */
bool str_list_has(const struct str_list *l, const char *s);
void str_list_free(struct str_list *l);

#endif
