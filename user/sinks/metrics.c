// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netdb.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <microhttpd.h>
#include "cgroup.h"
#include "containers.h"
#include "actions.h"
#include "clock.h"
#include "metrics.h"
#include "web_config.h"
#include "names.h"
#include "text.h"
#include "array.h"
#include "overflow.h"

/* A cgroup with counts whose directory is gone: since when */
struct gone {
	uint64_t id;
	uint64_t since_ns;
};

struct metrics {
	struct metrics_opts o;
	struct observer *obs;
	pthread_mutex_t *lock;
	struct MHD_Daemon *httpd;
	struct gone *gone;
	size_t n_gone;
	uint64_t *counted; /* cgroup ids with counts in the kernel map, sorted */
	size_t n_counted;
	uint64_t last_check_ns;
	uint64_t scrapes;
	/* open connections and when their current request began: the idle
	 * timeout alone lets a client trickling a byte at a time hold one */
	pthread_mutex_t conns_lock;
	struct conn_slot *conns;
	uint64_t requests_cut;
};

/* One open connection: our own duplicate of its socket, so that
 * shutdown() from the sweep can never hit a number reused meanwhile */
struct conn_slot {
	struct conn_slot *next;
	int fd;
	uint64_t since_ns;
};

int metrics_parse_addr(const char *addr, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[256];
	const char *colon;
	long port;
	char *end;

	memset(ss, 0, sizeof(*ss));
	if (addr[0] == '[') { /* [::1]:9464 */
		const char *close = strchr(addr, ']');
		if (!close || close[1] != ':' || (size_t)(close - addr - 1) >= sizeof(host))
			return -EINVAL;
		memcpy(host, addr + 1, close - addr - 1);
		host[close - addr - 1] = 0;
		colon = close + 1;
	} else {
		colon = strrchr(addr, ':');
		if (!colon || (size_t)(colon - addr) >= sizeof(host))
			return -EINVAL;
		memcpy(host, addr, colon - addr);
		host[colon - addr] = 0;
	}
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (errno || *end || end == colon + 1 || port < 1 || port > 65535)
		return -EINVAL;
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	if (inet_pton(AF_INET, host[0] ? host : "0.0.0.0", &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons(port);
		*len = sizeof(*in4);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		*len = sizeof(*in6);
		return 0;
	}
	/* a host name ("localhost", the node's name): its first address */
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res = NULL;
	if (getaddrinfo(host, NULL, &hints, &res) || !res)
		return -EINVAL;
	if (res->ai_addrlen > sizeof(*ss)) {
		freeaddrinfo(res);
		return -EINVAL;
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	if (ss->ss_family == AF_INET)
		in4->sin_port = htons(port);
	else if (ss->ss_family == AF_INET6)
		in6->sin6_port = htons(port);
	else
		return -EINVAL;
	return 0;
}

/* "http://ADDR:PORT" of what is bound, for people */
static void bound_url(const struct sockaddr_storage *ss, bool tls, char *out, size_t n)
{
	const char *scheme = tls ? "https" : "http";
	char ip[INET6_ADDRSTRLEN] = "?";

	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;
		inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof(ip));
		snprintf(out, n, "%s://[%s]:%u", scheme, ip, ntohs(in6->sin6_port));
	} else {
		const struct sockaddr_in *in4 = (const struct sockaddr_in *)ss;
		inet_ntop(AF_INET, &in4->sin_addr, ip, sizeof(ip));
		snprintf(out, n, "%s://%s:%u", scheme, ip, ntohs(in4->sin_port));
	}
}

/* A label value: backslash, double quote and newline escaped (the format's
 * rule); other control bytes from processes' or runtimes' strings too; a
 * byte that is not part of valid UTF-8 becomes U+FFFD, since one invalid
 * label makes Prometheus reject the whole page (a tenant names its own
 * cgroups). */
