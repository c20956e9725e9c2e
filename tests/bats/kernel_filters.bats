#!/usr/bin/env bats
# The kernel side reads filters itself (prog->orig_prog), runs them on the
# call, and never stops or traces a process: what the kernel leaves
# ambiguous is settled the same way on every run. The suite runs this file
# under every method (SCLENS_METHOD=fexit where the kernel allows it,
# one-hook and two-hooks).
load helpers

setup() {
	need_root
}

teardown() {
	[ -n "${WATCH_PID:-}" ] && kill -INT "$WATCH_PID" 2>/dev/null || true
	[ -n "${PARKED:-}" ] && kill -KILL "$PARKED" 2>/dev/null || true
	[ -n "${STRACE_PID:-}" ] && kill -KILL "$STRACE_PID" 2>/dev/null || true
	if [ -n "${FROZEN_CG:-}" ] && [ -d "$FROZEN_CG" ]; then
		echo THAWED >"$FROZEN_CG/freezer.state" 2>/dev/null || true
		sleep 0.2
		rmdir "$FROZEN_CG" 2>/dev/null || true
	fi
}

# pids of 20 runs of the helper in MODE (the pid of its CALL line)
twenty_runs() { # MODE CALL
	PIDS=()
	for _ in $(seq 20); do
		out=$("$SCDENY" "$1" 2>&1) || true
		PIDS+=("$(echo "$out" | sed -n "s/^call=$2 pid=\([0-9]*\).*/\1/p" | head -1)")
	done
}

# how many of the 20 pids have a line matching the jq condition
matching_runs() { # TYPE CONDITION
	local n=0
	for p in "${PIDS[@]}"; do
		c=$(jq -c "select(.type == \"$1\" and .pid == $p and ($2))" "$WATCH_OUT" | wc -l)
		[ "$c" -eq 1 ] && n=$((n + 1))
	done
	echo "$n"
}

@test "TRACE with no tracer, then exit at once: reported as trace with its replay, 20 runs out of 20" {
	start_watch --json
	twenty_runs trace_exit getppid
	stop_watch
	[ "$(matching_runs denial '.action == "trace" and .errno == 38 and .replay.action == "trace" and .replay.agrees')" -eq 20 ]
}

@test "KILL_THREAD on a single-threaded process: the filter's action and its effect, 20 runs out of 20" {
	start_watch --json
	twenty_runs kill_thread_last about_to_die
	stop_watch
	[ "$(matching_runs denial '.action == "kill_thread" and .effect == "process_killed" and .action_from == "filter" and .replay.agrees')" -eq 20 ]
}

@test "USER_NOTIF whose listener is gone: user_notif with ENOSYS, replay agrees, 20 runs out of 20" {
	start_watch --json
	twenty_runs notif_gone getppid
	stop_watch
	[ "$(matching_runs denial '.action == "user_notif" and .errno == 38 and .replay.action == "user_notif" and .replay.agrees')" -eq 20 ]
}

@test "USER_NOTIF answered with success: a notification, never a denial, 20 runs out of 20" {
	start_watch --json
	twenty_runs notif_ok getppid
	stop_watch
	[ "$(matching_runs notification '.answer == 42')" -eq 20 ]
	[ "$(matching_runs denial 'true')" -eq 0 ]
}

@test "ERRNO(5000): errno 4095 and replay agrees, 20 runs out of 20" {
	start_watch --json
	twenty_runs errno_big getuid
	stop_watch
	[ "$(matching_runs denial '.action == "errno" and .errno == 4095 and .replay.errno == 5000 and .replay.agrees')" -eq 20 ]
}

@test "70 stacked filters: the right verdict from the right filter" {
	start_watch --json
	run "$SCDENY" deep 70
	[ "$status" -eq 0 ]
	[[ "$output" == *"errno=1"* ]]
	pid=$(echo "$output" | sed -n 's/^call=getuid pid=\([0-9]*\).*/\1/p')
	stop_watch
	[ "$(count_denials ".pid == $pid and .errno == 1 and .filter_count == 70 and .replay.filters == 70 and .replay.filter == 10 and .replay.agrees")" -eq 1 ]
}

