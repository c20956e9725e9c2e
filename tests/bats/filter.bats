#!/usr/bin/env bats
# sclens filter dump / eval on live processes: the verdict the kernel
# really gives, checked against the call the process then makes.
load helpers

setup() {
	need_root
}

teardown() {
	[ -n "${BG_PID:-}" ] && kill -USR2 "$BG_PID" 2>/dev/null || true
	[ -n "${WATCH_PID:-}" ] && kill -KILL "$WATCH_PID" 2>/dev/null || true
	if [ -n "${FROZEN_CG:-}" ] && [ -d "$FROZEN_CG" ]; then
		echo THAWED >"$FROZEN_CG/freezer.state" 2>/dev/null || true
		sleep 0.3
		rmdir "$FROZEN_CG" 2>/dev/null || true
	fi
}

# gone_within SECONDS PID: fails if PID still runs after that long (a hang
# must fail the test, not stall the suite)
gone_within() {
	for _ in $(seq $(($1 * 10))); do kill -0 "$2" 2>/dev/null || return 0; sleep 0.1; done
	echo "pid $2 still runs after $1 s: $(grep -E '^(State|TracerPid)' /proc/$2/status | tr '\n' ' ')" >&2
	return 1
}

# frozen_denial OUT: a helper denied getuid that then freezes itself (v1
# freezer, where no ptrace stop reaches it); waits until it is frozen
frozen_denial() {
	"$SCDENY" freeze_self "$FROZEN_CG" >"$1" &
	HELPER=$!
	for _ in $(seq 50); do grep -q '^FROZEN' "$FROZEN_CG/freezer.state" && grep -q call=getuid "$1" && return 0; sleep 0.1; done
	return 1
}

# park KIND: starts `scdeny stack KIND`, waits until it is parked
park() {
	OUT=$BATS_TEST_TMPDIR/park.out
	"$SCDENY" stack "$1" >"$OUT" 2>&1 &
	BG_PID=$!
	for _ in $(seq 50); do grep -q parked "$OUT" && return 0; sleep 0.1; done
	return 1
}

# call_and_wait: makes the parked process call once, waits for its line
call_and_wait() {
	kill -USR1 "$BG_PID"
	for _ in $(seq 50); do grep -q '^call=get' "$OUT" && return 0; kill -0 "$BG_PID" 2>/dev/null || return 0; sleep 0.1; done
}

@test "two ERRNO filters: the newest wins, and the process then gets that errno" {
	park errno_errno
	run "$SCLENS" filter eval "$BG_PID" --syscall getuid --json
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.action == "errno" and .errno == 13 and .errno_name == "EACCES" and .filter == 1 and .filters == 2 and .type == "filter_eval"'
	call_and_wait
	grep -q 'call=getuid .*errno=13' "$OUT"
	# other calls are allowed by both
	run "$SCLENS" filter eval "$BG_PID" --syscall getpid --json
	echo "$output" | jq -e '.action == "allow"'
}

@test "ERRNO under KILL_PROCESS, and the reverse: kill wins; the process dies of SIGSYS" {
	for kind in errno_kill kill_errno; do
		park "$kind"
		run "$SCLENS" filter eval "$BG_PID" --syscall getppid --json
		[ "$status" -eq 0 ]
		want=$([ "$kind" = errno_kill ] && echo 1 || echo 2)
		echo "$output" | jq -e --argjson f "$want" '.action == "kill_process" and .filter == $f'
		kill -USR1 "$BG_PID"
		st=0
		wait "$BG_PID" || st=$?
		BG_PID=
		[ "$st" -eq 159 ]
	done
}

@test "filter dump: instructions with syscall names and a per-arch summary" {
	park errno_kill
	run "$SCLENS" filter dump "$BG_PID"
	[ "$status" -eq 0 ]
	[[ "$output" == *"filter 1 of 2 (newest)"* ]]
	[[ "$output" != *"ret kill_process"* ]] # the summary only; instructions with --insns
	echo "$output" | sed -n 2p | grep -q 'calls'
	run "$SCLENS" filter dump --insns "$BG_PID"
	[[ "$output" == *"filter 2 of 2 (oldest)"* ]]
	[[ "$output" == *"(getppid)"* ]]
	[[ "$output" == *"ret kill_process"* ]]
	[[ "$output" == *"ret errno(EPERM)"* ]]
	run "$SCLENS" filter dump "$BG_PID" --json
	echo "$output" | jq -e '.filters | length == 2'
	echo "$output" | jq -e --arg a "$NATIVE_ARCH" '.filters[0].summary[] | select(.arch == $a) | .most_calls == "allow" and .others == [{"name": "getppid", "action": "kill_process"}]'
	echo "$output" | jq -e --arg a "$NATIVE_ARCH" '.filters[1].summary[] | select(.arch == $a) | .others == [{"name": "getppid", "action": "errno", "errno": 1}]'
}

