// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* sclens posture: the containers' seccomp posture, from the kernel's view
 * of their processes (/proc/<pid>/status, uid_map) and the engines'
 * metadata; and the host items of the KISA container checklist. */
#define _GNU_SOURCE
#include <argp.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <grp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include "cgroup.h"
#include "cli.h"
#include "commands.h"
#include "containers.h"
#include "kubelet.h"
#include "defaults.h"
#include "json_writer.h"
#include "names.h"
#include "observer.h"
#include "posture.h"
#include "files.h"
#include "sclens.h"
#include "array.h"

#define KISA "KISA 2024 container checklist"
#define SCLENS "sclens"

static const char *const level_names[] = { "info", "low", "medium", "high" };

const char *posture_level_name(enum posture_level l)
{
	return l <= LEVEL_HIGH ? level_names[l] : "?";
}

int posture_level_from_name(const char *name)
{
	for (int i = 0; i <= LEVEL_HIGH; i++)
		if (!strcasecmp(level_names[i], name))
			return i;
	return -1;
}

int findings_add(struct findings *f, enum posture_level level, const char *check, const char *subject,
		 const char *source, const char *fix, const char *fmt, ...)
{
	va_list ap;

	if (ARRAY_GROW(f->v, f->cap, f->n, 32))
		return -ENOMEM;
	struct finding *x = &f->v[f->n++];
	memset(x, 0, sizeof(*x));
	x->level = level;
	x->check = check;
	x->source = source;
	snprintf(x->subject, sizeof(x->subject), "%s", subject);
	snprintf(x->fix, sizeof(x->fix), "%s", fix ? fix : "");
	va_start(ap, fmt);
	vsnprintf(x->message, sizeof(x->message), fmt, ap);
	va_end(ap);
	return 0;
}

void findings_free(struct findings *f)
{
	free(f->v);
	memset(f, 0, sizeof(*f));
}

/* A small host or /proc file, or NULL: unreadable or larger than max */
static char *read_file(const char *path, size_t max, size_t *len)
{
	char *text;

	return file_read_all(path, max, FILE_NONBLOCK, &text, len) ? NULL : text;
}

static void host_path(char *out, size_t n, const char *root, const char *path)
{
	snprintf(out, n, "%s%s", root ? root : "", path);
}

/* ---- host: who is in the docker group ---- */

void posture_check_docker_group(struct findings *f, const char *root)
{
	char path[4096], *text, *line, *save = NULL;
	bool found = false;

	host_path(path, sizeof(path), root, "/etc/group");
	text = read_file(path, 1 << 20, NULL);
	if (!text)
		return;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "docker:", 7))
			continue;
		found = true;
		char *members = line, *m, *msave = NULL;
		for (int colons = 0; colons < 3 && members; colons++) {
			members = strchr(members, ':');
			if (members)
				members++;
		}
		for (m = members ? strtok_r(members, ",", &msave) : NULL; m; m = strtok_r(NULL, ",", &msave)) {
			while (isspace((unsigned char)*m))
				m++;
			if (!*m || !strcmp(m, "root"))
				continue;
			char fix[200];
			snprintf(fix, sizeof(fix), "gpasswd -d %.64s docker (give sudo with a logged rule instead)", m);
			findings_add(f, LEVEL_HIGH, "docker_group_member", "host", KISA, fix,
				     "user %.64s is in the docker group: the Docker socket makes them root on this host", m);
		}
	}
	if (!found)
		findings_add(f, LEVEL_INFO, "docker_group_member", "host", KISA, NULL, "no docker group in %s", path);
	free(text);
}

/* ---- host: audit rules on Docker's files ---- */

static const struct {
	const char *path;
	enum posture_level level;
} audited[] = {
	{ "/usr/bin/docker", LEVEL_MEDIUM }, { "/usr/bin/dockerd", LEVEL_LOW }, { "/usr/sbin/dockerd", LEVEL_LOW },
	{ "/var/lib/docker", LEVEL_LOW },    { "/etc/docker", LEVEL_LOW },	 { "/etc/default/docker", LEVEL_LOW },
};

/* Does an audit rule text watch path? "-w PATH" (any flags after), or a
 * syscall rule "-F path=PATH" / "-F dir=PATH". */
static bool rules_watch(const char *rules, const char *path)
{
	size_t n = strlen(path);
	const char *forms[] = { "-w ", "path=", "dir=" };

	for (size_t i = 0; i < 3; i++) {
		for (const char *p = strstr(rules, forms[i]); p; p = strstr(p + 1, forms[i])) {
			const char *q = p + strlen(forms[i]);
			/* the rule must be on a line that is not a comment */
			const char *bol = p;
			while (bol > rules && bol[-1] != '\n')
				bol--;
			while (*bol == ' ' || *bol == '\t')
				bol++;
			if (*bol == '#')
				continue;
			if (!strncmp(q, path, n) && (!q[n] || isspace((unsigned char)q[n]) || q[n] == '/'))
				return true;
		}
	}
	return false;
}