@test "watch never stops a process: PTRACE_ATTACH to a freshly filtered child succeeds 1000 times out of 1000" {
	start_watch --json
	run "$SCDENY" attach_child 1000
	[ "$status" -eq 0 ]
	[ "$output" = "attach_failed=0 of 1000" ]
	stop_watch
	# and each child's denial was seen meanwhile
	[ "$(count_denials '.syscall == "kexec_load"')" -eq 1000 ]
}

@test "a child SIGKILLed right after installing its filter is reaped by its parent at once" {
	start_watch --json
	run "$SCDENY" kill_child 300
	[ "$status" -eq 0 ]
	us=${output#slowest_reap_us=}
	stop_watch
	# a child held by a tracer is not reaped until the tracer lets go (it
	# took minutes before): a second is a generous bound, not a timing
	[ "$us" -lt 1000000 ]
}

@test "the method: fexit where the kernel allows it, else one hook saying why; the others on request; a bad value is refused" {
	SCLENS_METHOD= start_watch --json
	"$SCDENY" errno >/dev/null
	stop_watch
	auto=$(jq -r 'select(.type == "summary") | .method' "$WATCH_OUT")
	# the kernel matrix says what each of its kernels must choose
	[ -z "${SCLENS_EXPECT_AUTO:-}" ] || [ "$auto" = "$SCLENS_EXPECT_AUTO" ]
	[ "$(count_denials '.action == "errno"')" -eq 3 ]
	run "$SCLENS" watch -d 1 --method fexit
	if [ "$auto" = fexit ]; then
		[ "$status" -eq 0 ]
		grep -q "watching for seccomp denials (method fexit)" "$WATCH_ERR"
	else
		# auto fell back, and said why; fexit on request is refused plainly
		[ "$auto" = one_hook ]
		grep -qE "watching for seccomp denials \(method one_hook: fexit (refused by this kernel|unavailable)" "$WATCH_ERR"
		[ "$status" -ne 0 ]
		[[ "$output" == *"fexit"* ]]
	fi
	for m in one-hook two-hooks; do
		start_watch --json --method $m
		"$SCDENY" errno >/dev/null
		stop_watch
		[ "$(jq -r 'select(.type == "summary") | .method' "$WATCH_OUT")" = "${m/-/_}" ]
		[ "$(count_denials '.action == "errno"')" -eq 3 ]
	done
	run "$SCLENS" watch --method three-hooks
	[ "$status" -eq 2 ]
	[[ "$output" == *"--method takes auto, fexit, one-hook or two-hooks"* ]]
	SCLENS_METHOD=sideways run "$SCLENS" watch -d 1
	[ "$status" -ne 0 ]
	[[ "$output" == *"SCLENS_METHOD takes auto"* ]]
}

# starts the helper with N stacked filters, parked; PARKED is its pid
park_deep() { # N
	out=$BATS_TEST_TMPDIR/parked.out
	"$SCDENY" deep_park "$1" >"$out" &
	PARKED=$!
	for _ in $(seq 100); do grep -q parked "$out" && return 0; sleep 0.05; done
	return 1
}

@test "filter dump and eval read a process stopped by SIGSTOP, past 64 filters" {
	park_deep 70
	kill -STOP "$PARKED"
	run timeout 20 "$SCLENS" filter eval "$PARKED" -s getuid --json
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -r '.errno_name + " " + (.filters|tostring) + " " + (.filter|tostring)')" = "EPERM 70 10" ]
	run timeout 20 "$SCLENS" filter dump "$PARKED"
	[ "$status" -eq 0 ]
	[[ "$output" == *"filter 70 of 70"* ]]
	# still stopped, and nobody traces it
	grep -q '^State:.*T (stopped)' "/proc/$PARKED/status"
	grep -q '^TracerPid:[[:space:]]*0$' "/proc/$PARKED/status"
}

@test "filter dump reads a process that strace holds" {
	command -v strace >/dev/null || skip "strace is not installed"
	park_deep 3
	strace -p "$PARKED" -o /dev/null &
	STRACE_PID=$!
	for _ in $(seq 100); do
		grep -q '^TracerPid:[[:space:]]*[1-9]' "/proc/$PARKED/status" && break
		sleep 0.05
	done
	grep -q '^TracerPid:[[:space:]]*[1-9]' "/proc/$PARKED/status"
	run timeout 20 "$SCLENS" filter dump "$PARKED"
	[ "$status" -eq 0 ]
	[[ "$output" == *"filter 3 of 3"* ]]
	run timeout 20 "$SCLENS" filter eval "$PARKED" -s getuid
	[ "$status" -eq 0 ]
	[[ "$output" == *"EACCES"* ]] # three filters: only the oldest denies getuid
}

