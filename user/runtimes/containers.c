// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include "cgroup.h"
#include "containers.h"
#include "containerd.h"
#include "kubelet.h"
#include "clock.h"
#include "files.h"
#include "names.h"
#include "sclens.h"

#define META_MAX_BYTES (4u << 20)
/* a bundle's config.json larger than this is cached as its seccomp section */
#define BUNDLE_KEPT_WHOLE (256u << 10)

static struct container_roots roots = {
	"/run/runc", "/var/lib/docker", "/run/containerd/io.containerd.runtime.v2.task",
	"/run/containers/storage/overlay-containers", "/var/lib/containers/storage/overlay-containers",
	"/run/docker/containerd/daemon/io.containerd.runtime.v2.task", KUBELET_SECCOMP_ROOT,
};

void containers_init(const struct container_roots *r)
{
	if (r->runc) roots.runc = r->runc;
	if (r->docker) roots.docker = r->docker;
	if (r->containerd) roots.containerd = r->containerd;
	if (r->crio) roots.crio = r->crio;
	if (r->podman) roots.podman = r->podman;
	if (r->docker_containerd) roots.docker_containerd = r->docker_containerd;
	if (r->kubelet_seccomp) roots.kubelet_seccomp = r->kubelet_seccomp;
}

/* A small file's text, NUL-terminated, without following a symlink in
 * its last component or waiting on a FIFO; NULL with errno set. */
static char *read_text_nofollow(const char *path, size_t max_bytes, size_t *len)
{
	char *text;
	int err = file_read_all(path, max_bytes, FILE_NOFOLLOW | FILE_NONBLOCK | FILE_REGULAR, &text, len);

	errno = -err;
	return err ? NULL : text;
}

cJSON *read_json_nofollow(const char *path, size_t max_bytes)
{
	size_t len;
	char *text = read_text_nofollow(path, max_bytes, &len);
	cJSON *j;

	if (!text)
		return NULL;
	j = cJSON_ParseWithLength(text, len);
	free(text);
	if (!j)
		errno = EBADMSG;
	return j;
}

static char *dupn(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = 0;
	}
	return d;
}

static void set(char **dst, const char *s)
{
	if (!s || !*s)
		return;
	free(*dst);
	*dst = strdup(s);
}

