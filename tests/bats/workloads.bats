#!/usr/bin/env bats
# Tuning proven on real software (issue 26): servers from Debian's own
# packages, in real Docker, recorded under their own load from the
# container's first instruction, their profile generated, then run again
# under it: they start, the same work succeeds, and no denial is seen that
# the recorded run did not also get.
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
	"$DOCKER" rm -f wl-redis wl-redis-2 wl-nginx wl-nginx-2 wl-probe >/dev/null 2>&1 || true
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
	rec=$BATS_TEST_TMPDIR/redis.rec.json
	"$SCLENS" record --container wl-redis -o "$rec" >/dev/null 2>"$BATS_TEST_TMPDIR/rec.err" &
	REC_PID=$!
	wait_until 20 grep -q watching "$BATS_TEST_TMPDIR/rec.err"
	"$DOCKER" run -d --name wl-redis sclens-redis "${REDIS[@]}" >/dev/null
	redis_load wl-redis "$BATS_TEST_TMPDIR/bench-1.txt"
	"$DOCKER" stop -t 5 wl-redis >/dev/null
	kill -INT "$REC_PID"
	wait "$REC_PID"
	REC_PID=
	jq -e '.recorded | length == 1 and .[0].from_start and .[0].container.name == "wl-redis"' "$rec"
	# Docker's default answers clone3 with ENOSYS so that glibc falls back
	# to clone: the recording has it, and the profile keeps that answer
	rec_denial_kinds "$rec" >&3
	"$SCLENS" profile generate "$rec" >"$BATS_TEST_TMPDIR/redis.json"
	if rec_denial_kinds "$rec" | grep -q '^clone3 errno 38$'; then
		jq -e '[.syscalls[] | select(.names == ["clone3"] and .action == "SCMP_ACT_ERRNO" and .errnoRet == 38)] | length == 1' "$BATS_TEST_TMPDIR/redis.json"
	fi
	allowed=$(jq '[.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names[]] | unique | length' "$BATS_TEST_TMPDIR/redis.json")
	docker_default=$("$SCLENS" profile show docker-20.10 | jq '[.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names[]] | unique | length')
	echo "redis: $allowed calls allowed, against $docker_default in Docker 20.10's default" >&3
	[ "$allowed" -lt "$docker_default" ]
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
	# no denial the recorded run did not also get (same call, action, errno)
	denials '"\(.syscall) \(.action) \(.errno // "")"' | tr -d '"' | sort -u >"$BATS_TEST_TMPDIR/new.txt"
	rec_denial_kinds "$rec" >"$BATS_TEST_TMPDIR/old.txt"
	comm -23 "$BATS_TEST_TMPDIR/new.txt" "$BATS_TEST_TMPDIR/old.txt" >"$BATS_TEST_TMPDIR/extra.txt"
	cat "$BATS_TEST_TMPDIR/extra.txt" >&3
	[ ! -s "$BATS_TEST_TMPDIR/extra.txt" ]
}

# nginx_load NAME OUT: static files, a 404, a reload, from inside the
# container (the engine has no network here: --bridge=none)
nginx_load() {
	wait_until 20 "$DOCKER" exec "$1" curl -sf http://127.0.0.1/ || return 1
	{
		"$DOCKER" exec "$1" curl -s -o /dev/null -w '%{http_code}\n' http://127.0.0.1/index.nginx-debian.html
		"$DOCKER" exec "$1" curl -s -o /dev/null -w '%{http_code}\n' http://127.0.0.1/no-such-page
		"$DOCKER" exec "$1" nginx -s reload && sleep 1
		for _ in 1 2 3 4 5; do "$DOCKER" exec "$1" curl -s -o /dev/null -w '%{http_code}\n' http://127.0.0.1/; done
	} >"$2"
}

