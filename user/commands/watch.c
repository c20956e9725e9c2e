// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* sclens watch: report seccomp denials as they happen. Its options are
 * also those of daemon and record (watch_argp, an argp child). */
#define _GNU_SOURCE
#include <argp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "commands.h"
#include "kubelet.h"
#include "pipeline.h"
#include "report.h"
#include "summary.h"
#include "text.h"

static const char watch_doc[] =
	"Report every seccomp denial on this host as it happens.\n"
	"\n"
	"EXAMPLES:\n"
	"  sclens watch                      # every denial, one line each\n"
	"  sclens watch --json               # JSON lines (docs/json-schema.md)\n"
	"  sclens watch -p 1234 -s clock_settime\n"
	"  sclens watch --cgroup /sys/fs/cgroup/system.slice/myapp.service\n"
	"  sclens watch --count 1 --duration 30\n"
	"  sclens watch --profile docker-default.json      # explain against a profile\n"
	"  sclens watch --container web --profile web=web-seccomp.json\n"
	"  sclens watch --namespace prod --json\n"
	"  sclens watch --image nginx:1.25     # containers of that image, any registry\n"
	"\nOPTIONS:";

enum {
	OPT_CGROUP = 1000, OPT_INSTALLS, OPT_PROFILE, OPT_DOCKER_DEFAULT, OPT_CONTAINER, OPT_POD,
	OPT_NAMESPACE, OPT_HOST, OPT_ALL, OPT_RUNC_ROOT, OPT_DOCKER_ROOT, OPT_CONTAINERD_ROOT, OPT_KUBELET_SECCOMP,
	OPT_CRIO_ROOT, OPT_PODMAN_ROOT, OPT_NO_REPLAY, OPT_BUFFER, OPT_METHOD, OPT_SHADOW, OPT_IMAGE, OPT_RATE_LIMIT,
};

static const struct argp_option watch_options[] = {
	{ "color", 1999, "WHEN", 0, "Colour: auto (on a terminal, unless NO_COLOR is set), always, never", 0 },
	{ "pid", 'p', "PID[,PID]", 0, "Only these processes (tgid); repeatable", 0 },
	{ "comm", 'c', "COMM[,COMM]", 0, "Only tasks with these command names; repeatable", 0 },
	{ "syscall", 's', "NAME[,NAME]", 0,
	  "Only these syscalls, on every arch: names, x86_64 numbers, or classes (%clock, %creds, %file, %ipc, "
	  "%memory, %network, %process, %signal); repeatable", 0 },
	{ "cgroup", OPT_CGROUP, "PATH", 0, "Only tasks in this cgroup v2 directory", 0 },
	{ "duration", 'd', "TIME", 0, "Stop after this long: 30, 30s, 5m, 2h, 1d", 0 },
	{ "count", 'n', "N", 0, "Stop after N denials", 0 },
	{ "json", 'j', NULL, 0, "One JSON object per line", 0 },
	{ "installs", OPT_INSTALLS, NULL, 0, "Also report filters being installed", 0 },
	{ "container", OPT_CONTAINER, "ID|NAME", 0, "Only these containers (id prefix or exact name); repeatable, or a,b", 0 },
	{ "pod", OPT_POD, "NAME", 0, "Only these Kubernetes pods; repeatable", 0 },
	{ "namespace", OPT_NAMESPACE, "NS", 0, "Only these Kubernetes namespaces; repeatable", 0 },
	{ "image", OPT_IMAGE, "IMAGE[:TAG]", 0,
	  "Only containers of this image (any tag without one, any registry without one); repeatable", 0 },
	{ "host", OPT_HOST, NULL, 0, "Only processes outside containers", 0 },
	{ "all", OPT_ALL, NULL, 0, "Everything (the default)", 0 },
	{ "profile", 'f', "[CONTAINER=]FILE|ID", 0,
	  "Explain denials against this profile (for one container with CONTAINER=)", 0 },
	{ "docker-default", OPT_DOCKER_DEFAULT, "FILE", 0,
	  "A Docker-format default profile (Docker's, Podman's, containerd's RuntimeDefault): recognise "
	  "containers running it converted, to name capability fixes; repeatable", 0 },
	{ "buffer-mb", OPT_BUFFER, "MB", 0, "Ring buffer size, a power of two (default 16)", 0 },
	{ "rate-limit", OPT_RATE_LIMIT, "N[,BURST]", 0,
	  "Each cgroup's denial events: at most N a second after a burst of BURST (default 1000,1000; 0: no "
	  "limit). Every denial is still counted, and the first of each call, action and errno in a cgroup is "
	  "always sent: one container's storm cannot crowd out another's", 0 },
	{ "no-replay", OPT_NO_REPLAY, NULL, 0,
	  "Do not replay denials through their filters (no rule and instruction in the report)", 0 },
	{ "shadow", OPT_SHADOW, "FILE|ID", 0,
	  "Try a candidate profile on the selected containers' real calls, enforcing nothing: report each call "
	  "it would deny (\"would_deny\"), with its rule and fix (needs --container, --pod, --namespace or --image)", 0 },
	{ "method", OPT_METHOD, "METHOD", 0,
	  "How the kernel side sees denials: auto (default; also $SCLENS_METHOD: the first this kernel "
	  "allows), fexit (on seccomp's decision: only filtered tasks pay), one-hook (sys_exit and the "
	  "kernel's verdict cache, Linux 5.11+), two-hooks (sys_enter and sys_exit)", 0 },
	{ "runc-root", OPT_RUNC_ROOT, "DIR", 0, "runc state (default /run/runc)", 0 },
	{ "docker-root", OPT_DOCKER_ROOT, "DIR", 0, "Docker data (default /var/lib/docker)", 0 },
	{ "containerd-root", OPT_CONTAINERD_ROOT, "DIR", 0,
	  "containerd tasks (default /run/containerd/io.containerd.runtime.v2.task; those of every containerd "
	  "running on the host are found without it)", 0 },
	{ "kubelet-root", OPT_KUBELET_SECCOMP, "DIR", 0,
	  "The kubelet's --root-dir (default /var/lib/kubelet): pods' Localhost profiles are in its seccomp/", 0 },
	{ "crio-root", OPT_CRIO_ROOT, "DIR", 0, "CRI-O containers (default /run/containers/storage/overlay-containers)", 0 },
	{ "podman-root", OPT_PODMAN_ROOT, "DIR", 0,
	  "Podman containers (default /var/lib/containers/storage/overlay-containers)", 0 },
	{ "verbose", 'v', NULL, 0, "Show libbpf's messages", 0 },
	{},
};