void posture_check_audit(struct findings *f, const char *root, bool ask_auditctl)
{
	char path[4096];
	struct sbuf rules;
	glob_t g;

	sb_init(&rules);
	host_path(path, sizeof(path), root, "/usr/bin/docker");
	char dpath[4096];
	host_path(dpath, sizeof(dpath), root, "/usr/sbin/dockerd");
	if (access(path, F_OK) && access(dpath, F_OK)) {
		findings_add(f, LEVEL_INFO, "audit_docker", "host", KISA, NULL, "Docker is not installed: no audit rule needed");
		return;
	}
	host_path(path, sizeof(path), root, "/etc/audit/rules.d/*.rules");
	if (!glob(path, 0, NULL, &g)) {
		for (size_t i = 0; i < g.gl_pathc; i++) {
			char *t = read_file(g.gl_pathv[i], 1 << 20, NULL);
			if (t) {
				sb_puts(&rules, t);
				sb_putc(&rules, '\n');
			}
			free(t);
		}
		globfree(&g);
	}
	host_path(path, sizeof(path), root, "/etc/audit/audit.rules");
	char *t = read_file(path, 1 << 20, NULL);
	if (t)
		sb_puts(&rules, t);
	free(t);
	/* the rules loaded now, when auditd runs here */
	if (ask_auditctl) {
		FILE *p = popen("auditctl -l 2>/dev/null", "re");
		char line[1024];
		while (p && fgets(line, sizeof(line), p))
			sb_puts(&rules, line);
		if (p)
			pclose(p);
	}
	for (size_t i = 0; i < sizeof(audited) / sizeof(audited[0]); i++) {
		if (rules.s && rules_watch(rules.s, audited[i].path))
			continue;
		/* the checklist's item is the client; the rest where it exists */
		host_path(path, sizeof(path), root, audited[i].path);
		if (i > 0 && access(path, F_OK))
			continue;
		char fix[300];
		snprintf(fix, sizeof(fix), "add \"-w %s -k docker\" to /etc/audit/rules.d/docker.rules, then augenrules --load",
			 audited[i].path);
		findings_add(f, audited[i].level, "audit_docker", "host", KISA, fix, "no audit rule watches %s",
			     audited[i].path);
	}
	sb_free(&rules);
}

/* ---- host: inter-container communication on the default bridge ---- */

/* "--icc=false", "--icc false": -1 when the command line does not say */
static int icc_from_args(const char *args, size_t len)
{
	int icc = -1;
	for (size_t off = 0; off < len; off += strlen(args + off) + 1) {
		const char *a = args + off;
		if (!strcmp(a, "--icc=false") || !strcmp(a, "--icc=0"))
			icc = 0;
		else if (!strcmp(a, "--icc=true") || !strcmp(a, "--icc=1"))
			icc = 1;
		else if (!strcmp(a, "--icc")) /* a bool flag: "--icc false" is not its value */
			icc = 1;
	}
	return icc;
}

void posture_check_icc(struct findings *f, const char *root, const char *cmdline, size_t len)
{
	char path[4096];
	const char *how = NULL;
	int icc = cmdline ? icc_from_args(cmdline, len) : -1;

	if (icc >= 0)
		how = "the running dockerd's command line";
	host_path(path, sizeof(path), root, "/etc/docker/daemon.json");
	char *text = icc < 0 ? read_file(path, 1 << 20, NULL) : NULL;
	if (text) {
		cJSON *j = cJSON_Parse(text), *v = cJSON_GetObjectItemCaseSensitive(j, "icc");
		if (cJSON_IsBool(v)) {
			icc = cJSON_IsTrue(v);
			how = "/etc/docker/daemon.json";
		}
		cJSON_Delete(j);
		free(text);
	}
	host_path(path, sizeof(path), root, "/etc/default/docker");
	text = icc < 0 ? read_file(path, 1 << 20, NULL) : NULL;
	if (text) {
		for (char *l = strtok(text, "\n"); l; l = strtok(NULL, "\n")) {
			while (isspace((unsigned char)*l))
				l++;
			if (*l == '#' || strncmp(l, "DOCKER_OPTS", 11))
				continue;
			if (strstr(l, "--icc=false") || strstr(l, "--icc false")) {
				icc = 0;
				how = "DOCKER_OPTS in /etc/default/docker";
			}
		}
		free(text);
	}
	if (!cmdline) {
		host_path(path, sizeof(path), root, "/usr/sbin/dockerd");
		if (access(path, F_OK) && icc < 0)
			return; /* no Docker here */
	}
	if (icc == 0) {
		findings_add(f, LEVEL_INFO, "docker_icc", "host", KISA, NULL,
			     "inter-container communication on the default bridge is off (%s)", how);
		return;
	}
	findings_add(f, LEVEL_MEDIUM, "docker_icc", "host", KISA,
		     "set \"icc\": false in /etc/docker/daemon.json (or dockerd --icc=false) and restart dockerd",
		     "containers on the default bridge can talk to each other (icc is on: %s)",
		     how ? how : "Docker's default");
}