static void label(struct sbuf *b, const char *name, const char *v, bool comma)
{
	const unsigned char *s = (const unsigned char *)(v ? v : ""), *end = s + strlen((const char *)s);

	sb_printf(b, "%s%s=\"", comma ? "," : "", name);
	for (const unsigned char *p = s; *p; p++) {
		size_t n;

		if (*p >= 0x80) {
			if ((n = utf8_len(p, end - p))) {
				for (size_t i = 0; i < n; i++)
					sb_putc(b, p[i]);
				p += n - 1;
			} else {
				sb_puts(b, "\xef\xbf\xbd");
			}
		} else if (*p == '\\' || *p == '"')
			sb_printf(b, "\\%c", *p);
		else if (*p == '\n')
			sb_puts(b, "\\n");
		else if (*p < 0x20 || *p == 0x7f)
			sb_printf(b, "\\\\x%02x", *p);
		else
			sb_putc(b, *p);
	}
	sb_putc(b, '"');
}

struct series {
	char *labels;
	uint64_t n;
};

struct collect {
	struct series *v;
	size_t n, cap;
};

/* One kernel count, as the label set users query by. Several kernel keys
 * can share one (host processes in many cgroups): summed after sorting. */
struct raw_counts {
	struct {
		struct sclens_count_key k;
		uint64_t n;
	} *v;
	size_t n, cap;
};

static int copy_count(const struct sclens_count_key *k, uint64_t n, void *arg)
{
	struct raw_counts *r = arg;

	if (ARRAY_GROW(r->v, r->cap, r->n, 256))
		return -ENOMEM;
	r->v[r->n].k = *k;
	r->v[r->n++].n = n;
	return 0;
}

static int add_count(const struct sclens_count_key *k, uint64_t n, void *arg)
{
	struct collect *c = arg;
	const char *path = cgroup_path_of_id(k->cgroup_id);
	const struct container *ct = container_lookup(k->cgroup_id, path, NULL);
	struct sbuf b;
	char err[16] = "";

	sb_init(&b);
	label(&b, "node", node_name(), false);
	label(&b, "runtime", ct->runtime ? container_engine(ct) : "", true);
	label(&b, "container", ct->runtime ? (ct->name ? ct->name : (ct->container_name ? ct->container_name : "")) : "",
	      true);
	label(&b, "container_id", ct->runtime ? ct->id : "", true);
	label(&b, "image", ct->image, true);
	label(&b, "pod", ct->pod, true);
	label(&b, "namespace", ct->namespace, true);
	label(&b, "syscall", count_syscall_name(k->arch, k->nr), true);
	label(&b, "arch", arch_name(k->arch, k->nr), true);
	label(&b, "action", action_name(k->action), true);
	if (k->action == SCLENS_ACT_ERRNO || k->action == SCLENS_ACT_USER_NOTIF || k->action == SCLENS_ACT_TRACE)
		snprintf(err, sizeof(err), "%s", errno_name(k->err) ? errno_name(k->err) : "");
	if (!err[0] && (k->action == SCLENS_ACT_ERRNO || k->action == SCLENS_ACT_USER_NOTIF))
		snprintf(err, sizeof(err), "%d", k->err);
	label(&b, "errno", err, true);
	if (b.oom) {
		sb_free(&b);
		return -ENOMEM;
	}
	if (ARRAY_GROW(c->v, c->cap, c->n, 64)) {
		sb_free(&b);
		return -ENOMEM;
	}
	c->v[c->n].labels = b.s;
	c->v[c->n++].n = n;
	return 0;
}

static int cmp_series(const void *a, const void *b)
{
	return strcmp(((const struct series *)a)->labels, ((const struct series *)b)->labels);
}