static bool is_hex_id(const char *s, size_t n)
{
	if (n < 12)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* "<prefix><id><suffix>" with a hex id */
static bool match_wrapped(const char *comp, size_t len, const char *prefix, const char *suffix, const char **id,
			  size_t *id_len)
{
	size_t pl = strlen(prefix), sl = strlen(suffix);

	if (len <= pl + sl || strncmp(comp, prefix, pl) || strncmp(comp + len - sl, suffix, sl))
		return false;
	*id = comp + pl;
	*id_len = len - pl - sl;
	return is_hex_id(*id, *id_len);
}

/* comp sits right below parent (from the v2 root: "/system.slice") */
static bool right_under(const char *path, const char *comp, const char *parent)
{
	size_t n = strlen(parent);

	return !strncmp(path, parent, n) && path[n] == '/' && comp == path + n + 1;
}

/* A rootless engine's user tree: /user.slice/user-UID.slice/user@UID.service/... */
static bool in_user_tree(const char *path)
{
	return !strncmp(path, "/user.slice/user-", 17) && strstr(path, ".slice/user@");
}

/* Where each runtime makes its containers' cgroups, from the v2 root. A
 * container's pattern anywhere else (a tenant's delegated subtree, or a
 * cgroup made inside a container) names nothing: a tenant must not be
 * shown as another's container. */
static bool runtime_place(const char *path, const char *comp, const char *runtime)
{
	bool kube = !strncmp(path, "/kubepods", 9);

	if (!strcmp(runtime, "docker"))
		return right_under(path, comp, "/system.slice");
	if (!strcmp(runtime, "containerd"))
		return kube || right_under(path, comp, "/system.slice");
	if (!strcmp(runtime, "cri-o"))
		return kube;
	/* podman: systemd's machine.slice, or a rootless user's own tree */
	return right_under(path, comp, "/machine.slice") || in_user_tree(path);
}

bool container_from_cgroup_path(const char *path, struct container *c)
{
	const char *p = path, *comp, *id;
	size_t len, id_len;
	const char *prev = NULL;
	size_t prev_len = 0;
	bool found = false, have = false; /* have: a container named; the outermost wins */
	bool kube = !strncmp(path, "/kubepods", 9);

	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		comp = p;
		while (*p && *p != '/')
			p++;
		len = p - comp;
		struct {
			const char *prefix, *suffix, *runtime;
		} wrapped[] = {
			{ "docker-", ".scope", "docker" },
			{ "cri-containerd-", ".scope", "containerd" },
			{ "crio-", ".scope", "cri-o" },
			{ "libpod-", ".scope", "podman" },
		};
		for (size_t i = 0; i < sizeof(wrapped) / sizeof(wrapped[0]) && !have; i++) {
			if (match_wrapped(comp, len, wrapped[i].prefix, wrapped[i].suffix, &id, &id_len) &&
			    runtime_place(path, comp, wrapped[i].runtime)) {
				set(&c->runtime, wrapped[i].runtime);
				c->id = dupn(id, id_len);
				c->rootless = in_user_tree(path);
				found = have = true;
			}
		}
		/* conmon and podman's own helpers run on the host side */
		if (!have && (!strncmp(comp, "crio-conmon-", 12) || !strncmp(comp, "libpod-conmon-", 14))) {
			free(c->unit);
			c->unit = dupn(comp, len);
			found = true;
		}
		/* cgroupfs driver: /docker/<id>, kubepods/.../pod<uid>/<id> */
		if (!have && prev && is_hex_id(comp, len) && len == 64) {
			if (prev_len == 6 && !strncmp(prev, "docker", 6) && prev == path + 1)
				set(&c->runtime, "docker");
			else if (kube && !strncmp(prev, "pod", 3))
				set(&c->runtime, "cri");
			if (c->runtime) {
				c->id = dupn(comp, len);
				found = have = true;
			}
		}
		/* podman's cgroupfs driver: /libpod_parent/libpod-<id> */
		if (!have && right_under(path, comp, "/libpod_parent") &&
		    match_wrapped(comp, len, "libpod-", "", &id, &id_len)) {
			set(&c->runtime, "podman");
			c->id = dupn(id, id_len);
			found = have = true;
		}
		/* kubepods pod uid: "pod<uid>" (cgroupfs) or "kubepods-<qos>-pod<uid_with_underscores>.slice" */
		if (kube && !have) {
			const char *u = NULL, *dash = memmem(comp, len, "-pod", 4);
			if (len > 3 && !strncmp(comp, "pod", 3))
				u = comp + 3;
			else if (dash)
				u = dash + 4;
			size_t ul = u ? (size_t)(comp + len - u) : 0;
			if (ul > 6 && !strncmp(comp + len - 6, ".slice", 6))
				ul -= 6;
			if (u && ul == 36) {
				char *uid = dupn(u, ul);
				for (char *q = uid; q && *q; q++)
					if (*q == '_')
						*q = '-';
				set(&c->pod_uid, uid);
				free(uid);
			}
		}
		if (!have && right_under(path, comp, "/machine.slice") && !strncmp(comp, "machine-", 8) && len > 14 &&
		    !strncmp(comp + len - 6, ".scope", 6)) {
			set(&c->runtime, "systemd-nspawn");
			c->name = dupn(comp + 8, len - 14);
			found = have = true;
		}
		if (!have && !c->unit && len > 8 && !strncmp(comp + len - 8, ".service", 8)) {
			c->unit = dupn(comp, len);
			found = true;
		}
		prev = comp;
		prev_len = len;
	}
	if (have) { /* a container's own cgroups are its, not a unit's */
		free(c->unit);
		c->unit = NULL;
	}
	return found;
}

