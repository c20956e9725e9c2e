// cgroup layouts the runtimes really create, one row per layout.
#include <errno.h>
#include <stdlib.h>
#include "unit.h"
#include "containers.h"
#include "containerd.h"
#include "profile.h"

#define ID64 "4f1e8b3a9c2d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f"
#define VICTIM "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"

static const struct {
	const char *path;
	const char *runtime; /* NULL: host */
	const char *id;
	const char *unit;
	const char *pod_uid; /* from the path */
} rows[] = {
	/* Docker, systemd and cgroupfs drivers */
	{ "/system.slice/docker-" ID64 ".scope", "docker", ID64, NULL, NULL },
	{ "/docker/" ID64, "docker", ID64, NULL, NULL },
	/* containerd / Kubernetes, systemd driver */
	{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1b2c3d4e_5f60_4a1b_8c2d_3e4f5a6b7c8d.slice/cri-containerd-" ID64 ".scope",
	  "containerd", ID64, NULL, "1b2c3d4e-5f60-4a1b-8c2d-3e4f5a6b7c8d" },
	/* Kubernetes, cgroupfs driver */
	{ "/kubepods/burstable/pod1b2c3d4e-5f60-4a1b-8c2d-3e4f5a6b7c8d/" ID64, "cri", ID64, NULL,
	  "1b2c3d4e-5f60-4a1b-8c2d-3e4f5a6b7c8d" },
	/* CRI-O, and its conmon on the host side */
	{ "/kubepods.slice/kubepods-pod1b2c3d4e_5f60_4a1b_8c2d_3e4f5a6b7c8d.slice/crio-" ID64 ".scope", "cri-o", ID64,
	  NULL, "1b2c3d4e-5f60-4a1b-8c2d-3e4f5a6b7c8d" },
	{ "/kubepods.slice/crio-conmon-" ID64 ".scope", NULL, NULL, "crio-conmon-" ID64 ".scope", NULL },
	/* Podman: systemd driver, cgroupfs driver */
	{ "/machine.slice/libpod-" ID64 ".scope", "podman", ID64, NULL, NULL },
	{ "/libpod_parent/libpod-" ID64, "podman", ID64, NULL, NULL },
	{ "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID64 ".scope", "podman", ID64, NULL, NULL },
	/* systemd-nspawn machine */
	{ "/machine.slice/machine-web1.scope", "systemd-nspawn", NULL, NULL, NULL },
	/* host services */
	{ "/system.slice/sshd.service", NULL, NULL, "sshd.service", NULL },
	{ "/system.slice/cron.service/sub", NULL, NULL, "cron.service", NULL },
	/* nothing recognised: runc's default path or the root */
	{ "/mycontainer", NULL, NULL, NULL, NULL },
	{ "/", NULL, NULL, NULL, NULL },
	/* not an id: too short, not hex */
	{ "/system.slice/docker-xyz.scope", NULL, NULL, NULL, NULL },
	/* impostors: a runtime's pattern away from where that runtime makes
	 * cgroups (a tenant's delegated subtree) names nothing; one made
	 * inside a container is that container (the outermost wins) */
	{ "/sclens-tenant/docker-" VICTIM ".scope", NULL, NULL, NULL, NULL },
	{ "/user.slice/user-1000.slice/user@1000.service/app.slice/docker-" VICTIM ".scope", NULL, NULL, NULL, NULL },
	{ "/tenant/kubepods/burstable/pod1b2c3d4e-5f60-4a1b-8c2d-3e4f5a6b7c8d/" VICTIM, NULL, NULL, NULL, NULL },
	{ "/tenant/docker/" VICTIM, NULL, NULL, NULL, NULL },
	{ "/system.slice/docker-" ID64 ".scope/docker-" VICTIM ".scope", "docker", ID64, NULL, NULL },
	{ "/docker/" ID64 "/docker-" VICTIM ".scope", "docker", ID64, NULL, NULL },
	{ "/kubepods/burstable/pod1b2c3d4e-5f60-4a1b-8c2d-3e4f5a6b7c8d/" ID64 "/" VICTIM, "cri", ID64, NULL, NULL },
	{ "/machine.slice/libpod-" ID64 ".scope/machine.slice/libpod-" VICTIM ".scope", "podman", ID64, NULL, NULL },
	{ "/system.slice/docker-" ID64 ".scope/sshd.service", "docker", ID64, NULL, NULL },
	{ "/tenant/machine-web1.scope", NULL, NULL, NULL, NULL },
};

static void layouts(void)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct container c = {};
		container_from_cgroup_path(rows[i].path, &c);
		if (rows[i].runtime)
			CHECK_STR(c.runtime, rows[i].runtime);
		else
			CHECK(!c.runtime, "row %zu: runtime %s", i, c.runtime);
		if (rows[i].id)
			CHECK_STR(c.id, rows[i].id);
		if (rows[i].unit)
			CHECK_STR(c.unit, rows[i].unit);
		if (rows[i].pod_uid)
			CHECK_STR(c.pod_uid, rows[i].pod_uid);
		CHECK(!c.unit || !c.runtime, "row %zu: a container's cgroup is no unit", i);
		/* a rootless engine's container: root's state never names it */
		CHECK(c.rootless == (rows[i].runtime && !strncmp(rows[i].path, "/user.slice/", 12)), "row %zu: rootless", i);
		container_free(&c);
	}
}

