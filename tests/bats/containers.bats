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
{ "defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64"],
  "syscalls": [ { "names": ["clock_settime", "settimeofday"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1 } ] }
JSON
}

teardown() {
	[ -n "${WATCH_PID:-}" ] && kill -INT "$WATCH_PID" 2>/dev/null || true
	teardown_containers
	[ -n "${LATE_CG:-}" ] && [ -d "$LATE_CG" ] && { sleep 0.2; rmdir "$LATE_CG" 2>/dev/null; } || true
}

# date -s to the current time: the clock must never move, even if allowed.
# The container then lives a moment: one gone within milliseconds of its
# denial, before sclens looks at the event, is named (and selected) by
# nothing, on purpose (its cgroup's name is its tenant's)
DATE_NOW='date -s "$(date "+%Y-%m-%d %H:%M:%S")"; sleep 0.3'

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

@test "two containers at once, with different profiles: each denial goes to its own container" {
	DD=$ROOT/../shared/profiles/docker-default.json
	[ -r "$DD" ] || skip "../shared/profiles is missing"
	a=sclens-t-$$-a
	b=sclens-t-$$-b
	CONTAINERS+=("$a" "$b")
	"$SCLENS" profile convert -f "$DD" > "$BATS_TEST_TMPDIR/dd.json"
	make_bundle "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/deny-clock.json" "$DOCKER_DEFAULT_CAPS" sh -c "sleep 0.5; $DATE_NOW"
	make_bundle "$BATS_TEST_TMPDIR/b" "$BATS_TEST_TMPDIR/dd.json" "$DOCKER_DEFAULT_CAPS" sh -c "sleep 0.5; $DATE_NOW; $DATE_NOW"
	start_watch --json --docker-default "$DD"
	run_container "$BATS_TEST_TMPDIR/a" "$a" >/dev/null 2>&1 &
	pa=$!
	run_container "$BATS_TEST_TMPDIR/b" "$b" >/dev/null 2>&1 &
	pb=$!
	wait "$pa" "$pb" || true
	stop_watch
	[ "$(count_denials ".container.id == \"$a\"")" -eq 1 ]
	[ "$(count_denials ".container.id == \"$b\"")" -eq 2 ]
	# each explained against its own profile: a's bundle, b's recognised as Docker's default
	denials "select(.container.id == \"$a\")" | jq -e '.explanation.profile | endswith("/a/config.json")'
	denials "select(.container.id == \"$b\")" | head -1 | jq -e '.explanation.profile | endswith("docker-default.json")'
	denials "select(.container.id == \"$b\")" | head -1 | jq -e '.explanation.fix[0].docker == "--cap-add SYS_TIME"'
}

@test "reference case in a runc container with Docker's default profile: rule and --cap-add SYS_TIME" {
	DD=$ROOT/../shared/profiles/docker-default.json
	[ -r "$DD" ] || skip "../shared/profiles is missing"
	id=sclens-t-$$-ref
	CONTAINERS+=("$id")
	"$SCLENS" profile convert -f "$DD" > "$BATS_TEST_TMPDIR/dd.json"
	make_bundle "$BATS_TEST_TMPDIR/b" "$BATS_TEST_TMPDIR/dd.json" "$DOCKER_DEFAULT_CAPS" sh -c "$DATE_NOW"
	start_watch --json --docker-default "$DD"
	run run_container "$BATS_TEST_TMPDIR/b" "$id"
	[[ "$output" == *"Operation not permitted"* ]]
	stop_watch
	denials "select(.comm == \"date\")" | jq -e --arg id "$id" '.container.id == $id and .container.runtime == "runc"'
	denials "select(.comm == \"date\")" | jq -e '.syscall == "clock_settime" and .errno == 1 and .explanation.rule == null and .explanation.decided_by == "default_action"'
	denials "select(.comm == \"date\")" | jq -e '.explanation.fix[0].docker == "--cap-add SYS_TIME" and .explanation.fix[0].entry.names == ["settimeofday", "stime", "clock_settime", "clock_settime64"]'
}