@test "a runc container's filter: dump and eval agree with what the container saw" {
	command -v runc >/dev/null || skip "runc is not installed"
	DD=$ROOT/../shared/profiles/docker-default.json
	[ -r "$DD" ] || skip "../shared/profiles is missing"
	id=sclens-t-$$-flt
	"$SCLENS" profile convert -f "$DD" > "$BATS_TEST_TMPDIR/dd.json"
	make_bundle "$BATS_TEST_TMPDIR/b" "$BATS_TEST_TMPDIR/dd.json" "$DOCKER_DEFAULT_CAPS" sleep 30
	runc run -d --bundle "$BATS_TEST_TMPDIR/b" "$id" </dev/null >/dev/null 2>&1
	pid=$(runc state "$id" | jq .pid)
	run "$SCLENS" filter eval "$pid" --syscall clock_settime --json
	runc delete -f "$id" >/dev/null 2>&1 || true
	echo "$output"
	echo "$output" | jq -e '.action == "errno" and .errno == 1'
}

@test "no such process, no filter: clear messages" {
	run "$SCLENS" filter dump abc
	[ "$status" -eq 2 ]
	run "$SCLENS" filter dump 4194300
	[ "$status" -eq 1 ]
	[[ "$output" == *"no such process"* ]]
	run "$SCLENS" filter dump 4194300 --json
	echo "$output" | grep '^{' | jq -e '.error == "cannot read the filters" and (.detail | contains("no such process"))'
	sleep 30 &
	p=$!
	run "$SCLENS" filter eval "$p" --syscall read
	kill "$p"
	[ "$status" -eq 1 ]
	[[ "$output" == *"has no seccomp filter"* ]]
	run "$SCLENS" filter eval "$p"
	[ "$status" -eq 2 ]
	# a process that has exited (a zombie nobody reaps)
	# (the parent sleeps long: a busy machine must not reap the zombie
	# before the dump, nor fail the kill after it)
	sh -c "\"$SCDENY\" errno >/dev/null & exec sleep 60" &
	parent=$!
	wait_until 10 sh -c "[ \"\$(awk '{print \$3}' /proc/\$(pgrep -P $parent | head -1)/stat)\" = Z ]"
	z=$(pgrep -P "$parent" | head -1)
	[ -n "$z" ] && [ "$(awk '{print $3}' /proc/$z/stat)" = Z ]
	run "$SCLENS" filter dump "$z"
	kill "$parent" 2>/dev/null || true
	echo "$output"
	# Linux 6.1 keeps a zombie's filters until it is reaped (the dump is
	# then the filter it died with); later kernels drop them at exit
	if [ "$status" -eq 0 ]; then
		[[ "$output" == *"clock_settime"*"errno(EPERM)"* ]]
	else
		[ "$status" -eq 1 ]
		[[ "$output" == *"no such process, or it exited"* ]]
	fi
	run "$SCLENS" filter
	[ "$status" -eq 2 ]
}

@test "watch replays denials through the real filters: TRACE is told from ERRNO(ENOSYS)" {
	park trace
	start_watch --json
	call_and_wait
	sleep 0.5 # the first denial asks for the filters; they are read in the background
	sed -i '/^call=getppid/d' "$OUT"
	call_and_wait
	stop_watch
	[ "$(count_denials ".pid == $BG_PID")" -eq 2 ]
	denials "select(.pid == $BG_PID)" | tail -1 | jq -e '.action == "trace" and .replay.action == "trace" and .replay.data == 7 and .replay.agrees == true and .replay.filters == 2'
}

@test "watch replay: two ERRNO filters, the deciding one named" {
	park errno_errno
	start_watch --json
	call_and_wait
	sleep 0.5
	sed -i '/^call=getuid/d' "$OUT"
	call_and_wait
	stop_watch
	denials "select(.pid == $BG_PID)" | tail -1 | jq -e '.action == "errno" and .errno == 13 and .replay.errno == 13 and .replay.filter == 1 and .replay.agrees == true'
}