static void family(struct sbuf *b, const char *name, const char *type, const char *help)
{
	sb_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void counter(struct sbuf *b, const char *name, const char *help, uint64_t v)
{
	family(b, name, "counter", help);
	sb_printf(b, "%s %llu\n", name, (unsigned long long)v);
}

static void gauge(struct sbuf *b, const char *name, const char *help, double v)
{
	family(b, name, "gauge", help);
	sb_printf(b, "%s %.17g\n", name, v);
}

/* The standard process metrics (as the Prometheus client libraries
 * export them), from /proc/self */
static void process_metrics(struct sbuf *b)
{
	char buf[2048], *p;
	FILE *f = fopen("/proc/self/stat", "re");
	long tck = sysconf(_SC_CLK_TCK), page = sysconf(_SC_PAGESIZE);
	unsigned long long utime = 0, stime = 0, start = 0, vsize = 0, rss = 0;

	if (f) {
		size_t n = fread(buf, 1, sizeof(buf) - 1, f);
		buf[n] = 0;
		fclose(f);
		p = strrchr(buf, ')');
		/* fields after the command: state is 3; utime 14, stime 15,
		 * starttime 22, vsize 23, rss 24 */
		if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %*d %*d %*d %*d %*d %*d "
				       "%llu %llu %llu", &utime, &stime, &start, &vsize, &rss) != 5)
			utime = stime = start = vsize = rss = 0;
	}
	double boot = 0;
	f = fopen("/proc/stat", "re");
	if (f) {
		char line[256];
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "btime %lf", &boot) == 1)
				break;
		fclose(f);
	}
	int fds = 0;
	DIR *d = opendir("/proc/self/fd");
	if (d) {
		struct dirent *de;
		while ((de = readdir(d)))
			if (de->d_name[0] != '.')
				fds++;
		closedir(d);
	}
	family(b, "process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.");
	sb_printf(b, "process_cpu_seconds_total %.2f\n", (double)(utime + stime) / tck);
	gauge(b, "process_resident_memory_bytes", "Resident memory size in bytes.", (double)rss * page);
	gauge(b, "process_virtual_memory_bytes", "Virtual memory size in bytes.", (double)vsize);
	gauge(b, "process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
	      boot + (double)start / tck);
	gauge(b, "process_open_fds", "Number of open file descriptors.", fds);
	long maxfd = sysconf(_SC_OPEN_MAX);
	gauge(b, "process_max_fds", "Maximum number of open file descriptors.", maxfd);
}