/* ---- host: the Docker socket ---- */

void posture_check_docker_socket(struct findings *f, const char *root)
{
	char path[4096];
	struct stat st;

	host_path(path, sizeof(path), root, "/run/docker.sock");
	if (stat(path, &st)) {
		host_path(path, sizeof(path), root, "/var/run/docker.sock");
		if (stat(path, &st))
			return;
	}
	struct group *gr = getgrgid(st.st_gid);
	const char *gname = gr ? gr->gr_name : "?";
	if (st.st_mode & 0006)
		findings_add(f, LEVEL_HIGH, "docker_socket", "host", KISA, "chmod 660 /var/run/docker.sock",
			     "%s is accessible to every user (mode %03o): root for anyone on the host", path,
			     st.st_mode & 0777);
	else if (st.st_uid != 0 || (strcmp(gname, "docker") && st.st_gid != 0))
		findings_add(f, LEVEL_MEDIUM, "docker_socket", "host", KISA, "chown root:docker /var/run/docker.sock",
			     "%s is owned by uid %u, group %s (expected root:docker)", path, st.st_uid, gname);
	else
		findings_add(f, LEVEL_INFO, "docker_socket", "host", KISA, NULL, "%s is root:%s, mode %03o", path, gname,
			     st.st_mode & 0777);
}

/* ---- containers ---- */

struct proc_view {
	int pid;
	int seccomp, filters, nnp;
	uint64_t cap_bnd, cap_eff;
	long uid;	   /* effective uid inside */
	long root_on_host; /* host uid of uid 0 in its user namespace; -1 unmapped */
	bool userns;	   /* uid_map is not the identity */
};