static void matching(void)
{
	struct container c = {};

	container_from_cgroup_path("/system.slice/docker-" ID64 ".scope", &c);
	c.name = strdup("web");
	CHECK(container_matches(&c, "4f1e8b3a"), "id prefix");
	CHECK(container_matches(&c, "web"), "name");
	CHECK(!container_matches(&c, "we"), "name prefix is not a name");
	CHECK(!container_matches(&c, "5f"), "other id");
	container_free(&c);
}

/* image references as the engines keep them, against what users type */
static const struct {
	const char *image, *query;
	bool match;
} image_rows[] = {
	/* Docker keeps what was typed; Podman and CRI keep the full name */
	{ "busybox", "busybox", true },
	{ "busybox", "busybox:latest", true },
	{ "busybox", "docker.io/library/busybox", true },
	{ "docker.io/library/busybox:latest", "busybox", true },
	{ "docker.io/library/busybox:1.36", "busybox", true },
	{ "docker.io/library/busybox:1.36", "busybox:1.36", true },
	{ "docker.io/library/busybox:1.36", "busybox:1.35", false },
	{ "docker.io/library/busybox:1.36", "busybox:latest", false },
	{ "busybox:1.36", "index.docker.io/library/busybox:1.36", true },
	/* a registry in the query must be the image's */
	{ "localhost/sclens-busybox:latest", "sclens-busybox", true },
	{ "localhost/sclens-busybox:latest", "localhost/sclens-busybox", true },
	{ "localhost/sclens-busybox:latest", "docker.io/sclens-busybox", false },
	{ "registry.example.com:5000/team/app:2", "team/app", true },
	{ "registry.example.com:5000/team/app:2", "registry.example.com:5000/team/app:2", true },
	{ "registry.example.com:5000/team/app:2", "quay.io/team/app:2", false },
	{ "registry.example.com:5000/team/app:2", "app", false },
	/* a port is not a tag */
	{ "registry.example.com:5000/app", "registry.example.com:5000/app:latest", true },
	/* digests */
	{ "nginx@sha256:0123abcd", "nginx@sha256:0123abcd", true },
	{ "nginx@sha256:0123abcd", "nginx@sha256:ffff", false },
	{ "nginx:1.25@sha256:0123abcd", "nginx:1.25", true },
	{ "nginx@sha256:0123abcd", "nginx", true },
	{ "nginx@sha256:0123abcd", "nginx:1.25", false },
	/* other names, prefixes and empty input never match */
	{ "nginx", "ngin", false },
	{ "docker.io/library/nginx", "library", false },
	{ "", "nginx", false },
	{ "nginx", "", false },
	{ NULL, "nginx", false },
};

static void images(void)
{
	for (size_t i = 0; i < sizeof(image_rows) / sizeof(image_rows[0]); i++) {
		CHECK(image_matches(image_rows[i].image, image_rows[i].query) == image_rows[i].match,
		      "image %s, query %s: should %s", image_rows[i].image ? image_rows[i].image : "(none)",
		      image_rows[i].query, image_rows[i].match ? "match" : "not match");
	}
}

/* A tenant's 2 MiB of annotations in its bundle: the cache keeps the
 * seccomp section, not the whole file and its tree */
