#!/usr/bin/env bats
# Tuning proven on real software (issue 26): servers from Debian's own
# packages (nginx, Redis, PostgreSQL) in real Docker, and nginx in Podman,
# recorded under their own load from the container's first instruction,
# their profile generated (in Docker's, OCI's and the Security Profiles
# Operator's formats, which must agree), then run again under it: they
# start, the same work succeeds with the same results, and no denial is
# seen that the recorded run did not also get.
load helpers
source "$ROOT/tests/lib/engines.sh"
source "$ROOT/tests/lib/workloads.sh"

setup_file() { engines_setup_file; }
teardown_file() { engines_teardown_file; }

setup() {
	need_root
	need_docker
	command -v mmdebstrap >/dev/null || skip "mmdebstrap is not installed"
}

teardown() {
	[ -n "${WATCH_PID:-}" ] && kill -INT "$WATCH_PID" 2>/dev/null || true
	[ -n "${REC_PID:-}" ] && kill -INT "$REC_PID" 2>/dev/null && wait "$REC_PID" 2>/dev/null || true
	"$DOCKER" rm -f wl-redis wl-redis-2 wl-nginx wl-nginx-2 wl-probe wl-pg wl-pg-2 >/dev/null 2>&1 || true
	[ "${ENGINE:-docker}" != podman ] || "${PODMAN[@]}" rm -f wl-pnginx wl-pnginx-2 >/dev/null 2>&1 || true
}

# engine ARGS...: $ENGINE's command line (docker unless the test says podman)
engine() {
	if [ "${ENGINE:-docker}" = podman ]; then
		"${PODMAN[@]}" "$@"
	else
		"$DOCKER" "$@"
	fi
}

# engine_run ARGS...: a detached container, without network in Podman
# (Docker runs here with --bridge=none already)
engine_run() {
	if [ "${ENGINE:-docker}" = podman ]; then
		"${PODMAN[@]}" "${PODMAN_RUN[@]}" -d --network none "$@" >/dev/null
	else
		"$DOCKER" run -d "$@" >/dev/null
	fi
}

exec_in() { engine exec "$@"; }

# record_start NAME: sclens record of the container NAME, before it starts
record_start() {
	REC=$BATS_TEST_TMPDIR/$1.rec.json
	"$SCLENS" record --container "$1" -o "$REC" >/dev/null 2>"$BATS_TEST_TMPDIR/rec.err" &
	REC_PID=$!
	wait_until 20 grep -q watching "$BATS_TEST_TMPDIR/rec.err"
}

record_stop() {
	kill -INT "$REC_PID"
	wait "$REC_PID"
	REC_PID=
	jq -e '.recorded | length == 1 and .[0].from_start' "$REC"
	jq -e '.lost | .calls == 0 and .arg_values == 0' "$REC"
}

# redis_load NAME OUT: what a user's Redis does, in the running container
# NAME: commands of several kinds under redis-benchmark, a snapshot (fork
# and fsync), then the AOF rewritten, and what a monitoring agent asks.
# CLIENT LIST names each client by its peer (getpeername); without it that
# call came only from the slow log, when the machine was busy enough for a
# command to take 10 ms: a recording covers the paths its load took, so the
# load takes this one on purpose
redis_load() {
	wait_until 20 sh -c "\"$DOCKER\" exec $1 redis-cli ping | grep -q PONG" || return 1
	"$DOCKER" exec "$1" redis-benchmark -q -n 3000 -P 8 -t set,get,incr,lpush,lpop,sadd,hset >"$2" || return 1
	"$DOCKER" exec "$1" redis-cli client list | grep -q 'addr=127.0.0.1' || return 1
	"$DOCKER" exec "$1" redis-cli info >/dev/null || return 1
	"$DOCKER" exec "$1" redis-cli slowlog get >/dev/null || return 1
	"$DOCKER" exec "$1" redis-cli bgsave >/dev/null || return 1
	"$DOCKER" exec "$1" redis-cli bgrewriteaof >/dev/null || return 1
	sleep 1.5
	"$DOCKER" exec "$1" redis-cli lastsave >/dev/null
}