char *metrics_render(struct metrics *m, size_t *len)
{
	struct observer_counts c = {};
	struct collect col = {};
	struct sbuf b;
	struct utsname u;

	sb_init(&b);
	/* the kernel's maps read without the pipeline's lock (a walk of
	 * 65,536 keys must not stall events); only the labels, from the
	 * container caches, under it */
	struct raw_counts raw = {};
	observer_counts(m->obs, &c);
	observer_denial_counts(m->obs, copy_count, &raw);
	pthread_mutex_lock(m->lock);
	for (size_t i = 0; i < raw.n && !add_count(&raw.v[i].k, raw.v[i].n, &col); i++)
		;
	size_t containers = containers_count();
	pthread_mutex_unlock(m->lock);
	free(raw.v);

	if (col.n)
		qsort(col.v, col.n, sizeof(*col.v), cmp_series);
	family(&b, "sclens_denials_total", "counter",
	       "Seccomp denials, counted in the kernel per container and call: exact whatever the event stream lost.");
	for (size_t i = 0; i < col.n; i++) {
		uint64_t n = col.v[i].n;
		while (i + 1 < col.n && !strcmp(col.v[i].labels, col.v[i + 1].labels)) {
			free(col.v[i].labels);
			n += col.v[++i].n;
		}
		sb_printf(&b, "sclens_denials_total{%s} %llu\n", col.v[i].labels, (unsigned long long)n);
		free(col.v[i].labels);
	}
	free(col.v);
	counter(&b, "sclens_denials_seen_total", "Denials the kernel side saw, before any selection.", c.denials);
	counter(&b, "sclens_events_lost_total",
		"Events the ring buffer had no room for (their counts in sclens_denials_total are exact).", c.lost);
	counter(&b, "sclens_events_suppressed_total",
		"Denial events not sent: their cgroup was over its event rate (--rate-limit); counted in "
		"sclens_denials_total.", c.suppressed);
	counter(&b, "sclens_denials_uncounted_total",
		"Denials not counted per call: the kernel's count map was full.", c.count_overflow);
	pthread_mutex_lock(&m->conns_lock);
	uint64_t cut = m->requests_cut;
	pthread_mutex_unlock(&m->conns_lock);
	counter(&b, "sclens_metrics_requests_cut_total",
		"Connections to this endpoint closed because a request took longer than the deadline.", cut);
	family(&b, "sclens_cache_overflows_total", "counter",
	       "Times a bounded cache was full: recorder_kinds and log_keys lose detail (only counted), the others "
	       "forget and work again.");
	for (enum overflow_cache i = 0; i < OVERFLOW_CACHES; i++) {
		sb_puts(&b, "sclens_cache_overflows_total{");
		label(&b, "cache", overflow_name(i), false);
		sb_printf(&b, "} %llu\n", (unsigned long long)overflow_get(i));
	}
	counter(&b, "sclens_filter_installs_total", "Seccomp filters installed on the host.", c.filter_installs);
	counter(&b, "sclens_filters_captured_total", "Filter programs the kernel side copied for replay.",
		c.filters_captured);
	gauge(&b, "sclens_containers", "Containers (and host cgroups) sclens tracks now.", containers);
	gauge(&b, "sclens_cgroups_gone", "Cgroups gone whose series are kept for the retention.", m->n_gone);
	family(&b, "sclens_build_info", "gauge", "sclens's version, the kernel, and the capture method in use.");
	uname(&u);
	sb_puts(&b, "sclens_build_info{");
	label(&b, "version", m->o.version, false);
	label(&b, "kernel", u.release, true);
	label(&b, "method", c.method, true);
	sb_puts(&b, "} 1\n");
	process_metrics(&b);
	m->scrapes++;
	if (b.oom) {
		sb_free(&b);
		return NULL;
	}
	*len = b.len;
	return b.s;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
				  const char *version, const char *upload, size_t *upload_len, void **state)
{
	struct metrics *m = cls;
	struct MHD_Response *resp;
	enum MHD_Result ret;
	unsigned int status = MHD_HTTP_OK;
	char *body;
	size_t len = 0;

	(void)version;
	(void)upload;
	(void)upload_len;
	(void)state;
	if (m->o.web && m->o.web->n_users) {
		char *pass = NULL, *user = MHD_basic_auth_get_username_password(conn, &pass);
		bool ok = web_config_check(m->o.web, user, pass);
		MHD_free(user);
		MHD_free(pass);
		if (!ok) {
			static const char msg[] = "unauthorized\n";
			resp = MHD_create_response_from_buffer(sizeof(msg) - 1, (void *)msg, MHD_RESPMEM_PERSISTENT);
			if (!resp)
				return MHD_NO;
			ret = MHD_queue_basic_auth_fail_response(conn, "sclens", resp);
			MHD_destroy_response(resp);
			return ret;
		}
	}
	if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
		static const char msg[] = "only GET\n";
		resp = MHD_create_response_from_buffer(sizeof(msg) - 1, (void *)msg, MHD_RESPMEM_PERSISTENT);
		status = MHD_HTTP_METHOD_NOT_ALLOWED;
	} else if (!strcmp(url, "/metrics")) {
		body = metrics_render(m, &len);
		if (!body) {
			static const char msg[] = "out of memory\n";
			resp = MHD_create_response_from_buffer(sizeof(msg) - 1, (void *)msg, MHD_RESPMEM_PERSISTENT);
			status = MHD_HTTP_INTERNAL_SERVER_ERROR;
		} else {
			resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
			if (resp)
				MHD_add_response_header(resp, "Content-Type", "text/plain; version=0.0.4; charset=utf-8");
		}
	} else if (!strcmp(url, "/")) {
		static const char msg[] = "sclens: metrics at /metrics\n";
		resp = MHD_create_response_from_buffer(sizeof(msg) - 1, (void *)msg, MHD_RESPMEM_PERSISTENT);
	} else {
		static const char msg[] = "not found: metrics are at /metrics\n";
		resp = MHD_create_response_from_buffer(sizeof(msg) - 1, (void *)msg, MHD_RESPMEM_PERSISTENT);
		status = MHD_HTTP_NOT_FOUND;
	}
	if (!resp)
		return MHD_NO;
	ret = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