static const char *jstr(cJSON *o, const char *key)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Caps, annotations and the seccomp profile of an OCI bundle's config.json */
void meta_bundle_config(struct container *c, const char *text, size_t len, const char *label)
{
	cJSON *cfg = cJSON_ParseWithLength(text, len), *ann, *caps, *it;
	struct profile *p;
	struct sc_error e;

	if (!cfg)
		return;
	ann = cJSON_GetObjectItemCaseSensitive(cfg, "annotations");
	if (cJSON_IsObject(ann)) {
		/* containerd's CRI plugin */
		set(&c->pod, jstr(ann, "io.kubernetes.cri.sandbox-name"));
		set(&c->namespace, jstr(ann, "io.kubernetes.cri.sandbox-namespace"));
		set(&c->container_name, jstr(ann, "io.kubernetes.cri.container-name"));
		set(&c->image, jstr(ann, "io.kubernetes.cri.image-name"));
		const char *type = jstr(ann, "io.kubernetes.cri.container-type");
		if (!type)
			type = jstr(ann, "io.kubernetes.cri-o.ContainerType");
		c->sandbox = type && !strcmp(type, "sandbox");
		/* CRI-O (Podman writes some io.kubernetes.cri-o.* keys too, never these) */
		set(&c->pod, jstr(ann, "io.kubernetes.pod.name"));
		set(&c->namespace, jstr(ann, "io.kubernetes.pod.namespace"));
		set(&c->container_name, jstr(ann, "io.kubernetes.container.name"));
		set(&c->image, jstr(ann, "io.kubernetes.cri-o.ImageName"));
		set(&c->name, jstr(ann, "io.kubernetes.cri-o.Name"));
		/* nerdctl and podman */
		set(&c->name, jstr(ann, "nerdctl/name"));
		const char *priv = jstr(ann, "io.podman.annotations.privileged");
		if (priv && !strcasecmp(priv, "TRUE"))
			c->privileged = true;
	}
	caps = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(cfg, "process"), "capabilities");
	caps = cJSON_GetObjectItemCaseSensitive(caps, "bounding");
	if (cJSON_IsArray(caps)) {
		c->caps = 0;
		c->has_caps = true;
		cJSON_ArrayForEach(it, caps)
		{
			int n = cJSON_IsString(it) ? cap_from_name(it->valuestring) : -1;
			if (n >= 0)
				c->caps |= 1ULL << n;
		}
	}
	cJSON *linux_ = cJSON_GetObjectItemCaseSensitive(cfg, "linux");
	cJSON *seccomp = cJSON_GetObjectItemCaseSensitive(linux_, "seccomp");
	if (cJSON_IsObject(linux_) && !seccomp)
		c->unconfined = true; /* the runtime loads no filter */
	/* from the same text: the file may be gone or swapped by now. A large
	 * config.json (its tenant writes env, annotations, mounts) is kept as
	 * its seccomp section alone: the cache holds what explains denials */
	char *slim = NULL;
	char slim_label[512];
	if (len > BUNDLE_KEPT_WHOLE && cJSON_IsObject(seccomp)) {
		cJSON *doc = cJSON_CreateObject(), *lx = cJSON_AddObjectToObject(doc, "linux");
		cJSON_DetachItemViaPointer(linux_, seccomp);
		if (lx)
			cJSON_AddItemToObject(lx, "seccomp", seccomp);
		else
			cJSON_Delete(seccomp);
		slim = cJSON_Print(doc);
		cJSON_Delete(doc);
		snprintf(slim_label, sizeof(slim_label), "%s (its linux.seccomp section)", label);
	}
	cJSON_Delete(cfg);
	if (!c->profile && !c->unconfined &&
	    !profile_load_text(slim ? slim : text, slim ? strlen(slim) : len, slim ? slim_label : label, &p, &e))
		c->profile = p;
	free(slim);
}

static void read_bundle_config(struct container *c, const char *config_path)
{
	size_t len;
	char *text = read_text_nofollow(config_path, META_MAX_BYTES, &len);

	if (!text)
		return;
	if (!c->bundle) {
		char *dir = strdup(config_path), *slash = dir ? strrchr(dir, '/') : NULL;
		if (slash)
			*slash = 0;
		set(&c->bundle, dir);
		free(dir);
	}
	meta_bundle_config(c, text, len, config_path);
	free(text);
}

/* The state's own cgroup is this one: runc wrote it, no tenant can */
static bool runc_state_matches(cJSON *st, uint64_t cgroup_id)
{
	cJSON *paths = cJSON_GetObjectItemCaseSensitive(st, "cgroup_paths"), *it;

	cJSON_ArrayForEach(it, paths)
	{
		uint64_t cg;
		if (cJSON_IsString(it) && !cgroup_id_of_path(it->valuestring, &cg) && cg == cgroup_id)
			return true;
	}
	return false;
}