@test "the same container with CAP_SYS_TIME sets the clock (to now) and sclens reports nothing" {
	DD=$ROOT/../shared/profiles/docker-default.json
	[ -r "$DD" ] || skip "../shared/profiles is missing"
	id=sclens-t-$$-cap
	CONTAINERS+=("$id")
	"$SCLENS" profile convert -f "$DD" --cap-add SYS_TIME > "$BATS_TEST_TMPDIR/dd.json"
	caps=${DOCKER_DEFAULT_CAPS%]}',"CAP_SYS_TIME"]'
	make_bundle "$BATS_TEST_TMPDIR/b" "$BATS_TEST_TMPDIR/dd.json" "$caps" /bin/settime-now
	start_watch --json --docker-default "$DD"
	run run_container "$BATS_TEST_TMPDIR/b" "$id"
	[[ "$output" == *"clock_settime succeeded"* ]]
	stop_watch
	[ "$(count_denials ".cgroup_leaf == \"$id\"")" -eq 0 ]
}

@test "human output of watch: the container's name, the rule and the fix, once" {
	DD=$ROOT/../shared/profiles/docker-default.json
	[ -r "$DD" ] || skip "../shared/profiles is missing"
	id=sclens-t-$$-hum
	CONTAINERS+=("$id")
	"$SCLENS" profile convert -f "$DD" > "$BATS_TEST_TMPDIR/dd.json"
	make_bundle "$BATS_TEST_TMPDIR/b" "$BATS_TEST_TMPDIR/dd.json" "$DOCKER_DEFAULT_CAPS" sh -c "$DATE_NOW; $DATE_NOW"
	start_watch --docker-default "$DD"
	run_container "$BATS_TEST_TMPDIR/b" "$id" >/dev/null 2>&1 || true
	stop_watch
	cat "$WATCH_OUT"
	[ "$(grep -c "^[0-9:]* $id .*date\[.*clock_settime(.*= -1 EPERM" "$WATCH_OUT")" -eq 2 ]
	[ "$(grep -c 'fix:  docker run --cap-add SYS_TIME' "$WATCH_OUT")" -eq 1 ]
	grep -q 'occurrence 2' "$WATCH_OUT"
}

@test "--container: only that container's denials, filtered in the kernel" {
	a=sclens-t-$$-fa
	b=sclens-t-$$-fb
	CONTAINERS+=("$a" "$b")
	make_bundle "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/deny-clock.json" "$DOCKER_DEFAULT_CAPS" sh -c "$DATE_NOW"
	make_bundle "$BATS_TEST_TMPDIR/b" "$BATS_TEST_TMPDIR/deny-clock.json" "$DOCKER_DEFAULT_CAPS" sh -c "$DATE_NOW"
	start_watch --json --container "$a"
	run_container "$BATS_TEST_TMPDIR/a" "$a" >/dev/null 2>&1 || true
	run_container "$BATS_TEST_TMPDIR/b" "$b" >/dev/null 2>&1 || true
	"$SCDENY" errno >/dev/null
	stop_watch
	[ "$(count_denials "true")" -eq 1 ]
	[ "$(count_denials ".container.id == \"$a\"")" -eq 1 ]
	# the kernel saw the others and dropped them before the ring buffer
	jq -se '[.[] | select(.type == "summary")][0].denials_seen >= 5' "$WATCH_OUT"
}

@test "runc with an explicit cgroupsPath: named from runc's state, even after it exits" {
	id=sclens-t-$$-cgp
	CONTAINERS+=("$id")
	CGROUPS_PATH=/sclens-test-custom/c-$$ make_bundle "$BATS_TEST_TMPDIR/b" "$BATS_TEST_TMPDIR/deny-clock.json" "$DOCKER_DEFAULT_CAPS" sh -c "$DATE_NOW"
	start_watch --json
	run run_container "$BATS_TEST_TMPDIR/b" "$id"
	stop_watch
	# runc made the parent in every hierarchy (v1 ones too on a hybrid host)
	for m in $(awk '$3 == "cgroup2" || $3 == "cgroup" { print $2 }' /proc/self/mounts); do
		runc delete -f "$id" >/dev/null 2>&1 || true
		rmdir "$m/sclens-test-custom/c-$$" "$m/sclens-test-custom" 2>/dev/null || true
	done
	denials 'select(.comm == "date")' | jq -e --arg id "$id" '.cgroup_leaf == "c-'$$'" and .container.id == $id and .container.runtime == "runc"'
}

@test "--profile FILE for all, --profile CONTAINER=FILE for one container" {
	DD=$ROOT/../shared/profiles/docker-default.json
	[ -r "$DD" ] || skip "../shared/profiles is missing"
	a=sclens-t-$$-pa
	b=sclens-t-$$-pb
	CONTAINERS+=("$a" "$b")
	make_bundle "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/deny-clock.json" "$DOCKER_DEFAULT_CAPS" sh -c "$DATE_NOW"
	make_bundle "$BATS_TEST_TMPDIR/b" "$BATS_TEST_TMPDIR/deny-clock.json" "$DOCKER_DEFAULT_CAPS" sh -c "$DATE_NOW"
	start_watch --json --profile "$b=$DD" --profile "$BATS_TEST_TMPDIR/deny-clock.json"
	run_container "$BATS_TEST_TMPDIR/a" "$a" >/dev/null 2>&1 || true
	run_container "$BATS_TEST_TMPDIR/b" "$b" >/dev/null 2>&1 || true
	stop_watch
	denials "select(.container.id == \"$a\")" | jq -e '.explanation.profile | endswith("deny-clock.json")'
	denials "select(.container.id == \"$a\")" | jq -e '.explanation.rule.index == 0 and .explanation.decided_by == "entry"'
	denials "select(.container.id == \"$b\")" | jq -e '.explanation.profile | endswith("docker-default.json")'
	denials "select(.container.id == \"$b\")" | jq -e '.explanation.fix[0].docker == "--cap-add SYS_TIME"'
}

@test "watch --shadow: the candidate is compiled for each container's capabilities, as the engine hands it over" {
	# the runtime lets everything through; the candidate (Docker's default)
	# allows clock_settime only with CAP_SYS_TIME
	cat >"$BATS_TEST_TMPDIR/allow.json" <<'JSON'
{ "defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"],
  "syscalls": [ { "names": ["kexec_load"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1 } ] }
JSON
	with=sclens-shw-$$ without=sclens-shn-$$
	CONTAINERS+=("$with" "$without")
	make_bundle "$BATS_TEST_TMPDIR/w" "$BATS_TEST_TMPDIR/allow.json" "${DOCKER_DEFAULT_CAPS%]},\"CAP_SYS_TIME\"]" \
		sh -c 'sleep 1; settime-now'
	make_bundle "$BATS_TEST_TMPDIR/n" "$BATS_TEST_TMPDIR/allow.json" "$DOCKER_DEFAULT_CAPS" sh -c 'sleep 1; settime-now'
	start_watch --json --container "$with" --container "$without" --shadow docker-20.10
	run_container "$BATS_TEST_TMPDIR/w" "$with" || true
	run_container "$BATS_TEST_TMPDIR/n" "$without" || true
	stop_watch
	jq -c 'select(.type == "would_deny") | [.container.id, .syscall, .explanation.fixes[0].kind // null]' "$WATCH_OUT"
	wd() { jq -s --arg id "$1" '[.[] | select(.type == "would_deny" and .container.id == $id and .syscall == "clock_settime")] | length' "$WATCH_OUT"; }
	# with CAP_SYS_TIME the candidate allows it: nothing to say
	[ "$(wd "$with")" -eq 0 ]
	# without it, the candidate would deny it, and the fix is the capability
	[ "$(wd "$without")" -eq 1 ]
	jq -se --arg id "$without" 'map(select(.type == "would_deny" and .container.id == $id)) | .[0] | tostring | test("SYS_TIME")' "$WATCH_OUT"
	[ "$(count_denials 'true')" -eq 0 ]
}

@test "--container: a cgroup its runtime names only after its first denials is still selected once named" {
	# as runc does: the container's first process runs in its cgroup before
	# state.json names it; a fake runc root plays that slowly
	roots=$BATS_TEST_TMPDIR/runc
	id=sclens-wlate-$$
	LATE_CG=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)/$id
	mkdir -p "$roots" "$LATE_CG"
	start_watch --json --runc-root "$roots" --container "$id"
	sh -c 'echo $$ >"$1/cgroup.procs"; exec "$2" errno' sh "$LATE_CG" "$SCDENY" >/dev/null
	sleep 1.5 # a tick with the cgroup unnamed and the first denials in
	mkdir "$roots/$id"
	printf '{"id": "%s", "cgroup_paths": {"": "%s"}}\n' "$id" "$LATE_CG" >"$roots/$id/state.json"
	sh -c 'echo $$ >"$1/cgroup.procs"; exec "$2" errno' sh "$LATE_CG" "$SCDENY" >"$BATS_TEST_TMPDIR/second.out"
	stop_watch
	rmdir "$LATE_CG"
	pid=$(sed -n 's/^call=getuid pid=\([0-9]*\).*/\1/p' "$BATS_TEST_TMPDIR/second.out" | head -1)
	denials '[.pid, .container.id, .syscall]'
	[ "$(count_denials ".pid == $pid and .container.id == \"$id\" and .container.runtime == \"runc\"")" -ge 1 ]
}