#define METRICS_CONNECTIONS 64
#define METRICS_CONNECTIONS_PER_ADDRESS 4
#define METRICS_IDLE_TIMEOUT_S 10
#define METRICS_REQUEST_DEADLINE_S 15

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	struct metrics *m = cls;
	struct conn_slot *slot = *socket_context;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		slot = calloc(1, sizeof(*slot));
		if (!slot)
			return; /* served, only without a deadline */
		slot->fd = ci ? fcntl(ci->connect_fd, F_DUPFD_CLOEXEC, 0) : -1;
		slot->since_ns = event_clock_now_ns();
		pthread_mutex_lock(&m->conns_lock);
		slot->next = m->conns;
		m->conns = slot;
		pthread_mutex_unlock(&m->conns_lock);
		*socket_context = slot;
		return;
	}
	if (!slot)
		return;
	pthread_mutex_lock(&m->conns_lock);
	for (struct conn_slot **p = &m->conns; *p; p = &(*p)->next) {
		if (*p == slot) {
			*p = slot->next;
			break;
		}
	}
	pthread_mutex_unlock(&m->conns_lock);
	if (slot->fd >= 0)
		close(slot->fd);
	free(slot);
	*socket_context = NULL;
}

/* A request answered: the connection's next request has its own deadline */
static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls, enum MHD_RequestTerminationCode why)
{
	struct metrics *m = cls;
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	(void)req_cls;
	(void)why;
	if (!ci || !ci->socket_context)
		return;
	pthread_mutex_lock(&m->conns_lock);
	((struct conn_slot *)ci->socket_context)->since_ns = event_clock_now_ns();
	pthread_mutex_unlock(&m->conns_lock);
}

/* Shut down connections whose request is over the deadline: libmicrohttpd
 * then sees the socket closed and frees the connection itself */
static void cut_slow_requests(struct metrics *m, uint64_t now_ns)
{
	pthread_mutex_lock(&m->conns_lock);
	for (struct conn_slot *c = m->conns; c; c = c->next) {
		/* since_ns may be later than now_ns: set by the server's thread
		 * after the tick read the clock */
		if (c->fd < 0 || c->since_ns + METRICS_REQUEST_DEADLINE_S * 1000000000ULL > now_ns)
			continue;
		shutdown(c->fd, SHUT_RDWR);
		close(c->fd);
		c->fd = -1;
		m->requests_cut++;
	}
	pthread_mutex_unlock(&m->conns_lock);
}