/* Reads one runc state.json; true (and c filled) if it is this cgroup's */
static bool try_runc_state(struct container *c, const char *path, uint64_t cgroup_id, const char *leaf)
{
	cJSON *st = read_json_nofollow(path, META_MAX_BYTES), *labels, *it;
	bool found = false;

	if (!st)
		return false;
	if (runc_state_matches(st, cgroup_id)) {
		found = true;
		if (!c->id)
			set(&c->id, jstr(st, "id"));
		labels = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(st, "config"), "labels");
		cJSON_ArrayForEach(it, labels)
		{
			if (cJSON_IsString(it) && !strncmp(it->valuestring, "bundle=", 7))
				set(&c->bundle, it->valuestring + 7);
		}
	}
	cJSON_Delete(st);
	return found;
}

/* runc keeps state.json under its root: /run/runc/<id> for runc itself,
 * <root>/<namespace>/<id> when containerd's shim runs it
 * (/run/containerd/runc, Docker 20.10's /run/docker/runtime-runc). */
static bool scan_runc_root(struct container *c, const char *root, bool namespaced, uint64_t cgroup_id, const char *leaf)
{
	DIR *d = opendir(root);
	struct dirent *de;
	char path[4096];
	bool found = false;

	if (!d)
		return false;
	while (!found && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (!namespaced) {
			snprintf(path, sizeof(path), "%s/%s/state.json", root, de->d_name);
			found = try_runc_state(c, path, cgroup_id, leaf);
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", root, de->d_name);
		found = scan_runc_root(c, path, false, cgroup_id, leaf);
	}
	closedir(d);
	return found;
}

/* The engine behind a runc container, from where its bundle is:
 * containerd's task directory names the namespace (moby: Docker). */
static void runtime_from_bundle(struct container *c)
{
	const char *t = c->bundle ? strstr(c->bundle, "io.containerd.runtime.v2.task/") : NULL;

	/* a kubepods cgroup ("cri") whose bundle is containerd's is its */
	if (c->runtime && (strcmp(c->runtime, "cri") || !t))
		return;
	if (!t) {
		set(&c->runtime, "runc");
		return;
	}
	t += strlen("io.containerd.runtime.v2.task/");
	set(&c->runtime, !strncmp(t, "moby/", 5) ? "docker" : "containerd");
}

static bool resolve_runc(struct container *c, uint64_t cgroup_id, const char *leaf)
{
	char path[4096];
	bool found = scan_runc_root(c, roots.runc, false, cgroup_id, leaf) ||
		     scan_runc_root(c, "/run/containerd/runc", true, cgroup_id, leaf) ||
		     scan_runc_root(c, "/run/docker/runtime-runc", true, cgroup_id, leaf);

	if (!found)
		return false;
	runtime_from_bundle(c);
	/* Docker's files are read by the caller, as for any Docker cgroup */
	if (strcmp(c->runtime, "docker") && c->bundle) {
		snprintf(path, sizeof(path), "%s/config.json", c->bundle);
		read_bundle_config(c, path);
	}
	return true;
}

void meta_docker_config(struct container *c, const char *text, size_t len)
{
	cJSON *j = cJSON_ParseWithLength(text, len);

	if (!j)
		return;
	const char *name = jstr(j, "Name");
	if (name)
		set(&c->name, name[0] == '/' ? name + 1 : name);
	set(&c->image, jstr(cJSON_GetObjectItemCaseSensitive(j, "Config"), "Image"));
	cJSON_Delete(j);
}

/* Capabilities added and dropped at `docker run`, --privileged, and the
 * seccomp option: Docker keeps a custom profile's content in SecurityOpt
 * ("seccomp=<JSON>"; the CLI reads the file), or "seccomp=unconfined". */
void meta_docker_hostconfig(struct container *c, const char *text, size_t len)
{
	cJSON *hc = cJSON_ParseWithLength(text, len), *it;

	if (!hc)
		return;
	uint64_t caps = docker_default_caps();
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(hc, "CapAdd"))
	{
		if (!cJSON_IsString(it))
			continue;
		if (!strcasecmp(it->valuestring, "ALL"))
			caps = ~0ULL >> (63 - SCLENS_CAP_LAST);
		else if (cap_from_name(it->valuestring) >= 0)
			caps |= 1ULL << cap_from_name(it->valuestring);
	}
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(hc, "CapDrop"))
	{
		if (!cJSON_IsString(it))
			continue;
		if (!strcasecmp(it->valuestring, "ALL"))
			caps = 0;
		else if (cap_from_name(it->valuestring) >= 0)
			caps &= ~(1ULL << cap_from_name(it->valuestring));
	}
	c->caps = caps;
	c->has_caps = true;
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(hc, "Privileged")))
		c->privileged = true;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(hc, "SecurityOpt"))
	{
		const char *v = cJSON_IsString(it) ? it->valuestring : "";
		if (strncmp(v, "seccomp=", 8) && strncmp(v, "seccomp:", 8))
			continue;
		v += 8;
		if (!strcmp(v, "unconfined")) {
			c->unconfined = true;
		} else if (*v == '{' && !c->source) {
			struct profile *p;
			struct sc_error e;
			char label[128];
			snprintf(label, sizeof(label), "the profile given to docker run --security-opt seccomp=");
			if (!profile_load_text(v, strlen(v), label, &p, &e)) {
				p->titled = true;
				c->source = p;
			}
		}
	}
	cJSON_Delete(hc);
}