static long status_field(const char *status, const char *key)
{
	const char *p = strstr(status, key);
	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

static uint64_t status_hex(const char *status, const char *key)
{
	const char *p = strstr(status, key);
	return p ? strtoull(p + strlen(key), NULL, 16) : 0;
}

static int read_proc_view(int pid, struct proc_view *v)
{
	char path[64], *status, *map;

	memset(v, 0, sizeof(*v));
	v->pid = pid;
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	status = read_file(path, 1 << 20, NULL);
	if (!status)
		return -ESRCH;
	v->seccomp = status_field(status, "\nSeccomp:");
	v->filters = status_field(status, "\nSeccomp_filters:");
	v->nnp = status_field(status, "\nNoNewPrivs:");
	v->cap_bnd = status_hex(status, "\nCapBnd:");
	v->cap_eff = status_hex(status, "\nCapEff:");
	const char *u = strstr(status, "\nUid:");
	v->uid = u ? strtol(strchr(u + 5, '\t') ? strchr(u + 5, '\t') + 1 : u + 5, NULL, 10) : -1;
	{
		/* the second number is the effective uid */
		long real, eff;
		if (u && sscanf(u + 5, "%ld %ld", &real, &eff) == 2)
			v->uid = eff;
	}
	free(status);
	snprintf(path, sizeof(path), "/proc/%d/uid_map", pid);
	map = read_file(path, 1 << 16, NULL);
	v->root_on_host = 0;
	if (map) {
		unsigned long inside, outside, count;
		v->root_on_host = -1;
		for (char *l = strtok(map, "\n"); l; l = strtok(NULL, "\n")) {
			if (sscanf(l, "%lu %lu %lu", &inside, &outside, &count) != 3)
				continue;
			if (!(inside == 0 && outside == 0 && count == 4294967295UL))
				v->userns = true;
			if (inside == 0)
				v->root_on_host = outside;
		}
		free(map);
	}
	return 0;
}

static uint64_t cap_mask(const char *const *names)
{
	uint64_t m = 0;
	for (; *names; names++)
		m |= 1ULL << cap_from_name(*names);
	return m;
}

/* What each engine grants without --cap-add */
static uint64_t engine_default_caps(const char *runtime)
{
	static const char *const podman[] = { "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "NET_BIND_SERVICE",
					      "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT", NULL };
	if (runtime && (!strcmp(runtime, "podman") || !strcmp(runtime, "cri-o")))
		return cap_mask(podman);
	return docker_default_caps(); /* Docker, containerd and CRI share Docker's set */
}

static const struct {
	const char *cap;
	enum posture_level level;
	const char *gives;
} cap_risks[] = {
	{ "SYS_ADMIN", LEVEL_HIGH, "mount, namespaces, BPF and most of what seccomp and the kernel protect" },
	{ "SYS_MODULE", LEVEL_HIGH, "loading kernel modules: the host's kernel itself" },
	{ "SYS_RAWIO", LEVEL_HIGH, "raw I/O ports and device memory" },
	{ "DAC_READ_SEARCH", LEVEL_HIGH, "open_by_handle_at: reading host files by handle (the 'shocker' escape)" },
	{ "BPF", LEVEL_HIGH, "loading BPF programs" },
	{ "MAC_ADMIN", LEVEL_HIGH, "changing the LSM policy that confines it" },
	{ "SYS_PTRACE", LEVEL_MEDIUM, "tracing and injecting code into other processes it can see" },
	{ "NET_ADMIN", LEVEL_MEDIUM, "interfaces, routes and firewall rules of its network namespace" },
	{ "SYS_TIME", LEVEL_MEDIUM, "setting the host's clock" },
	{ "SYS_RESOURCE", LEVEL_MEDIUM, "raising resource limits and quotas" },
	{ "AUDIT_CONTROL", LEVEL_MEDIUM, "changing the audit rules that watch it" },
	{ "PERFMON", LEVEL_MEDIUM, "performance monitoring of the host" },
	{ "SYS_BOOT", LEVEL_MEDIUM, "reboot" },
	{ "SYSLOG", LEVEL_LOW, "the kernel log" },
};

static void cap_risk(int cap, enum posture_level *level, const char **gives)
{
	*level = LEVEL_LOW;
	*gives = "more than the engine's default";
	for (size_t i = 0; i < sizeof(cap_risks) / sizeof(cap_risks[0]); i++)
		if (cap_from_name(cap_risks[i].cap) == cap) {
			*level = cap_risks[i].level;
			*gives = cap_risks[i].gives;
		}
}

static const char *engine_cmd(const struct container *c)
{
	const char *e = container_engine(c);
	if (!e || !strcmp(e, "docker"))
		return "docker run";
	if (!strcmp(e, "podman"))
		return "podman run";
	if (!strcmp(e, "containerd"))
		return "ctr run";
	return NULL; /* Kubernetes: securityContext */
}

static bool is_k8s(const struct container *c)
{
	const char *e = container_engine(c);
	return e && (!strcmp(e, "kubernetes") || !strcmp(e, "cri-o"));
}

/* Which calls the container's profile allows that the default denies */
static int loosened(const struct container *c, const struct default_match *m, char *names, size_t n)
{
	struct sc_target t;
	struct profile *conv;
	struct sc_error e;
	int count = 0;
	size_t len = 0;

	sc_target_host(&t);
	t.caps = c->has_caps ? c->caps : docker_default_caps();
	names[0] = 0;
	if (m->differences >= (1 << 20) || profile_effective(m->def->profile, &t, &conv, &e))
		return -1;
	for (int i = 0; i < m->differences; i++) {
		struct sc_call call = { .arch = SCLENS_ARCH_X86_64, .name = m->differing[i] };
		struct sc_verdict a, b;
		profile_eval(c->profile, &call, &a);
		profile_eval(conv, &call, &b);
		if (action_allows(a.action) && !action_allows(b.action)) {
			count++;
			if (len < n)
				len += snprintf(names + len, n - len, "%s%s", len ? ", " : "", m->differing[i]);
		}
	}
	profile_free(conv);
	return count;
}

struct posture_container {
	const struct container *c;
	struct proc_view v;
	char label[160];
	char profile[256];
};

static void container_findings(struct findings *f, struct posture_container *pc)
{
	const struct container *c = pc->c;
	const struct proc_view *v = &pc->v;
	const char *cmd = engine_cmd(c);
	bool k8s = is_k8s(c);
	char fix[256];

	/* seccomp */
	if (v->seccomp == 0) {
		snprintf(pc->profile, sizeof(pc->profile), "none (unconfined)");
		snprintf(fix, sizeof(fix), "%s",
			 k8s && c->sandbox ? "the Pod's spec.securityContext.seccompProfile: {type: RuntimeDefault}"
			 : k8s		   ? "securityContext.seccompProfile: {type: RuntimeDefault}"
			 : c->unconfined   ? "remove --security-opt seccomp=unconfined"
					   : "run it with the engine's default profile");
		findings_add(f, LEVEL_HIGH, "seccomp_unconfined", pc->label, SCLENS, fix,
			     "no seccomp filter (Seccomp: 0): every syscall is allowed");
	} else if (v->seccomp == 1) {
		snprintf(pc->profile, sizeof(pc->profile), "strict mode");
	} else if (c->source && c->localhost_ref) {
		snprintf(pc->profile, sizeof(pc->profile), "Localhost %s", c->localhost_ref);
		findings_add(f, LEVEL_INFO, "seccomp_custom", pc->label, SCLENS, NULL,
			     "the Pod's Localhost profile %s (%d entries)", c->source->label, c->source->n_rules);
	} else if (c->source) {
		snprintf(pc->profile, sizeof(pc->profile), "custom (given to the engine), %d filter%s", v->filters,
			 v->filters == 1 ? "" : "s");
		findings_add(f, LEVEL_INFO, "seccomp_custom", pc->label, SCLENS, NULL,
			     "a custom profile given to the engine (%d entries)", c->source->n_rules);
	} else {
		const struct recognition *r = container_recognition(c);
		struct sbuf d;
		sb_init(&d);
		if (r)
			recognition_describe(r, &d);
		snprintf(pc->profile, sizeof(pc->profile), "%s", d.s ? d.s : c->profile ? "custom" : "unknown (no engine metadata)");
		const struct default_match *m = r && r->n ? &r->matches[0] : NULL;
		if (m && !m->exact && m->differences <= 24) {
			char names[256];
			int wider = loosened(c, m, names, sizeof(names));
			if (wider > 0)
				findings_add(f, LEVEL_MEDIUM, "seccomp_wider_than_default", pc->label, SCLENS,
					     "remove the added entries, or keep them with a reason", "its profile allows %d call%s the %s denies: %s",
					     wider, wider == 1 ? "" : "s", m->def->title, names);
			else
				findings_add(f, LEVEL_INFO, "seccomp_differs", pc->label, SCLENS, NULL, "%s", pc->profile);
		} else if (r && (!m || !m->exact)) {
			findings_add(f, LEVEL_LOW, "seccomp_custom", pc->label, SCLENS, NULL,
				     "a custom profile (%d entries), not an engine's default", c->profile ? c->profile->n_rules : 0);
		}
		sb_free(&d);
	}
	/* privileged */
	if (c->privileged) {
		snprintf(fix, sizeof(fix), "%s", k8s ? "securityContext.privileged: false" : "remove --privileged");
		findings_add(f, LEVEL_HIGH, "privileged", pc->label, SCLENS, fix,
			     "privileged: every capability, every device, no seccomp filter by default");
	}
	/* capabilities beyond the engine's default */
	uint64_t added = v->cap_bnd & ~engine_default_caps(c->runtime);
	for (int cap = 0; cap <= SCLENS_CAP_LAST && !c->privileged; cap++) {
		if (!(added & (1ULL << cap)))
			continue;
		enum posture_level level;
		const char *gives;
		cap_risk(cap, &level, &gives);
		const char *bare = cap_name(cap) + 4;
		if (k8s)
			snprintf(fix, sizeof(fix), "remove \"%s\" from securityContext.capabilities.add", bare);
		else
			snprintf(fix, sizeof(fix), "%s without --cap-add %s", cmd, bare);
		findings_add(f, level, "capability_added", pc->label, SCLENS, fix, "%s beyond the engine's default: %s",
			     cap_name(cap), gives);
	}
	/* root, and whether that root is the host's */
	if (v->uid == 0) {
		if (v->userns && v->root_on_host != 0) {
			findings_add(f, LEVEL_INFO, "runs_as_root", pc->label, SCLENS, NULL,
				     "runs as root in a user namespace (host uid %ld)", v->root_on_host);
		} else {
			if (k8s)
				snprintf(fix, sizeof(fix), "securityContext: {runAsNonRoot: true, runAsUser: 1000}");
			else
				snprintf(fix, sizeof(fix), "%s --user 1000 ...", cmd);
			findings_add(f, LEVEL_MEDIUM, "runs_as_root", pc->label, KISA, fix,
				     "runs as root, and that root is the host's (no user namespace)");
		}
	}
	if (!v->nnp && !c->privileged) {
		if (k8s)
			snprintf(fix, sizeof(fix), "securityContext.allowPrivilegeEscalation: false");
		else
			snprintf(fix, sizeof(fix), "%s --security-opt no-new-privileges ...", cmd);
		findings_add(f, LEVEL_LOW, "no_new_privs", pc->label, SCLENS, fix,
			     "no_new_privs is off: setuid programs inside can gain privileges");
	}
}

/* ---- gathering ---- */

struct posture_opts {
	bool json;
	int fail_on;
	const char *host_root;
	struct container_roots roots;
};

static int find_containers(struct posture_container **out, int *n)
{
	DIR *proc = opendir("/proc");
	struct dirent *de;
	const char *root = cgroup2_root();
	int cap = 0;

	*out = NULL;
	*n = 0;
	if (!proc)
		return -errno;
	while ((de = readdir(proc))) {
		char path[4200], *cg;
		int pid = atoi(de->d_name);
		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/cgroup", pid);
		cg = read_file(path, 1 << 16, NULL);
		if (!cg)
			continue;
		char *line = strstr(cg, "0::");
		if (line != cg && line && line[-1] != '\n')
			line = strstr(cg, "\n0::") ? strstr(cg, "\n0::") + 1 : NULL;
		if (!line || !root) {
			free(cg);
			continue;
		}
		char *rel = line + 3, *nl = strchr(rel, '\n');
		if (nl)
			*nl = 0;
		uint64_t id;
		snprintf(path, sizeof(path), "%s%s", root, rel);
		const char *leaf = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
		const struct container *c = cgroup_id_of_path(path, &id) ? NULL : container_lookup(id, rel, leaf);
		free(cg);
		if (!c || !c->runtime || !c->id)
			continue;
		bool seen = false;
		for (int i = 0; i < *n && !seen; i++)
			seen = (*out)[i].c == c;
		if (seen)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			struct posture_container *v = realloc(*out, cap * sizeof(**out));
			if (!v)
				break;
			*out = v;
		}
		struct posture_container *pc = &(*out)[(*n)++];
		memset(pc, 0, sizeof(*pc));
		pc->c = c;
		if (read_proc_view(pid, &pc->v)) {
			(*n)--;
			continue;
		}
		if (c->pod && c->namespace) /* Kubernetes: as kubectl names it */
			snprintf(pc->label, sizeof(pc->label), "%s/%s%s%s", c->namespace, c->pod,
				 c->sandbox ? " (sandbox)" : c->container_name ? "/" : "",
				 c->sandbox || !c->container_name ? "" : c->container_name);
		else
			snprintf(pc->label, sizeof(pc->label), "%s/%s", c->runtime,
				 c->name ? c->name : c->container_name ? c->container_name : c->id);
	}
	closedir(proc);
	return 0;
}