int metrics_start(struct metrics **out, const struct metrics_opts *o, struct observer *obs, pthread_mutex_t *lock)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	struct metrics *m;
	int err = metrics_parse_addr(o->addr, &ss, &sl);

	if (err)
		return err;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->o = *o;
	m->obs = obs;
	m->lock = lock;
	pthread_mutex_init(&m->conns_lock, NULL);
	/* bind ourselves first: libmicrohttpd's own failure says nothing of why */
	int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;
	if (fd < 0) {
		err = -errno;
		free(m);
		return err;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) || listen(fd, 64)) {
		err = -errno;
		close(fd);
		free(m);
		return err;
	}
	bool tls = o->web && o->web->cert_pem;
	if (tls && MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
		close(fd);
		free(m);
		return -EPROTONOSUPPORT;
	}
	/* a client trickling header bytes resets the idle timeout with each
	 * byte: each address may hold only a few connections, so one cannot
	 * lock out scrapes, and each request has a deadline (metrics_tick) */
	struct MHD_OptionItem opts[] = {
		{ MHD_OPTION_LISTEN_SOCKET, fd, NULL },
		{ MHD_OPTION_CONNECTION_LIMIT, METRICS_CONNECTIONS, NULL },
		{ MHD_OPTION_PER_IP_CONNECTION_LIMIT, METRICS_CONNECTIONS_PER_ADDRESS, NULL },
		{ MHD_OPTION_CONNECTION_TIMEOUT, METRICS_IDLE_TIMEOUT_S, NULL },
		{ MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)on_connection, m },
		{ MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, m },
		{ tls ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, 0, tls ? o->web->key_pem : NULL },
		{ tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, tls ? o->web->cert_pem : NULL },
		{ MHD_OPTION_END, 0, NULL },
	};
	m->httpd = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | (ss.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0) |
					    (tls ? MHD_USE_TLS : 0),
				    0, NULL, NULL, on_request, m, MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
	if (!m->httpd) {
		close(fd);
		free(m);
		return -EIO;
	}
	*out = m;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int cmp_gone(const void *a, const void *b)
{
	return cmp_u64(&((const struct gone *)a)->id, &((const struct gone *)b)->id);
}

struct ids {
	uint64_t *v;
	size_t n, cap;
};

static int add_id(const struct sclens_count_key *k, uint64_t n, void *arg)
{
	struct ids *ids = arg;

	(void)n;
	if (ids->n && ids->v[ids->n - 1] == k->cgroup_id)
		return 0;
	if (ARRAY_GROW(ids->v, ids->cap, ids->n, 64))
		return -ENOMEM;
	ids->v[ids->n++] = k->cgroup_id;
	return 0;
}

static struct gone *find_gone(struct metrics *m, uint64_t id)
{
	struct gone key = { .id = id };

	return m->n_gone ? bsearch(&key, m->gone, m->n_gone, sizeof(*m->gone), cmp_gone) : NULL;
}

void metrics_tick(struct metrics *m, uint64_t now_ns)
{
	struct ids ids = {};
	struct gone *next = NULL;
	size_t n_next = 0;

	if (!m)
		return;
	cut_slow_requests(m, now_ns);
	if (m->last_check_ns && now_ns - m->last_check_ns < 5000000000ULL)
		return;
	m->last_check_ns = now_ns;
	if (observer_denial_counts(m->obs, add_id, &ids) < 0 && !ids.n)
		return;
	if (ids.n)
		qsort(ids.v, ids.n, sizeof(*ids.v), cmp_u64);
	next = calloc(ids.n ? ids.n : 1, sizeof(*next));
	if (!next) {
		free(ids.v);
		return;
	}
	for (size_t i = 0; i < ids.n; i++) {
		if (i && ids.v[i] == ids.v[i - 1])
			continue;
		uint64_t id = ids.v[i];
		if (id <= 1 || cgroup_alive(id))
			continue;
		struct gone *g = find_gone(m, id);
		uint64_t since = g ? g->since_ns : now_ns;
		if (now_ns - since >= m->o.retention_s * 1000000000ULL) {
			observer_denial_counts_forget(m->obs, id); /* its series end */
			continue;
		}
		next[n_next++] = (struct gone){ .id = id, .since_ns = since };
	}
	free(ids.v);
	free(m->gone);
	m->gone = next;
	m->n_gone = n_next;
}

void metrics_refresh(struct metrics *m)
{
	struct ids ids = {};

	if (!m)
		return;
	if (observer_denial_counts(m->obs, add_id, &ids) < 0) {
		free(ids.v);
		return;
	}
	if (ids.n)
		qsort(ids.v, ids.n, sizeof(*ids.v), cmp_u64);
	free(m->counted);
	m->counted = ids.v;
	m->n_counted = ids.n;
}