REDIS=(redis-server --save 60 1 --appendonly yes --protected-mode no --dir /tmp)

@test "Redis: recorded under redis-benchmark with persistence on, its generated profile runs it again: it starts, every command succeeds, no new denial" {
	workload_image redis redis-server redis-tools || skip "cannot make the Redis image from Debian's packages: $(tail -1 "$WORKLOAD_CACHE/redis.log" 2>/dev/null)"
	record_start wl-redis
	"$DOCKER" run -d --name wl-redis sclens-redis "${REDIS[@]}" >/dev/null
	redis_load wl-redis "$BATS_TEST_TMPDIR/bench-1.txt"
	"$DOCKER" stop -t 5 wl-redis >/dev/null
	record_stop
	jq -e '.recorded[0].container.name == "wl-redis"' "$REC"
	# Docker's default answers clone3 with ENOSYS so that glibc falls back
	# to clone: the recording has it, and the profile keeps that answer
	rec_denial_kinds "$REC" >&3
	generate_formats "$REC" "$BATS_TEST_TMPDIR" redis
	if rec_denial_kinds "$REC" | grep -q '^clone3 errno 38$'; then
		jq -e '[.syscalls[] | select(.names == ["clone3"] and .action == "SCMP_ACT_ERRNO" and .errnoRet == 38)] | length == 1' "$BATS_TEST_TMPDIR/redis.json"
	fi
	echo "redis: $(against_default "$BATS_TEST_TMPDIR/redis.json" docker-20.10)" >&3
	# again, under the generated profile, watched
	start_watch --json --container wl-redis-2
	"$DOCKER" run -d --name wl-redis-2 --security-opt seccomp="$BATS_TEST_TMPDIR/redis.json" sclens-redis "${REDIS[@]}" >/dev/null
	if ! redis_load wl-redis-2 "$BATS_TEST_TMPDIR/bench-2.txt"; then
		"$DOCKER" logs wl-redis-2 2>&1 | tail -5 >&3
		false
	fi
	"$DOCKER" stop -t 5 wl-redis-2 >/dev/null
	stop_watch
	# every command of the load ran, as the first time
	[ "$(grep -c 'requests per second' "$BATS_TEST_TMPDIR/bench-2.txt")" -eq "$(grep -c 'requests per second' "$BATS_TEST_TMPDIR/bench-1.txt")" ]
	[ "$(grep -c 'requests per second' "$BATS_TEST_TMPDIR/bench-2.txt")" -eq 7 ]
	no_new_denials "$REC" >&3
}

# nginx_load NAME OUT: static files, a 404, a reload, from inside the
# container (the engines have no network here)
nginx_load() {
	wait_until 20 exec_in "$1" curl -sf http://127.0.0.1/ || return 1
	{
		exec_in "$1" curl -s -o /dev/null -w '%{http_code}\n' http://127.0.0.1/index.nginx-debian.html
		exec_in "$1" curl -s -o /dev/null -w '%{http_code}\n' http://127.0.0.1/no-such-page
		exec_in "$1" nginx -s reload && sleep 1
		for _ in 1 2 3 4 5; do exec_in "$1" curl -s -o /dev/null -w '%{http_code}\n' http://127.0.0.1/; done
	} >"$2"
}

NGINX=(nginx -g 'daemon off;')