static void resolve_docker(struct container *c)
{
	char path[4096];
	size_t len;
	char *text;

	snprintf(path, sizeof(path), "%s/containers/%s/config.v2.json", roots.docker, c->id);
	if ((text = read_text_nofollow(path, META_MAX_BYTES, &len))) {
		meta_docker_config(c, text, len);
		free(text);
	}
	snprintf(path, sizeof(path), "%s/containers/%s/hostconfig.json", roots.docker, c->id);
	if ((text = read_text_nofollow(path, META_MAX_BYTES, &len))) {
		meta_docker_hostconfig(c, text, len);
		free(text);
	}
	/* the converted profile is in the bundle: Docker 23+ on the system
	 * containerd, Docker 20.10 on its own */
	const char *task_roots[] = { roots.containerd, roots.docker_containerd };
	for (size_t i = 0; i < 2 && !c->profile; i++) {
		snprintf(path, sizeof(path), "%s/moby/%s/config.json", task_roots[i], c->id);
		read_bundle_config(c, path);
	}
}

/* Finds id's bundle in one task root, in any containerd namespace */
static bool bundle_in_task_root(struct container *c, const char *task_root)
{
	DIR *d = opendir(task_root);
	struct dirent *de;
	char path[4096];
	bool found = false;

	if (!d)
		return false;
	while (!found && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/%s/config.json", task_root, de->d_name, c->id);
		if (access(path, F_OK))
			continue;
		read_bundle_config(c, path);
		found = true;
	}
	closedir(d);
	return found;
}

/* The bundle of a containerd task: where runc's state said, else in the
 * configured task root, else in those of the containerd daemons running
 * on the host (their state can be anywhere: k3s, a second instance) */
static void resolve_containerd(struct container *c)
{
	int n;
	const char *const *found = containerd_task_roots(&n);
	bool done = c->bundle != NULL; /* runc's state led to it, and it was read */

	if (!done && !bundle_in_task_root(c, roots.containerd))
		for (int i = 0; i < n && !bundle_in_task_root(c, found[i]); i++)
			;
	if (c->bundle && !strcmp(c->runtime, "cri"))
		set(&c->runtime, "containerd");
}

/* containers/storage keeps names and images in one list */
void meta_storage_list(struct container *c, const char *text, size_t len)
{
	cJSON *list = cJSON_ParseWithLength(text, len), *it;

	cJSON_ArrayForEach(it, list)
	{
		const char *id = jstr(it, "id");
		if (!id || !c->id || strcmp(id, c->id))
			continue;
		cJSON *names = cJSON_GetObjectItemCaseSensitive(it, "names");
		if (!c->name && cJSON_IsArray(names) && cJSON_IsString(cJSON_GetArrayItem(names, 0)))
			set(&c->name, cJSON_GetArrayItem(names, 0)->valuestring);
		cJSON *md = cJSON_Parse(jstr(it, "metadata") ? jstr(it, "metadata") : "");
		if (!c->image)
			set(&c->image, jstr(md, "image-name"));
		cJSON_Delete(md);
	}
	cJSON_Delete(list);
}