/* What completion offers of a container: its name, pod, namespace or image */
static const char *container_word(const struct container *c, const char *what)
{
	if (!strcmp(what, "pods"))
		return c->pod;
	if (!strcmp(what, "namespaces"))
		return c->namespace;
	if (!strcmp(what, "images"))
		return c->image;
	return c->name ? c->name : c->container_name;
}

void posture_print_container_words(const char *what)
{
	struct posture_container *pcs;
	int n;

	if (find_containers(&pcs, &n))
		return;
	for (int i = 0; i < n; i++) {
		const char *word = container_word(pcs[i].c, what);
		/* words a shell can take as they are; each once */
		bool again = false;
		for (int k = 0; k < i && word && !again; k++) {
			const char *w = container_word(pcs[k].c, what);
			again = w && !strcmp(w, word);
		}
		if (word && !again && !strpbrk(word, " \t\n'\"\\$`"))
			puts(word);
	}
	free(pcs);
}

static char *dockerd_cmdline(size_t *len)
{
	DIR *proc = opendir("/proc");
	struct dirent *de;
	char *found = NULL;

	if (!proc)
		return NULL;
	while (!found && (de = readdir(proc))) {
		char path[300];
		int pid = atoi(de->d_name);
		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/comm", pid);
		char *comm = read_file(path, 64, NULL);
		if (comm && !strcmp(comm, "dockerd\n")) {
			snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
			found = read_file(path, 1 << 16, len);
		}
		free(comm);
	}
	closedir(proc);
	return found;
}