# tune_nginx NAME DEFAULT: nginx in $ENGINE recorded as NAME under its
# load, its profile generated (DEFAULT: the engine's default, to report
# against), then NAME-2 under that profile: the same answers, no new denial
tune_nginx() {
	record_start "$1"
	engine_run --name "$1" sclens-nginx "${NGINX[@]}"
	nginx_load "$1" "$BATS_TEST_TMPDIR/answers-1.txt"
	engine stop -t 5 "$1" >/dev/null
	record_stop
	jq -e --arg name "$1" '.recorded[0].container.name == $name' "$REC"
	echo "nginx answered: $(tr '\n' ' ' <"$BATS_TEST_TMPDIR/answers-1.txt")" >&3
	[ "$(tr '\n' ' ' <"$BATS_TEST_TMPDIR/answers-1.txt")" = "200 404 200 200 200 200 200 " ]
	generate_formats "$REC" "$BATS_TEST_TMPDIR" "$1"
	echo "nginx in $ENGINE: $(against_default "$BATS_TEST_TMPDIR/$1.json" "$2")" >&3
	start_watch --json --container "$1-2"
	engine_run --name "$1-2" --security-opt seccomp="$BATS_TEST_TMPDIR/$1.json" sclens-nginx "${NGINX[@]}"
	if ! nginx_load "$1-2" "$BATS_TEST_TMPDIR/answers-2.txt"; then
		engine logs "$1-2" 2>&1 | tail -5 >&3
		false
	fi
	engine stop -t 5 "$1-2" >/dev/null
	stop_watch
	cmp "$BATS_TEST_TMPDIR/answers-1.txt" "$BATS_TEST_TMPDIR/answers-2.txt"
	no_new_denials "$REC" >&3
}

@test "nginx: recorded serving static files, a 404 and a reload, its generated profile runs it again with the same answers and no new denial" {
	workload_image nginx nginx-light curl || skip "cannot make the nginx image from Debian's packages: $(tail -1 "$WORKLOAD_CACHE/nginx.log" 2>/dev/null)"
	ENGINE=docker
	tune_nginx wl-nginx docker-20.10
}

@test "nginx in Podman: recorded under Podman's default, its generated profile runs it again in Podman with the same answers and no new denial" {
	command -v podman >/dev/null || skip "podman is not installed"
	ENGINE=podman
	podman_workload_image nginx nginx-light curl || skip "cannot make the nginx image from Debian's packages"
	tune_nginx wl-pnginx podman
	jq -e '.recorded[0].container.runtime == "podman"' "$REC"
}

# PostgreSQL as its official image runs it: a fresh cluster made by initdb
# at the first start, then the server, as the postgres user
PG_BIN=/usr/lib/postgresql/15/bin
PG=(sh -c "$PG_BIN/initdb -D /tmp/pgdata -U postgres --auth=trust >/dev/null && exec $PG_BIN/postgres -D /tmp/pgdata -k /tmp -c listen_addresses=127.0.0.1")

psql_in() {
	"$DOCKER" exec -u postgres "$1" psql -h /tmp -qAt -c "$2" postgres
}

# pg_load NAME OUT: pgbench's tables made, a short pgbench run over TCP
# (4 clients, 200 transactions each), then what a DBA runs: VACUUM
# ANALYZE, a checkpoint, a reload, a dump; OUT gets the results that do not
# depend on chance (transactions done and failed, rows)
pg_load() {
	wait_until 60 "$DOCKER" exec -u postgres "$1" pg_isready -q -h /tmp || return 1
	"$DOCKER" exec -u postgres "$1" pgbench -q -h /tmp -i -s 2 postgres >/dev/null 2>&1 || return 1
	{
		"$DOCKER" exec -u postgres "$1" pgbench -h 127.0.0.1 -c 4 -j 2 -t 200 postgres 2>/dev/null |
			grep -E '^number of (transactions actually processed|failed transactions)'
		psql_in "$1" 'VACUUM ANALYZE'
		psql_in "$1" 'CHECKPOINT'
		psql_in "$1" 'SELECT pg_reload_conf()'
		psql_in "$1" 'SELECT count(*) FROM pgbench_history'
		psql_in "$1" 'SELECT count(*) FROM pgbench_accounts'
		"$DOCKER" exec -u postgres "$1" pg_dump -h /tmp -t pgbench_branches postgres | grep -c '^COPY'
	} >"$2"
}