static void resolve_storage(struct container *c, const char *root, const char *runtime)
{
	char path[4096];
	size_t len;
	char *text;

	snprintf(path, sizeof(path), "%s/%s/userdata/config.json", root, c->id);
	if (!access(path, F_OK)) {
		read_bundle_config(c, path);
		set(&c->runtime, runtime);
	}
	snprintf(path, sizeof(path), "%s/containers.json", root);
	if ((text = read_text_nofollow(path, 64u << 20, &len))) {
		meta_storage_list(c, text, len);
		free(text);
	}
}

/* ---- cache ---- */

/* cgroup id -> container, open addressing; entries are allocated one by
 * one so that the pointers handed out stay valid as the table grows */
static struct container **cache;
static size_t n_cache, cap_cache;

static struct container **cache_slot(uint64_t id)
{
	size_t mask = cap_cache - 1, i = (id * 0x9e3779b97f4a7c15ULL) >> 20 & mask;

	while (cache[i] && cache[i]->cgroup_id != id)
		i = (i + 1) & mask;
	return &cache[i];
}

static int cache_grow(void)
{
	size_t old_cap = cap_cache;
	struct container **old = cache;

	cap_cache = cap_cache ? cap_cache * 2 : 256;
	cache = calloc(cap_cache, sizeof(*cache));
	if (!cache) {
		cache = old;
		cap_cache = old_cap;
		return -ENOMEM;
	}
	for (size_t i = 0; i < old_cap; i++)
		if (old[i])
			*cache_slot(old[i]->cgroup_id) = old[i];
	free(old);
	return 0;
}

void container_free(struct container *c)
{
	free(c->runtime);
	free(c->id);
	free(c->name);
	free(c->image);
	free(c->pod);
	free(c->namespace);
	free(c->container_name);
	free(c->pod_uid);
	free(c->unit);
	free(c->bundle);
	profile_free(c->profile);
	profile_free(c->source);
	free(c->localhost_ref);
	if (c->recognition) {
		recognition_free(c->recognition);
		free(c->recognition);
	}
	memset(c, 0, sizeof(*c));
}

size_t containers_count(void)
{
	return n_cache;
}

void containers_retain(bool (*keep)(uint64_t cgroup_id, void *arg), void *arg)
{
	size_t old_cap = cap_cache;
	struct container **old = cache;

	if (!old_cap)
		return;
	cache = calloc(old_cap, sizeof(*cache));
	if (!cache) {
		cache = old;
		return;
	}
	n_cache = 0;
	for (size_t i = 0; i < old_cap; i++) {
		if (!old[i])
			continue;
		if (!keep(old[i]->cgroup_id, arg)) {
			container_free(old[i]);
			free(old[i]);
			continue;
		}
		*cache_slot(old[i]->cgroup_id) = old[i];
		n_cache++;
	}
	free(old);
}

void containers_reset(void)
{
	for (size_t i = 0; i < cap_cache; i++) {
		if (cache[i]) {
			container_free(cache[i]);
			free(cache[i]);
		}
	}
	free(cache);
	cache = NULL;
	n_cache = cap_cache = 0;
}

const struct recognition *container_recognition(const struct container *c)
{
	struct container **slot;

	if (!c->profile || !cap_cache || *(slot = cache_slot(c->cgroup_id)) != c)
		return NULL;
	struct container *m = *slot;
	if (!m->recognised) {
		m->recognised = true;
		m->recognition = calloc(1, sizeof(*m->recognition));
		if (m->recognition &&
		    defaults_recognise(m->profile, m->has_caps ? m->caps : docker_default_caps(), m->recognition)) {
			free(m->recognition);
			m->recognition = NULL;
		}
	}
	return m->recognition;
}

const char *container_engine(const struct container *c)
{
	if (!c->runtime)
		return NULL;
	if (c->pod || c->pod_uid || !strcmp(c->runtime, "cri"))
		return "kubernetes";
	return c->runtime;
}

void container_mark_filter_decided(const struct container *c)
{
	struct container **slot;

	/* only cached entries: the shared "unknown" one is never written */
	if (cap_cache && *(slot = cache_slot(c->cgroup_id)) == c)
		(*slot)->filter_decided = true;
}

/* A pod's profile that is a file under the kubelet's seccomp root
 * (Localhost), unless it is also exactly an engine's default: then the
 * Pod asked for RuntimeDefault, as far as anything on the node can say */