bool metrics_keeps(struct metrics *m, uint64_t cgroup_id)
{
	/* its series are served: keep its labels */
	return m && m->n_counted && bsearch(&cgroup_id, m->counted, m->n_counted, sizeof(uint64_t), cmp_u64);
}

void metrics_stop(struct metrics *m)
{
	if (!m)
		return;
	if (m->httpd)
		MHD_stop_daemon(m->httpd);
	pthread_mutex_destroy(&m->conns_lock);
	free(m->gone);
	free(m->counted);
	free(m);
}

/* The metrics as the pipeline's sink: served from started() until
 * stopping(); records are not looked at (the counts are the kernel's) */
struct metrics_sink {
	struct sink base;
	struct metrics_opts o;
	pthread_mutex_t *lock;
	struct metrics *m;
};

static int msink_started(struct sink *s, struct observer *obs)
{
	struct metrics_sink *ms = (struct metrics_sink *)s;
	int err;

	if (!strcmp(ms->o.addr, "none"))
		return 0;
	err = metrics_start(&ms->m, &ms->o, obs, ms->lock);
	if (err) {
		fprintf(stderr, "sclens: cannot serve metrics at %s: %s%s\n", ms->o.addr, strerror(-err),
			err == -EADDRINUSE ? " (another process listens there: choose another --metrics-addr)"
			: err == -EIO && ms->o.web && ms->o.web->cert_pem
				? " (are --web.config.file's cert_file and key_file a matching PEM pair?)"
			: err == -EPROTONOSUPPORT ? " (this libmicrohttpd has no TLS)" : "");
		return err;
	}
	struct sockaddr_storage ss;
	socklen_t sl;
	char url[128];
	metrics_parse_addr(ms->o.addr, &ss, &sl);
	bound_url(&ss, ms->o.web && ms->o.web->cert_pem, url, sizeof(url));
	fprintf(stderr, "sclens: metrics at %s/metrics%s\n", url,
		(ss.ss_family == AF_INET && ((struct sockaddr_in *)&ss)->sin_addr.s_addr == htonl(INADDR_ANY)) ||
				(ss.ss_family == AF_INET6 && IN6_IS_ADDR_UNSPECIFIED(&((struct sockaddr_in6 *)&ss)->sin6_addr))
			? " (every address of this host)" : "");
	return 0;
}

static void msink_tick(struct sink *s, struct observer *obs, uint64_t now_ns, bool final)
{
	metrics_tick(((struct metrics_sink *)s)->m, now_ns);
}

static void msink_stopping(struct sink *s, struct observer *obs, const char *error)
{
	struct metrics_sink *ms = (struct metrics_sink *)s;

	/* no scrape may read the observer once it closes */
	metrics_stop(ms->m);
	ms->m = NULL;
}

static void msink_pruning(struct sink *s)
{
	metrics_refresh(((struct metrics_sink *)s)->m);
}

static bool msink_keeps(struct sink *s, uint64_t cgroup_id)
{
	return metrics_keeps(((struct metrics_sink *)s)->m, cgroup_id);
}

struct sink *metrics_sink_new(const struct metrics_opts *o, pthread_mutex_t *lock)
{
	struct metrics_sink *ms = calloc(1, sizeof(*ms));

	if (!ms)
		return NULL;
	ms->o = *o;
	ms->lock = lock;
	ms->base = (struct sink){ .name = "metrics", .started = msink_started, .tick = msink_tick,
				  .stopping = msink_stopping, .pruning = msink_pruning, .keeps = msink_keeps };
	return &ms->base;
}

void metrics_sink_free(struct sink *s)
{
	struct metrics_sink *ms = (struct metrics_sink *)s;

	if (!ms)
		return;
	metrics_stop(ms->m);
	free(ms);
}