@test "a frozen process: the kernel copy reads it; --ptrace gives up after 3 s and leaves it untraced" {
	# the v1 freezer parks a task where no ptrace stop reaches it (the v2
	# freezer's tasks do stop for a tracer)
	awk '$3 == "cgroup" && $2 == "/sys/fs/cgroup/freezer"' /proc/mounts | grep -q . || skip "no cgroup v1 freezer at /sys/fs/cgroup/freezer"
	FROZEN_CG=/sys/fs/cgroup/freezer/sclens-frozen-$$
	mkdir "$FROZEN_CG"
	park_deep 3
	echo "$PARKED" >"$FROZEN_CG/tasks"
	echo FROZEN >"$FROZEN_CG/freezer.state"
	for _ in $(seq 50); do grep -q '^FROZEN' "$FROZEN_CG/freezer.state" && break; sleep 0.1; done
	grep -q '^FROZEN' "$FROZEN_CG/freezer.state"
	run timeout 20 "$SCLENS" filter dump "$PARKED"
	[ "$status" -eq 0 ]
	[[ "$output" == *"filter 3 of 3"* ]]
	start=$(date +%s%N)
	run timeout 20 "$SCLENS" filter dump --ptrace "$PARKED"
	took_ms=$((($(date +%s%N) - start) / 1000000))
	echo "--ptrace on a frozen task: exit $status after $took_ms ms" >&3
	[ "$status" -eq 1 ] # not timeout's 124: it gave up by itself
	[[ "$output" == *"cannot read the filters of $PARKED: the task did not stop within 3 s"* ]]
	run timeout 20 "$SCLENS" filter eval --ptrace --json "$PARKED" -s getuid
	[ "$status" -eq 1 ]
	echo "$output" | grep '^{' | jq -e '.error == "cannot read the filters"'
	# thawed, it runs on: nobody traces it, nothing stopped it
	echo THAWED >"$FROZEN_CG/freezer.state"
	sleep 0.3
	grep -q '^TracerPid:[[:space:]]*0$' "/proc/$PARKED/status"
	! grep -q '^State:.*[tT] (' "/proc/$PARKED/status"
	# and ptrace reads it again once it can stop
	run timeout 20 "$SCLENS" filter dump --ptrace "$PARKED"
	[ "$status" -eq 0 ]
	[[ "$output" == *"filter 3 of 3"* ]]
}

@test "a kernel without bpf_loop (Linux 5.17) is refused plainly, before any load, by watch and record" {
	for cmd in "watch -d 1" "record -d 1"; do
		SCLENS_TEST_MISSING_HELPERS=bpf_loop run $SCLENS $cmd
		echo "$cmd: $output"
		[ "$status" -eq 3 ]
		[[ "$output" == *"lacks the BPF helper bpf_loop (Linux 5.17): sclens needs Linux 5.17 or later"* ]]
		[[ "$output" != *"verifier"* ]]
	done
	SCLENS_TEST_MISSING_HELPERS=bpf_loop run "$SCLENS" watch --json -d 1
	[ "$status" -eq 3 ]
	[[ "$output" == *'{"error":"missing privilege or kernel support"'* ]]
}

@test "programs run only where they must: under fexit, 200,000 calls of an unfiltered process add under 1,000 runs" {
	cd "$ROOT"
	run "$ROOT/build/tests/bench" runs 200000
	echo "$output"
	[ "$status" -eq 0 ]
	m=$(echo "$output" | sed -n 's/^method=\([a-z_]*\) .*/\1/p')
	u=$(echo "$output" | sed -n 's/.*unfiltered_runs=\([0-9]*\).*/\1/p')
	f=$(echo "$output" | sed -n 's/.*filtered_runs=\([0-9]*\)$/\1/p')
	[ -n "$m" ] && [ -n "$u" ] && [ -n "$f" ]
	# every method judges every call of a filtered task
	[ "$f" -ge 200000 ]
	case $m in
	fexit) [ "$u" -lt 1000 ] ;;
	one_hook) [ "$u" -ge 200000 ] ;; # the sys_exit tracepoint runs for every task
	two_hooks) [ "$u" -ge 400000 ] ;;
	*) false ;;
	esac
}
