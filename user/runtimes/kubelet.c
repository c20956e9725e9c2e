// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "defaults.h"
#include "kubelet.h"

#define PROFILE_MAX_BYTES (1u << 20)

struct walk {
	const char *root;
	const struct profile *eff;
	uint64_t caps;
	int looked;
	struct profile *found;
	char *ref;
};

static int not_hidden(const struct dirent *de)
{
	return de->d_name[0] != '.';
}

static void walk_dir(struct walk *w, const char *dir, int depth)
{
	struct dirent **names;
	int n = scandir(dir, &names, not_hidden, alphasort);

	for (int i = 0; i < n; i++) {
		char path[4096];
		struct stat st;
		if (!w->found && w->looked < KUBELET_MAX_FILES &&
		    snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name) < (int)sizeof(path) &&
		    !lstat(path, &st)) {
			if (S_ISDIR(st.st_mode) && depth < 4) {
				walk_dir(w, path, depth + 1);
			} else if (S_ISREG(st.st_mode) && st.st_size <= PROFILE_MAX_BYTES) {
				struct profile *p;
				struct sc_error e;
				bool same = false;
				w->looked++;
				if (profile_load_file(path, &p, &e))
					; /* not a profile: the root may hold other files */
				else if (!profile_converts_to(p, w->eff, w->caps, &same) && same) {
					w->found = p;
					w->ref = strdup(path + strlen(w->root) + 1);
				} else {
					profile_free(p);
				}
			}
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
}

const char *kubelet_seccomp_root(const char *root_dir)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/seccomp", root_dir);
	return path;
}

int kubelet_localhost_find(const char *root, const struct profile *eff, uint64_t caps, struct profile **src,
			   char **ref)
{
	struct walk w = { .root = root, .eff = eff, .caps = caps };

	*src = NULL;
	*ref = NULL;
	if (!root || !eff)
		return -EINVAL;
	walk_dir(&w, root, 1);
	if (w.found && !w.ref) {
		profile_free(w.found);
		return -ENOMEM;
	}
	*src = w.found;
	*ref = w.ref;
	return w.found ? 0 : -ENOENT;
}