static error_t watch_parse(int key, char *arg, struct argp_state *state)
{
	struct watch_opts *o = state->input;
	long v;

	switch (key) {
	case 1999:
		if (color_mode_set(arg))
			argp_error(state, "--color takes auto, always or never, not '%s'", arg);
		o->terminal_given |= WATCH_GIVEN_COLOR;
		break;
	case 'p': {
		int first = o->pids.n;
		if (str_list_add(&o->pids, arg))
			argp_error(state, "out of memory");
		for (int i = first; i < o->pids.n; i++)
			if (parse_int(o->pids.v[i], 1, INT32_MAX, &v))
				argp_error(state, "invalid PID '%s'", o->pids.v[i]);
		break;
	}
	case 'c': {
		int first = o->comms.n;
		if (str_list_add(&o->comms, arg))
			argp_error(state, "out of memory");
		for (int i = first; i < o->comms.n; i++)
			if (strlen(o->comms.v[i]) >= SCLENS_COMM_LEN)
				argp_error(state, "command names have at most %d characters: '%s'", SCLENS_COMM_LEN - 1,
					   o->comms.v[i]);
		break;
	}
	case 's':
		if (str_list_add(&o->syscall_args, arg))
			argp_error(state, "out of memory");
		break;
	case OPT_CGROUP:
		o->cgroup_path = arg;
		break;
	case 'd':
		if (parse_duration(arg, &v))
			argp_error(state, "invalid duration '%s' (30, 30s, 5m, 2h or 1d; at most a year)", arg);
		o->duration_s = v;
		break;
	case 'n':
		if (parse_int(arg, 1, INT32_MAX, &v))
			argp_error(state, "invalid count '%s'", arg);
		o->max_count = v;
		break;
	case 'j':
		o->json = true;
		o->terminal_given |= WATCH_GIVEN_JSON;
		break;
	case OPT_INSTALLS:
		o->installs = true;
		o->terminal_given |= WATCH_GIVEN_INSTALLS;
		break;
	case 'v':
		o->verbose = true;
		break;
	case 'f': {
		const char *eq = strchr(arg, '=');
		if (o->n_profiles == MAX_PROFILES)
			argp_error(state, "at most %d --profile options", MAX_PROFILES);
		struct profile_opt *po = &o->profiles[o->n_profiles++];
		po->path = arg;
		if (eq && access(arg, F_OK)) { /* CONTAINER=FILE, unless a file has that name */
			po->container = strndup(arg, eq - arg);
			po->path = eq + 1;
		}
		break;
	}
	case OPT_DOCKER_DEFAULT:
		if (o->n_sources == MAX_PROFILES)
			argp_error(state, "at most %d --docker-default options", MAX_PROFILES);
		o->sources[o->n_sources++] = arg;
		break;
	case OPT_CONTAINER: str_list_add(&o->containers, arg); break;
	case OPT_POD: str_list_add(&o->pods, arg); break;
	case OPT_NAMESPACE: str_list_add(&o->namespaces, arg); break;
	case OPT_IMAGE: str_list_add(&o->images, arg); break;
	case OPT_HOST: o->host_only = true; break;
	case OPT_NO_REPLAY: o->no_replay = true; break;
	case OPT_SHADOW: o->shadow_path = arg; break;
	case OPT_METHOD:
		if ((o->filters.method = observer_method_parse(arg)) == -2)
			argp_error(state, "--method takes auto, fexit, one-hook or two-hooks, not '%s'", arg);
		break;
	case OPT_RATE_LIMIT: {
		char *comma = strchr(arg, ','), rate[32];
		long burst = 0;
		snprintf(rate, sizeof(rate), "%.*s", comma ? (int)(comma - arg) : (int)strlen(arg), arg);
		if (parse_int(rate, 0, 1000000, &v) || (comma && (parse_int(comma + 1, 1, 100000000, &burst) || !v)))
			argp_error(state, "--rate-limit takes N or N,BURST (0 to 1000000 events a second per cgroup; "
					  "0: no limit), not '%s'", arg);
		o->filters.events_per_s = v;
		o->filters.events_burst = comma ? burst : v;
		break;
	}
	case OPT_BUFFER:
		if (parse_int(arg, 1, 1024, &v) || (v & (v - 1)))
			argp_error(state, "--buffer-mb wants a power of two from 1 to 1024, not '%s'", arg);
		o->filters.buffer_mb = v;
		break;
	case OPT_ALL:
		o->host_only = false;
		str_list_free(&o->containers);
		str_list_free(&o->pods);
		str_list_free(&o->namespaces);
		str_list_free(&o->images);
		break;
	case OPT_RUNC_ROOT: o->roots.runc = arg; break;
	case OPT_DOCKER_ROOT: o->roots.docker = arg; break;
	case OPT_CONTAINERD_ROOT: o->roots.containerd = arg; break;
	case OPT_KUBELET_SECCOMP: o->roots.kubelet_seccomp = kubelet_seccomp_root(arg); break;
	case OPT_CRIO_ROOT: o->roots.crio = arg; break;
	case OPT_PODMAN_ROOT: o->roots.podman = arg; break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp watch_argp = { .options = watch_options, .parser = watch_parse, .doc = watch_doc };

int cmd_watch(int argc, char **argv)
{
	struct watch_opts o;
	struct report_sink out;
	struct pipeline_outputs po = {};
	struct sink *summary;
	int rc;

	watch_opts_init(&o);
	if ((rc = cli_parse(&watch_argp, argc, argv, 0, &o)) >= 0)
		return rc;
	if (!(summary = summary_sink_new(&o)))
		return EXIT_FAIL;
	report_sink_init(&out, o.json);
	po.sinks[po.n_sinks++] = &out.base;
	po.sinks[po.n_sinks++] = summary; /* last: it reads what the others wrote */
	rc = pipeline_run(&o, &po);
	report_sink_free(&out);
	summary_sink_free(summary);
	return rc;
}

int watch_refuse_terminal_options(const struct watch_opts *o, const char *command, const char *writes)
{
	static const struct {
		unsigned bit;
		const char *name;
	} opts[] = { { WATCH_GIVEN_JSON, "--json" }, { WATCH_GIVEN_COLOR, "--color" }, { WATCH_GIVEN_INSTALLS, "--installs" } };

	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (o->terminal_given & opts[i].bit) {
			fprintf(stderr, "sclens %s: %s does not apply: %s %s, not a report on the terminal\n", command,
				opts[i].name, command, writes);
			return EXIT_USAGE;
		}
	return 0;
}
