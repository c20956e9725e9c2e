#!/usr/bin/env bats
# Real runc containers (busybox rootfs) with a seccomp section in their
# config.json, watched by sclens.
load helpers

setup() {
	need_root
	command -v runc >/dev/null || skip "runc is not installed"
	[ -x "$ROOT/build/tests/rootfs/bin/busybox" ] || skip "no busybox rootfs (busybox-static missing)"
	CONTAINERS=()
	cat >"$BATS_TEST_TMPDIR/deny-clock.json" <<'JSON'
{ "defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
  "syscalls": [ { "names": ["clock_settime", "settimeofday"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1 } ] }
JSON
}

teardown() {
	[ -n "${WATCH_PID:-}" ] && kill -INT "$WATCH_PID" 2>/dev/null || true
	teardown_containers
}

# date -s to the current time: the clock must never move, even if allowed
DATE_NOW='date -s "$(date "+%Y-%m-%d %H:%M:%S")"'

@test "date -s in a runc container: clock_settime denied with EPERM, attributed to its cgroup" {
	id=sclens-t-$$-1
	CONTAINERS+=("$id")
	make_bundle "$BATS_TEST_TMPDIR/b" "$BATS_TEST_TMPDIR/deny-clock.json" "$DOCKER_DEFAULT_CAPS" sh -c "$DATE_NOW"
	start_watch --json
	run run_container "$BATS_TEST_TMPDIR/b" "$id"
	[[ "$output" == *"Operation not permitted"* ]]
	stop_watch
	[ "$(count_denials ".comm == \"date\" and .syscall == \"clock_settime\" and .errno == 1 and .cgroup_leaf == \"$id\"")" -eq 1 ]
	# the container's own pid namespace is not the host's
	[ "$(denials "select(.comm == \"date\") | .pidns")" != "$(stat -Lc %i /proc/self/ns/pid)" ]
}

@test "two containers at once: each denial goes to its own cgroup" {
	a=sclens-t-$$-a
	b=sclens-t-$$-b
	CONTAINERS+=("$a" "$b")
	make_bundle "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/deny-clock.json" "$DOCKER_DEFAULT_CAPS" sh -c "sleep 0.5; $DATE_NOW"
	make_bundle "$BATS_TEST_TMPDIR/b" "$BATS_TEST_TMPDIR/deny-clock.json" "$DOCKER_DEFAULT_CAPS" sh -c "sleep 0.5; $DATE_NOW; $DATE_NOW"
	start_watch --json
	run_container "$BATS_TEST_TMPDIR/a" "$a" >/dev/null 2>&1 &
	pa=$!
	run_container "$BATS_TEST_TMPDIR/b" "$b" >/dev/null 2>&1 &
	pb=$!
	wait "$pa" "$pb" || true
	stop_watch
	[ "$(count_denials ".cgroup_leaf == \"$a\"")" -eq 1 ]
	[ "$(count_denials ".cgroup_leaf == \"$b\"")" -eq 2 ]
}