static void resolve_localhost(struct container *c)
{
	uint64_t caps = c->has_caps ? c->caps : docker_default_caps();
	struct profile *src;
	char *ref;

	if (kubelet_localhost_find(roots.kubelet_seccomp, c->profile, caps, &src, &ref))
		return;
	for (int i = 0; i < defaults_count(); i++) {
		bool same = false;
		if (!profile_converts_to(defaults_get(i)->profile, c->profile, caps, &same) && same) {
			profile_free(src);
			free(ref);
			return;
		}
	}
	c->source = src;
	c->localhost_ref = ref;
}

static void resolve(struct container *c, const char *path, const char *leaf)
{
	/* a cgroup gone before it was looked at is named by nothing: its
	 * kernel-captured leaf is a name its tenant chose, and its place can
	 * no longer be checked (a tenant could make one, deny, and remove it) */
	if (!path)
		return;
	container_from_cgroup_path(path, c);
	/* runc's default cgroup is /<id>, and an explicit cgroupsPath can be
	 * anything: ask runc's state unless the path already names a unit */
	if (!c->unit && (!c->runtime || !strcmp(c->runtime, "cri")))
		resolve_runc(c, c->cgroup_id, leaf);
	if (c->runtime && c->id) {
		if (!strcmp(c->runtime, "docker"))
			resolve_docker(c);
		else if (!strcmp(c->runtime, "containerd") || !strcmp(c->runtime, "cri"))
			resolve_containerd(c);
		if (!strcmp(c->runtime, "cri-o") || !strcmp(c->runtime, "cri"))
			resolve_storage(c, roots.crio, "cri-o");
		/* a rootless container's state is in its user's home, not root's */
		if (!strcmp(c->runtime, "podman") && !c->rootless)
			resolve_storage(c, roots.podman, "podman");
	}
	if (c->pod && c->profile && !c->source)
		resolve_localhost(c);
}

const struct container *container_resolve(uint64_t cgroup_id, const char *path, const char *leaf, bool *naming)
{
	struct container **slot = cap_cache ? cache_slot(cgroup_id) : NULL;
	struct container c = { .cgroup_id = cgroup_id };
	struct container *old;

	*naming = false;
	if (!slot || !*slot) {
		old = (struct container *)container_lookup(cgroup_id, path, leaf); /* just resolved */
		*naming = !old->runtime && !old->unit && path && old->first_seen_ns;
		return old;
	}
	old = *slot;
	uint64_t now = event_clock_now_ns();
	if (old->runtime || old->unit || !path || !old->first_seen_ns || now - old->first_seen_ns >= CONTAINER_NAMING_NS)
		return old;
	/* asked again at most every CONTAINER_RETRY_NS after the first few:
	 * a storm from a new cgroup must not re-read every runtime's state on
	 * each event */
	if (old->tries >= CONTAINER_TRIES_AT_ONCE && now - old->last_try_ns < CONTAINER_RETRY_NS) {
		*naming = true;
		return old;
	}
	old->last_try_ns = now;
	old->tries++;
	resolve(&c, path, leaf);
	if (!c.runtime && !c.unit) {
		container_free(&c);
		*naming = true;
		return old;
	}
	/* named now; in place: pointers to the entry stay valid */
	c.first_seen_ns = old->first_seen_ns;
	c.last_try_ns = old->last_try_ns;
	c.tries = old->tries;
	container_free(old);
	*old = c;
	return old;
}

const struct container *container_lookup(uint64_t cgroup_id, const char *path, const char *leaf)
{
	static struct container unknown;
	struct container c = { .cgroup_id = cgroup_id }, **slot;

	if (cap_cache && *(slot = cache_slot(cgroup_id)))
		return *slot;
	resolve(&c, path, leaf);
	if ((n_cache + 1) * 2 > cap_cache && cache_grow()) {
		container_free(&c);
		return &unknown;
	}
	struct container *heap = malloc(sizeof(*heap));
	if (!heap) {
		container_free(&c);
		return &unknown;
	}
	c.first_seen_ns = c.last_try_ns = event_clock_now_ns();
	*heap = c;
	*cache_slot(cgroup_id) = heap;
	n_cache++;
	return heap;
}