static void kernel_readiness(struct findings *f)
{
	bool btf = !access("/sys/kernel/btf/vmlinux", R_OK);
	char *status = read_file("/proc/self/status", 1 << 16, NULL);
	bool seccomp = status && strstr(status, "\nSeccomp:");

	free(status);
	/* what watch's auto would try, from the kernel's BTF: whether fexit
	 * may attach is only known by trying (watch says what it chose) */
	const char *method = !btf ? "none (no BTF)"
			     : observer_fexit_supported()
				     ? "fexit on __seccomp_filter where the kernel lets tracing programs attach, else one "
				       "hook on sys_exit"
			     : observer_one_hook_supported() ? "one hook on sys_exit (the kernel's verdict cache)"
							     : "two hooks, on sys_enter and sys_exit";
	findings_add(f, seccomp && btf ? LEVEL_INFO : LEVEL_MEDIUM, "sclens_ready", "host", SCLENS,
		     btf ? NULL : "a kernel built with CONFIG_DEBUG_INFO_BTF=y",
		     "seccomp filters %s; BTF %s; capture method: %s", seccomp ? "supported" : "NOT supported",
		     btf ? "present" : "MISSING (sclens watch cannot load)", method);
}

/* ---- output ---- */

static int cmp_level_desc(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;
	if (x->level != y->level)
		return (int)y->level - (int)x->level;
	return strcmp(x->subject, y->subject);
}

/* Tables that fit the terminal (80 columns when not one): the last
 * column, and each finding's text and fix, wrap under themselves */