@test "nginx: recorded serving static files, a 404 and a reload, its generated profile runs it again with the same answers and no new denial" {
	workload_image nginx nginx-light curl || skip "cannot make the nginx image from Debian's packages: $(tail -1 "$WORKLOAD_CACHE/nginx.log" 2>/dev/null)"
	rec=$BATS_TEST_TMPDIR/nginx.rec.json
	"$SCLENS" record --container wl-nginx -o "$rec" >/dev/null 2>"$BATS_TEST_TMPDIR/rec.err" &
	REC_PID=$!
	wait_until 20 grep -q watching "$BATS_TEST_TMPDIR/rec.err"
	"$DOCKER" run -d --name wl-nginx sclens-nginx nginx -g 'daemon off;' >/dev/null
	nginx_load wl-nginx "$BATS_TEST_TMPDIR/answers-1.txt"
	"$DOCKER" stop -t 5 wl-nginx >/dev/null
	kill -INT "$REC_PID"
	wait "$REC_PID"
	REC_PID=
	cat "$BATS_TEST_TMPDIR/answers-1.txt" | tr '\n' ' ' >&3
	[ "$(tr '\n' ' ' <"$BATS_TEST_TMPDIR/answers-1.txt")" = "200 404 200 200 200 200 200 " ]
	"$SCLENS" profile generate "$rec" >"$BATS_TEST_TMPDIR/nginx.json"
	allowed=$(jq '[.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names[]] | unique | length' "$BATS_TEST_TMPDIR/nginx.json")
	echo "nginx: $allowed calls allowed" >&3
	start_watch --json --container wl-nginx-2
	"$DOCKER" run -d --name wl-nginx-2 --security-opt seccomp="$BATS_TEST_TMPDIR/nginx.json" sclens-nginx nginx -g 'daemon off;' >/dev/null
	if ! nginx_load wl-nginx-2 "$BATS_TEST_TMPDIR/answers-2.txt"; then
		"$DOCKER" logs wl-nginx-2 2>&1 | tail -5 >&3
		false
	fi
	"$DOCKER" stop -t 5 wl-nginx-2 >/dev/null
	stop_watch
	cmp "$BATS_TEST_TMPDIR/answers-1.txt" "$BATS_TEST_TMPDIR/answers-2.txt"
	denials '"\(.syscall) \(.action) \(.errno // "")"' | tr -d '"' | sort -u >"$BATS_TEST_TMPDIR/new.txt"
	rec_denial_kinds "$rec" >"$BATS_TEST_TMPDIR/old.txt"
	comm -23 "$BATS_TEST_TMPDIR/new.txt" "$BATS_TEST_TMPDIR/old.txt" >"$BATS_TEST_TMPDIR/extra.txt"
	cat "$BATS_TEST_TMPDIR/extra.txt" >&3
	[ ! -s "$BATS_TEST_TMPDIR/extra.txt" ]
}

# The kubescape #918 method: rare calls made at known times while the
# server is under full load must all be in the recording, with those the
# runtime's init made before exec'ing the server
@test "nothing missed under load: a probe's rare calls during redis-benchmark are all recorded, exactly counted, and the runtime's init before exec" {
	workload_image redis redis-server redis-tools || skip "cannot make the Redis image from Debian's packages"
	[ -x "$ROOT/build/tests/calls" ] || skip "no calls helper"
	rec=$BATS_TEST_TMPDIR/probe.rec.json
	"$SCLENS" record --container wl-probe -o "$rec" >/dev/null 2>"$BATS_TEST_TMPDIR/rec.err" &
	REC_PID=$!
	wait_until 20 grep -q watching "$BATS_TEST_TMPDIR/rec.err"
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
	kill -INT "$REC_PID"
	wait "$REC_PID"
	REC_PID=
	jq -e '.lost | .calls == 0 and .arg_values == 0' "$rec"
	jq -e '.recorded | length == 1 and .[0].from_start' "$rec"
	# getpgid: the probes' 999 (Redis itself never asks for a process group)
	got=$(jq '[.recorded[0].calls[] | select(.syscall == "getpgid") | .count] | add // 0' "$rec")
	echo "getpgid counted $got times (3 probes of 333)" >&3
	[ "$got" -eq 999 ]
	# the runtime's init, before it exec'd redis-server: capabilities set,
	# then execve (a recording that starts late has neither)
	jq -e '[.recorded[0].calls[].syscall] | index("capset") and index("execve")' "$rec"
}

