#!/usr/bin/env bats
# sclens log: a real daemon's log (and its rotation, gzip) read back,
# grouped by container and call, selected by time and container.
load helpers

setup() {
	need_root
	command -v runc >/dev/null || skip "runc is not installed"
	[ -x "$ROOT/build/tests/rootfs/bin/busybox" ] || skip "no busybox rootfs (busybox-static missing)"
	DD=$ROOT/../shared/profiles/docker-default.json
	[ -r "$DD" ] || skip "../shared/profiles is missing"
	CONTAINERS=()
	DPORT=$((19800 + $$ % 100))
}

teardown() {
	[ -n "${DAEMON_PID:-}" ] && kill -INT "$DAEMON_PID" 2>/dev/null || true
	teardown_containers
}

# date -s to the current time: the clock never moves, even if allowed
DATE_NOW='date -s "$(date "+%Y-%m-%d %H:%M:%S")"; sleep 0.3'

@test "sclens log: a daemon's log and its gzip rotation grouped by container and call, with the fix; --container, --since, --json; bad lines counted" {
	log=$BATS_TEST_TMPDIR/denials.json
	"$SCLENS" daemon --metrics-addr "127.0.0.1:$DPORT" --log-file "$log" --docker-default "$DD" \
		2>"$BATS_TEST_TMPDIR/d.err" &
	DAEMON_PID=$!
	for _ in $(seq 100); do grep -q watching "$BATS_TEST_TMPDIR/d.err" && break; sleep 0.1; done
	"$SCLENS" profile convert -f "$DD" >"$BATS_TEST_TMPDIR/dd.json"
	a=sclens-log-a-$$
	b=sclens-log-b-$$
	CONTAINERS+=("$a" "$b")
	make_bundle "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/dd.json" "$DOCKER_DEFAULT_CAPS" sh -c "$DATE_NOW; $DATE_NOW"
	make_bundle "$BATS_TEST_TMPDIR/b" "$BATS_TEST_TMPDIR/dd.json" "$DOCKER_DEFAULT_CAPS" sh -c "$DATE_NOW"
	run_container "$BATS_TEST_TMPDIR/a" "$a" >/dev/null 2>&1 || true
	run_container "$BATS_TEST_TMPDIR/b" "$b" >/dev/null 2>&1 || true
	sleep 1.2
	kill -INT "$DAEMON_PID"
	wait "$DAEMON_PID"
	DAEMON_PID=
	run "$SCLENS" log "$log"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"$a (runc) on "*": clock_settime [x86_64] errno EPERM x 2"* || "$output" == *"$a (runc) on "*": clock_settime [aarch64] errno EPERM x 2"* ]]
	[[ "$output" == *"$b (runc) on "*"x 1,"* ]]
	[[ "$output" == *"fix: "*"--cap-add SYS_TIME"* ]]
	# a rotation (gzip) and a line that is not the daemon's: both read, the bad one counted
	gzip -c "$log" >"$log.1.gz"
	echo 'not json {' >>"$log"
	run "$SCLENS" log --json --container "$a" "$log.1.gz" "$log"
	echo "$output"
	[ "$status" -eq 0 ]
	echo "$output" | grep '^{"type":"group"' | jq -se --arg a "$a" 'length == 1 and .[0].where == $a and .[0].count == 4 and .[0].lines == 4 and .[0].syscall == "clock_settime" and (.[0].fix | contains("--cap-add SYS_TIME"))'
	echo "$output" | grep '^{"type":"log_summary"' | jq -e '.files == 2 and .lines_skipped == 1 and .denials == 4'
	[[ "$output" == *"1 lines were not the daemon's JSON lines: skipped"* ]]
	# time: nothing from the future, everything since an hour ago
	run "$SCLENS" log --json --since "$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M)" "$log"
	echo "$output" | grep '^{"type":"log_summary"' | jq -e '.denials == 0'
	run "$SCLENS" log --json --since 1h --container "$b" "$log"
	echo "$output" | grep '^{"type":"log_summary"' | jq -e '.denials == 1'
}

@test "sclens log: a missing file is an error that keeps the others; bad times are usage errors" {
	printf '{"type":"denial","time":"2026-12-07T00:00:00Z","node":"n1","syscall":"mount","arch":"x86_64","action":"errno","errno":1,"errno_name":"EPERM","cgroup":"/x","container":{"id":"c1","name":"web\\u001b[31m","runtime":"docker"}}\n' >"$BATS_TEST_TMPDIR/l.json"
	run "$SCLENS" log "$BATS_TEST_TMPDIR/l.json" /nonexistent/denials.json
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot read /nonexistent/denials.json"* ]]
	[[ "$output" == *'web\x1b[31m (docker) on n1: mount [x86_64] errno EPERM x 1'* ]]
	run "$SCLENS" log --since yesterday "$BATS_TEST_TMPDIR/l.json"
	[ "$status" -eq 2 ]
	[[ "$output" == *"give an RFC 3339 UTC time"* ]]
}