static void print_plain(struct posture_container *pcs, int n, struct findings *f)
{
	int width = output_width(), label_w = 9;
	struct sbuf b;

	for (int i = 0; i < n; i++) {
		struct sbuf t;
		sb_init(&t);
		sb_put_esc(&t, pcs[i].label);
		if ((int)t.len > label_w)
			label_w = t.len > 36 ? 36 : (int)t.len;
		sb_free(&t);
	}
	sb_init(&b);
	sb_printf(&b, "%-*s %-6s %-7s %-6s %-3s  %s\n", label_w, "CONTAINER", "PID", "SECCOMP", "ROOT", "NNP", "PROFILE");
	int profile_col = label_w + 1 + 6 + 1 + 7 + 1 + 6 + 1 + 3 + 2;
	for (int i = 0; i < n; i++) {
		const struct proc_view *v = &pcs[i].v;
		size_t at = b.len;
		sb_put_esc(&b, pcs[i].label);
		if ((int)(b.len - at) > label_w) { /* a long name: the rest of the row on the next line */
			sb_putc(&b, '\n');
			at = b.len;
		}
		while ((int)(b.len - at) < label_w)
			sb_putc(&b, ' ');
		sb_printf(&b, " %-6d %-7s %-6s %-3s  ", v->pid, v->seccomp == 2 ? "filter" : v->seccomp == 1 ? "strict" : "none",
			  v->uid == 0 ? (v->userns && v->root_on_host != 0 ? "userns" : "yes") : "no", v->nnp ? "yes" : "no");
		sb_put_wrapped(&b, pcs[i].profile, profile_col, profile_col, width);
		sb_putc(&b, '\n');
	}
	if (!n)
		sb_puts(&b, "(no containers running)\n");
	/* findings: level, subject and check on one line, then what and the fix */
	sb_puts(&b, "\nLEVEL  SUBJECT, CHECK\n");
	for (int i = 0; i < f->n; i++) {
		const struct finding *x = &f->v[i];
		sb_printf(&b, "%-6s ", posture_level_name(x->level));
		sb_put_esc(&b, x->subject);
		sb_printf(&b, "  %s\n       ", x->check);
		sb_put_wrapped(&b, x->message, 7, 7, width);
		sb_putc(&b, '\n');
		if (x->fix[0]) {
			sb_puts(&b, "       fix: ");
			sb_put_wrapped(&b, x->fix, 12, 12, width);
			sb_putc(&b, '\n');
		}
	}
	if (!b.oom)
		fputs(b.s, stdout);
	sb_free(&b);
}