static void large_bundle_kept_small(void)
{
	const char *head = "{\"annotations\":{\"io.kubernetes.cri.sandbox-name\":\"web\",\"x\":\"";
	const char *tail = "\"},\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":"
			   "[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"}]}}}";
	size_t pad = 2u << 20, n = strlen(head) + pad + strlen(tail);
	char *text = malloc(n + 1);
	struct container c = {}, small = {};

	strcpy(text, head);
	memset(text + strlen(head), 'a', pad);
	strcpy(text + strlen(head) + pad, tail);
	meta_bundle_config(&c, text, n, "config.json");
	CHECK_STR(c.pod, "web");
	CHECK(c.profile && c.profile->n_rules == 1, "the profile, from the section");
	CHECK(c.profile && strlen(c.profile->text) < 4096, "kept: %zu bytes", c.profile ? strlen(c.profile->text) : 0);
	CHECK(c.profile && strstr(c.profile->label, "(its linux.seccomp section)"), "said in its label");
	/* a usual one is kept whole: its lines are the user's file's */
	const char *usual = "{\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\"}}}";
	meta_bundle_config(&small, usual, strlen(usual), "config.json");
	CHECK(small.profile && !strcmp(small.profile->text, usual), "whole");
	container_free(&c);
	container_free(&small);
	free(text);
}

/* Where a containerd keeps its tasks, from its command line and config
 * as the node runs it (the config text stands in for the file) */
static const char *config_text;

static char *fake_config(const char *path, void *arg)
{
	*(const char **)arg = path;
	return config_text ? strdup(config_text) : NULL;
}

static const struct {
	const char *argv[8];
	const char *config; /* NULL: no such file */
	const char *config_path;
	const char *state;
} state_rows[] = {
	/* Debian's containerd.service: no flag, the default config */
	{ { "/usr/bin/containerd" }, "version = 2\n[plugins]\n", "/etc/containerd/config.toml", "/run/containerd" },
	{ { "/usr/bin/containerd" }, NULL, "/etc/containerd/config.toml", "/run/containerd" },
	/* k3s: flags on the command line */
	{ { "containerd", "-c", "/var/lib/rancher/k3s/agent/etc/containerd/config.toml", "-a",
	    "/run/k3s/containerd/containerd.sock", "--state", "/run/k3s/containerd", "--root" },
	  "", NULL, "/run/k3s/containerd" },
	{ { "containerd", "--state=/run/k3s/containerd" }, NULL, NULL, "/run/k3s/containerd" },
	/* Docker 20.10's own: the state in its config */
	{ { "containerd", "--config", "/var/run/docker/containerd/containerd.toml", "--log-level", "info" },
	  "version = 0\nroot = \"/var/lib/docker/containerd/daemon\"\nstate = \"/var/run/docker/containerd/daemon\"\n",
	  "/var/run/docker/containerd/containerd.toml", "/var/run/docker/containerd/daemon" },
	/* a table's state is not the daemon's; single quotes; comments */
	{ { "containerd", "-c", "/x.toml" }, "[plugins.foo]\nstate = \"/nope\"\n", "/x.toml", "/run/containerd" },
	{ { "containerd", "-c", "/x.toml" }, "# state = \"/nope\"\n  state   =   '/srv/ctd' # here\n", "/x.toml", "/srv/ctd" },
};

static void containerd_state(void)
{
	for (size_t i = 0; i < sizeof(state_rows) / sizeof(state_rows[0]); i++) {
		const char *read = NULL;
		char out[256];
		int argc = 0;
		while (argc < 8 && state_rows[i].argv[argc])
			argc++;
		config_text = state_rows[i].config;
		int err = containerd_state_of(state_rows[i].argv, argc, fake_config, &read, out, sizeof(out));
		CHECK(!err, "row %zu: %d", i, err);
		if (!err)
			CHECK_STR(out, state_rows[i].state);
		if (state_rows[i].config_path)
			CHECK_STR(read, state_rows[i].config_path);
		else
			CHECK(!read || !strcmp(state_rows[i].argv[1], "-c"), "row %zu: --state wins without reading", i);
	}
	char small[8];
	CHECK(containerd_toml_top_string("state = \"/a/long/path\"\n", "state", small, sizeof(small)) == -ENAMETOOLONG,
	      "too long for the buffer");
	CHECK(containerd_toml_top_string("states = \"/x\"\n", "state", small, sizeof(small)) == -ENOENT, "another key");
}

int main(void)
{
	RUN(containerd_state);
	RUN(large_bundle_kept_small);
	RUN(layouts);
	RUN(matching);
	RUN(images);
	return UNIT_DONE();
}