@test "PostgreSQL: recorded from initdb through pgbench, a vacuum, a checkpoint, a reload and a dump; its generated profile runs it all again with the same results and no new denial" {
	workload_image postgres postgresql-15 postgresql-client-15 || skip "cannot make the PostgreSQL image from Debian's packages: $(tail -1 "$WORKLOAD_CACHE/postgres.log" 2>/dev/null)"
	record_start wl-pg
	"$DOCKER" run -d --name wl-pg -u postgres sclens-postgres "${PG[@]}" >/dev/null
	if ! pg_load wl-pg "$BATS_TEST_TMPDIR/results-1.txt"; then
		"$DOCKER" logs wl-pg 2>&1 | tail -5 >&3
		false
	fi
	# a clean shutdown (its checkpoint) is part of the workload
	"$DOCKER" stop -t 20 wl-pg >/dev/null
	record_stop
	cat "$BATS_TEST_TMPDIR/results-1.txt" >&3
	grep -qx 'number of transactions actually processed: 800/800' "$BATS_TEST_TMPDIR/results-1.txt"
	grep -qx 'number of failed transactions: 0 (0.000%)' "$BATS_TEST_TMPDIR/results-1.txt"
	[ "$(sed -n 3,6p "$BATS_TEST_TMPDIR/results-1.txt" | tr "\n" " ")" = "t 800 200000 1 " ]
	generate_formats "$REC" "$BATS_TEST_TMPDIR" pg
	echo "postgresql: $(against_default "$BATS_TEST_TMPDIR/pg.json" docker-20.10)" >&3
	start_watch --json --container wl-pg-2
	"$DOCKER" run -d --name wl-pg-2 -u postgres --security-opt seccomp="$BATS_TEST_TMPDIR/pg.json" sclens-postgres "${PG[@]}" >/dev/null
	if ! pg_load wl-pg-2 "$BATS_TEST_TMPDIR/results-2.txt"; then
		"$DOCKER" logs wl-pg-2 2>&1 | tail -5 >&3
		false
	fi
	"$DOCKER" stop -t 20 wl-pg-2 >/dev/null
	# the server shut down cleanly under the profile too
	"$DOCKER" logs wl-pg-2 2>&1 | tail -3 | grep -q 'database system is shut down'
	stop_watch
	cmp "$BATS_TEST_TMPDIR/results-1.txt" "$BATS_TEST_TMPDIR/results-2.txt"
	no_new_denials "$REC" >&3
}

# The kubescape #918 method: rare calls made at known times while the
# server is under full load must all be in the recording, with those the
# runtime's init made before exec'ing the server
@test "nothing missed under load: a probe's rare calls during redis-benchmark are all recorded, exactly counted, and the runtime's init before exec" {
	workload_image redis redis-server redis-tools || skip "cannot make the Redis image from Debian's packages"
	[ -x "$ROOT/build/tests/calls" ] || skip "no calls helper"
	record_start wl-probe
	rec=$REC
	"$DOCKER" run -d --name wl-probe sclens-redis "${REDIS[@]}" >/dev/null
	wait_until 20 sh -c "\"$DOCKER\" exec wl-probe redis-cli ping | grep -q PONG"
	"$DOCKER" cp "$ROOT/build/tests/calls" wl-probe:/usr/local/bin/calls
	# full load on both cores, and three probes at known times during it
	"$DOCKER" exec wl-probe redis-benchmark -q -n 60000 -c 50 -P 16 -t set,get,lpush,incr >/dev/null &
	bench=$!
	for _ in 1 2 3; do
		sleep 0.5
		"$DOCKER" exec wl-probe calls 0 333
	done
	wait "$bench"
	"$DOCKER" stop -t 5 wl-probe >/dev/null
	record_stop
	# getpgid: the probes' 999 (Redis itself never asks for a process group)
	got=$(jq '[.recorded[0].calls[] | select(.syscall == "getpgid") | .count] | add // 0' "$rec")
	echo "getpgid counted $got times (3 probes of 333)" >&3
	[ "$got" -eq 999 ]
	# the runtime's init, before it exec'd redis-server: capabilities set,
	# then execve (a recording that starts late has neither)
	jq -e '[.recorded[0].calls[].syscall] | index("capset") and index("execve")' "$rec"
}