@test "watch replay in a runc container: the filter read at start agrees with the kernel" {
	command -v runc >/dev/null || skip "runc is not installed"
	DD=$ROOT/../shared/profiles/docker-default.json
	[ -r "$DD" ] || skip "../shared/profiles is missing"
	id=sclens-t-$$-rpl
	"$SCLENS" profile convert -f "$DD" > "$BATS_TEST_TMPDIR/dd.json"
	make_bundle "$BATS_TEST_TMPDIR/b" "$BATS_TEST_TMPDIR/dd.json" "$DOCKER_DEFAULT_CAPS" \
		sh -c 'sleep 1; date -s "$(date "+%Y-%m-%d %H:%M:%S")"; sleep 1; date -s "$(date "+%Y-%m-%d %H:%M:%S")"'
	start_watch --json
	runc run --bundle "$BATS_TEST_TMPDIR/b" "$id" </dev/null >/dev/null 2>&1 || true
	runc delete -f "$id" >/dev/null 2>&1 || true
	stop_watch
	[ "$(count_denials ".cgroup_leaf == \"$id\"")" -eq 2 ]
	denials "select(.cgroup_leaf == \"$id\")" | tail -1 | jq -e '.replay.action == "errno" and .replay.errno == 1 and .replay.agrees == true'
}

@test "--no-replay leaves processes alone" {
	park errno_errno
	start_watch --json --no-replay
	call_and_wait
	sleep 0.5
	sed -i '/^call=getuid/d' "$OUT"
	call_and_wait
	stop_watch
	[ "$(denials "select(.pid == $BG_PID and .replay)" | wc -l)" -eq 0 ]
}

@test "reading filters never swallows a signal on its way to the task (TRAP's SIGSYS under watch)" {
	# each TRAP denial makes watch read the filters while the SIGSYS is
	# being delivered: the handler must still run, every time
	start_watch --json
	for _ in $(seq 20); do
		run "$SCDENY" trap
		[ "$status" -eq 0 ]
		[[ "$output" == *"si_syscall=$NR_GETPPID"* ]]
	done
	stop_watch
}

@test "replay by ptrace (no kernel copy): a task that cannot stop is let go, and never holds watch up" {
	awk '$3 == "cgroup" && $2 == "/sys/fs/cgroup/freezer"' /proc/mounts | grep -q . || skip "no cgroup v1 freezer at /sys/fs/cgroup/freezer"
	FROZEN_CG=/sys/fs/cgroup/freezer/sclens-frozen-$$
	mkdir "$FROZEN_CG"
	SCLENS_FILTER_COPIES=off start_watch --json -c scdeny
	# frozen right after its denial: the replay thread gives up after 3 s;
	# thawed while watch runs, the task stops for the reader's interrupt
	# and must be let go, not left stopped and traced
	frozen_denial "$BATS_TEST_TMPDIR/a.out"
	sleep 4
	echo THAWED >"$FROZEN_CG/freezer.state"
	for _ in $(seq 100); do grep -q call=thawed "$BATS_TEST_TMPDIR/a.out" && break; sleep 0.1; done
	grep '^State\|^TracerPid' "/proc/$HELPER/status" 2>/dev/null || true
	grep -q call=thawed "$BATS_TEST_TMPDIR/a.out"
	gone_within 10 "$HELPER"
	# frozen again when watch is stopped: watch exits all the same
	frozen_denial "$BATS_TEST_TMPDIR/b.out"
	sleep 0.5
	kill -INT "$WATCH_PID"
	gone_within 20 "$WATCH_PID" # not held up by the frozen task
	WATCH_RC=0
	wait "$WATCH_PID" || WATCH_RC=$?
	WATCH_PID=
	[ "$WATCH_RC" -eq 0 ]
	echo THAWED >"$FROZEN_CG/freezer.state"
	gone_within 10 "$HELPER"
	grep -q call=thawed "$BATS_TEST_TMPDIR/b.out"
	# both denials reported, without a replay of the filter
	[ "$(count_denials '.syscall == "getuid" and .errno == 13')" -eq 2 ]
	grep -q '"method"' "$WATCH_OUT"
}