static void print_json(struct posture_container *pcs, int n, struct findings *f, int fail_on, int worst)
{
	struct sbuf b;
	struct jw w;

	sb_init(&b);
	jw_init(&w, &b);
	jw_obj_begin(&w);
	jw_kv_str(&w, "type", "posture");
	jw_key(&w, "containers");
	jw_arr_begin(&w);
	for (int i = 0; i < n; i++) {
		const struct proc_view *v = &pcs[i].v;
		jw_obj_begin(&w);
		container_json(&w, pcs[i].c);
		jw_kv_i64(&w, "pid", v->pid);
		jw_kv_str(&w, "seccomp", v->seccomp == 2 ? "filter" : v->seccomp == 1 ? "strict" : "none");
		jw_kv_i64(&w, "seccomp_filters", v->filters);
		jw_kv_str(&w, "profile", pcs[i].profile);
		jw_kv_bool(&w, "privileged", pcs[i].c->privileged);
		jw_kv_bool(&w, "no_new_privs", v->nnp);
		jw_kv_i64(&w, "uid", v->uid);
		jw_kv_bool(&w, "user_namespace", v->userns);
		jw_key(&w, "cap_bnd");
		jw_hex(&w, v->cap_bnd, 0);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_key(&w, "findings");
	jw_arr_begin(&w);
	for (int i = 0; i < f->n; i++) {
		const struct finding *x = &f->v[i];
		jw_obj_begin(&w);
		jw_kv_str(&w, "level", posture_level_name(x->level));
		jw_kv_str(&w, "check", x->check);
		jw_kv_str(&w, "subject", x->subject);
		jw_kv_str(&w, "message", x->message);
		if (x->fix[0])
			jw_kv_str(&w, "fix", x->fix);
		jw_kv_str(&w, "source", x->source);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_kv_str(&w, "fail_on", posture_level_name(fail_on));
	jw_kv_str(&w, "worst", worst >= 0 ? posture_level_name(worst) : "none");
	jw_obj_end(&w);
	sb_putc(&b, '\n');
	if (!b.oom)
		fputs(b.s, stdout);
	sb_free(&b);
}

/* ---- the command ---- */

enum { OPT_FAIL_ON = 1000, OPT_HOST_ROOT, OPT_DOCKER_ROOT, OPT_PODMAN_ROOT, OPT_CONTAINERD_ROOT, OPT_RUNC_ROOT,
       OPT_KUBELET_SECCOMP };

static const struct argp_option posture_options[] = {
	{ "json", 'j', NULL, 0, "One JSON object (docs/posture.md)", 0 },
	{ "fail-on", OPT_FAIL_ON, "LEVEL", 0, "Exit 5 when a finding is at or above LEVEL: high (default), medium, low, info", 0 },
	{ "host-root", OPT_HOST_ROOT, "DIR", 0, "Read the host's files (/etc/group, audit rules, daemon.json, the socket) below DIR", 0 },
	{ "docker-root", OPT_DOCKER_ROOT, "DIR", 0, "Docker data (default /var/lib/docker)", 0 },
	{ "podman-root", OPT_PODMAN_ROOT, "DIR", 0, "Podman containers (default /var/lib/containers/storage/overlay-containers)", 0 },
	{ "containerd-root", OPT_CONTAINERD_ROOT, "DIR", 0,
	  "containerd tasks (default /run/containerd/io.containerd.runtime.v2.task; those of every containerd "
	  "running on the host are found without it)", 0 },
	{ "kubelet-root", OPT_KUBELET_SECCOMP, "DIR", 0,
	  "The kubelet's --root-dir (default /var/lib/kubelet): pods' Localhost profiles are in its seccomp/", 0 },
	{ "runc-root", OPT_RUNC_ROOT, "DIR", 0, "runc state (default /run/runc)", 0 },
	{},
};

static const char posture_doc[] =
	"Every container's seccomp posture, and the host checks of the KISA\n"
	"container checklist.\n"
	"\n"
	"Per container: seccomp mode and which profile (a default, custom, or how\n"
	"it differs), privileged, capabilities beyond the engine's default, root\n"
	"(and whether a user namespace maps it), no_new_privs. Host: docker group\n"
	"members, audit rules on Docker's files, inter-container communication,\n"
	"the Docker socket, and whether this kernel can run sclens watch. Each\n"
	"finding has a level and a fix. Exit status: 0, or 5 when a finding is at\n"
	"or above --fail-on.\n"
	"\n"
	"EXAMPLES:\n"
	"  sclens posture\n"
	"  sclens posture --json | jq '.findings[] | select(.level == \"high\")'\n"
	"  sclens posture --fail-on medium    # in CI or cron\n"
	"\nOPTIONS:";

static error_t posture_parse(int key, char *arg, struct argp_state *state)
{
	struct posture_opts *o = state->input;

	switch (key) {
	case 'j': o->json = true; break;
	case OPT_FAIL_ON:
		if ((o->fail_on = posture_level_from_name(arg)) < 0)
			argp_error(state, "--fail-on takes high, medium, low or info, not '%s'", arg);
		break;
	case OPT_HOST_ROOT: o->host_root = arg; break;
	case OPT_DOCKER_ROOT: o->roots.docker = arg; break;
	case OPT_PODMAN_ROOT: o->roots.podman = arg; break;
	case OPT_CONTAINERD_ROOT: o->roots.containerd = arg; break;
	case OPT_KUBELET_SECCOMP: o->roots.kubelet_seccomp = kubelet_seccomp_root(arg); break;
	case OPT_RUNC_ROOT: o->roots.runc = arg; break;
	case ARGP_KEY_ARG: argp_error(state, "unexpected argument '%s'", arg); break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

int cmd_posture(int argc, char **argv)
{
	static const struct argp argp = { .options = posture_options, .parser = posture_parse, .doc = posture_doc };
	struct posture_opts o = { .fail_on = LEVEL_HIGH };
	struct posture_container *pcs = NULL;
	struct findings f = {};
	int n = 0, worst = -1;
	size_t cmd_len = 0;

	int parsed = cli_parse(&argp, argc, argv, 0, &o);
	if (parsed >= 0)
		return parsed;
	if (geteuid() != 0)
		fprintf(stderr, "sclens posture: warning: not root: other users' processes and the engines' files may be unreadable\n");
	struct stat hr;
	if (o.host_root && (stat(o.host_root, &hr) || !S_ISDIR(hr.st_mode))) {
		fprintf(stderr, "sclens posture: --host-root %s: %s (give the directory the host's / is mounted at)\n",
			o.host_root, errno ? strerror(errno) : "not a directory");
		if (o.json)
			print_json_error("invalid --host-root", o.host_root);
		return EXIT_USAGE;
	}
	containers_init(&o.roots);
	defaults_load(o.host_root);
	find_containers(&pcs, &n);
	for (int i = 0; i < n; i++)
		container_findings(&f, &pcs[i]);
	posture_check_docker_group(&f, o.host_root);
	posture_check_audit(&f, o.host_root, !o.host_root);
	char *cmdline = o.host_root ? NULL : dockerd_cmdline(&cmd_len);
	posture_check_icc(&f, o.host_root, cmdline, cmd_len);
	free(cmdline);
	posture_check_docker_socket(&f, o.host_root);
	if (!o.host_root)
		kernel_readiness(&f);
	if (f.n)
		qsort(f.v, f.n, sizeof(*f.v), cmp_level_desc);
	for (int i = 0; i < f.n; i++)
		if ((int)f.v[i].level > worst)
			worst = f.v[i].level;
	if (o.json)
		print_json(pcs, n, &f, o.fail_on, worst);
	else
		print_plain(pcs, n, &f);
	free(pcs);
	findings_free(&f);
	return worst >= o.fail_on ? EXIT_FINDINGS : EXIT_OK;
}