bool container_matches(const struct container *c, const char *q)
{
	size_t n = strlen(q);

	if (!c->runtime || !n)
		return false;
	if (c->id && !strncmp(c->id, q, n))
		return true;
	return (c->name && !strcmp(c->name, q)) || (c->container_name && !strcmp(c->container_name, q));
}

/* An image reference cut into registry, path, tag and digest (pointers
 * into a copy), normalised as the engines do: no tag is "latest" */
struct image_ref {
	char buf[512];
	const char *registry, *path, *tag, *digest;
	bool has_registry, has_tag;
};

static bool image_ref_parse(const char *s, struct image_ref *r)
{
	char *p, *slash, *colon;

	if (strlen(s) >= sizeof(r->buf) || !*s)
		return false;
	strcpy(r->buf, s);
	p = r->buf;
	r->digest = NULL;
	if ((colon = strchr(p, '@'))) {
		*colon = 0;
		r->digest = colon + 1;
	}
	/* the first component is a registry if it looks like a host */
	slash = strchr(p, '/');
	r->has_registry = slash && (memchr(p, '.', slash - p) || memchr(p, ':', slash - p) ||
				    (slash - p == 9 && !strncmp(p, "localhost", 9)));
	if (r->has_registry) {
		*slash = 0;
		r->registry = p;
		p = slash + 1;
	} else {
		r->registry = "docker.io";
	}
	/* the tag: after the last ':' of the last component */
	slash = strrchr(p, '/');
	colon = strrchr(slash ? slash : p, ':');
	r->has_tag = colon != NULL;
	if (colon)
		*colon = 0;
	r->tag = colon ? colon + 1 : "latest";
	if (!strcmp(r->registry, "index.docker.io"))
		r->registry = "docker.io";
	/* Docker Hub's official images live under library/ */
	if (!strcmp(r->registry, "docker.io") && !strncmp(p, "library/", 8))
		p += 8;
	r->path = p;
	return *p != 0;
}

bool image_matches(const char *image, const char *query)
{
	struct image_ref i, q;

	if (!image || !query || !image_ref_parse(image, &i) || !image_ref_parse(query, &q))
		return false;
	if (strcmp(i.path, q.path))
		return false;
	if (q.has_registry && strcmp(i.registry, q.registry))
		return false;
	if (q.digest)
		return i.digest && !strcmp(i.digest, q.digest);
	/* a query without a tag matches every tag; one with a tag, that tag
	 * (an image kept by digest alone has no tag to compare) */
	return !q.has_tag || (!i.digest || i.has_tag ? !strcmp(i.tag, q.tag) : false);
}

void container_json(struct jw *w, const struct container *c)
{
	if (!c->runtime) {
		if (c->unit) {
			jw_key(w, "host");
			jw_obj_begin(w);
			jw_kv_str(w, "unit", c->unit);
			jw_obj_end(w);
		}
		return;
	}
	jw_key(w, "container");
	jw_obj_begin(w);
	jw_kv_str_opt(w, "id", c->id);
	jw_kv_str_opt(w, "runtime", c->runtime);
	jw_kv_str_opt(w, "name", c->name);
	jw_kv_str_opt(w, "image", c->image);
	jw_kv_str_opt(w, "pod", c->pod);
	jw_kv_str_opt(w, "namespace", c->namespace);
	jw_kv_str_opt(w, "container_name", c->container_name);
	jw_kv_str_opt(w, "pod_uid", c->pod_uid);
	jw_kv_str_opt(w, "localhost_profile", c->localhost_ref);
	if (c->sandbox)
		jw_kv_bool(w, "sandbox", true);
	jw_obj_end(w);
}

void container_label(struct sbuf *b, const struct container *c)
{
	if (!c->runtime) {
		sb_puts(b, "host");
		if (c->unit)
			sb_printf(b, ":%s", c->unit);
		return;
	}
	if (c->pod && c->namespace) {
		sb_printf(b, "%s/%s", c->namespace, c->pod);
		if (c->container_name)
			sb_printf(b, "/%s", c->container_name);
	} else if (c->name) {
		sb_puts(b, c->name);
	} else if (c->id) {
		sb_printf(b, "%.*s", strlen(c->id) > 12 && is_hex_id(c->id, strlen(c->id)) ? 12 : (int)strlen(c->id), c->id);
	}
}
