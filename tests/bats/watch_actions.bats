#!/usr/bin/env bats
# Every seccomp action is seen, once, with the right fields. The helper
# installs real filters with libseccomp; sclens watches the whole host.
load helpers

setup() {
	need_root
	start_watch --json
}

teardown() {
	[ -n "${WATCH_PID:-}" ] && kill -INT "$WATCH_PID" 2>/dev/null || true
}

# field VALUE for the helper's line about CALL
helper_field() { # OUTPUT CALL FIELD
	echo "$1" | sed -n "s/^call=$2 .*$3=\([-0-9]*\).*/\1/p" | head -1
}

@test "ERRNO with several errnos, and ERRNO(0)" {
	run "$SCDENY" errno
	[ "$status" -eq 0 ]
	pid=$(helper_field "$output" clock_settime pid)
	stop_watch
	[ "$(count_denials ".pid == $pid")" -eq 3 ]
	[ "$(count_denials ".pid == $pid and .syscall == \"clock_settime\" and .action == \"errno\" and .errno == 1 and .errno_name == \"EPERM\" and .arch == \"$NATIVE_ARCH\" and .nr == $NR_CLOCK_SETTIME and .tid == $pid")" -eq 1 ]
	[ "$(count_denials ".pid == $pid and .syscall == \"getuid\" and .errno == 13 and .errno_name == \"EACCES\"")" -eq 1 ]
	# ERRNO(0): the call is skipped and returns 0
	[ "$(count_denials ".pid == $pid and .syscall == \"getpgid\" and .errno == 0 and .ret == 0")" -eq 1 ]
	# the clock call's first argument is CLOCK_REALTIME (0), all six are there
	[ "$(denials "select(.pid == $pid and .syscall == \"clock_settime\") | .args | length")" -eq 6 ]
	[ "$(denials "select(.pid == $pid and .syscall == \"clock_settime\") | .args[0]")" -eq 0 ]
}

@test "argument-conditional rules: only the matching call is denied" {
	run "$SCDENY" args
	[ "$status" -eq 0 ]
	pid=$(helper_field "$output" socket pid)
	stop_watch
	[ "$(count_denials ".pid == $pid")" -eq 2 ]
	[ "$(count_denials ".pid == $pid and .syscall == \"socket\" and .args[0] == 40 and .args[1] == 1 and .errno_name == \"EAFNOSUPPORT\"")" -eq 1 ]
	[ "$(count_denials ".pid == $pid and .syscall == \"personality\" and .args[0] == 8 and .errno == 1")" -eq 1 ]
}

@test "KILL_PROCESS: the process dies of SIGSYS and is reported" {
	run "$SCDENY" kill_process
	[ "$status" -eq 159 ] # 128 + SIGSYS
	pid=$(helper_field "$output" about_to_die pid)
	stop_watch
	[ "$(count_denials ".pid == $pid")" -eq 1 ]
	[ "$(count_denials ".pid == $pid and .action == \"kill_process\" and .syscall == \"getppid\" and .args[0] == 1 and .args[1] == 2 and .args[2] == 3")" -eq 1 ]
}

@test "KILL_THREAD in a multi-threaded process: the thread is reported, the process lives" {
	run "$SCDENY" kill_thread
	[ "$status" -eq 0 ]
	[[ "$output" == *main_survived* ]]
	pid=$(helper_field "$output" thread_about_to_die pid)
	tid=$(helper_field "$output" thread_about_to_die tid)
	[ "$pid" != "$tid" ]
	stop_watch
	[ "$(count_denials ".pid == $pid")" -eq 1 ]
	[ "$(count_denials ".pid == $pid and .tid == $tid and .action == \"kill_thread\" and .syscall == \"getppid\" and .args[0] == 7")" -eq 1 ]
	# the kernel's own kill, its filters released before they could be run:
	# not an action inferred from a return value, and not an eval failure
	denials "select(.pid == $pid)" | jq -c '{effect, action_from, action}' # said on failure
	denials "select(.pid == $pid)" | jq -e '.effect == "thread_killed" and (.action_from == "kill" or .action_from == "filter")'
	jq -e 'select(.type == "summary") | .eval_failed == 0' "$WATCH_OUT"
}

@test "strict mode: the single-threaded process killed (SIGKILL) is process_killed; a strict thread is thread_killed and its process lives" {
	run "$SCDENY" strict
	[ "$status" -eq 137 ] # SIGKILL
	pid=$(helper_field "$output" strict_about_to_die pid)
	run "$SCDENY" strict_thread
	[ "$status" -eq 0 ]
	[[ "$output" == *main_survived* ]]
	tpid=$(helper_field "$output" strict_thread_about_to_die pid)
	tid=$(helper_field "$output" strict_thread_about_to_die tid)
	stop_watch
	[ "$(count_denials ".pid == $pid")" -eq 1 ]
	denials "select(.pid == $pid)" | jq -e '.syscall == "getppid" and .action == "kill_thread" and .effect == "process_killed" and .action_from == "strict"'
	[ "$(count_denials ".pid == $tpid")" -eq 1 ]
	denials "select(.pid == $tpid)" | jq -e --argjson tid "$tid" '.tid == $tid and .effect == "thread_killed" and .action_from == "strict"'
}

@test "TRAP with a SIGSYS handler" {
	run "$SCDENY" trap
	[ "$status" -eq 0 ]
	[[ "$output" == *"si_syscall=$NR_GETPPID"* ]]
	pid=$(helper_field "$output" getppid pid)
	stop_watch
	[ "$(count_denials ".pid == $pid")" -eq 1 ]
	[ "$(count_denials ".pid == $pid and .action == \"trap\" and .syscall == \"getppid\" and .args[0] == 4")" -eq 1 ]
}

@test "TRACE with no tracer returns ENOSYS and is reported" {
	run "$SCDENY" trace
	[ "$status" -eq 0 ]
	pid=$(helper_field "$output" getppid pid)
	[ "$(helper_field "$output" getppid errno)" -eq 38 ]
	stop_watch
	[ "$(count_denials ".pid == $pid")" -eq 1 ]
	# the kernel side ran the filter: TRACE, not a guess between it and ERRNO(38)
	[ "$(count_denials ".pid == $pid and .syscall == \"getppid\" and .errno == 38 and .action == \"trace\" and .action_from == \"filter\"")" -eq 1 ]
}

@test "USER_NOTIF answered with an error by a supervisor" {
	run "$SCDENY" notif
	[ "$status" -eq 0 ]
	pid=$(helper_field "$output" getppid pid)
	[ "$(helper_field "$output" getppid errno)" -eq 111 ]
	stop_watch
	[ "$(count_denials ".pid == $pid")" -eq 1 ]
	[ "$(count_denials ".pid == $pid and .action == \"user_notif\" and .errno == 111 and .errno_name == \"ECONNREFUSED\"")" -eq 1 ]
}

@test "USER_NOTIF answered -ERESTARTSYS with no signal pending: the caller gets errno 512, and it is a denial" {
	run "$SCDENY" notif_restartsys
	[ "$status" -eq 0 ]
	pid=$(helper_field "$output" getppid pid)
	[ "$(helper_field "$output" getppid errno)" -eq 512 ]
	stop_watch
	[ "$(count_denials ".pid == $pid")" -eq 1 ]
	[ "$(count_denials ".pid == $pid and .action == \"user_notif\" and .errno == 512")" -eq 1 ]
}

@test "a USER_NOTIF wait cut by a signal is restarted by the kernel, not a second denial" {
	out=$BATS_TEST_TMPDIR/notif.out
	"$SCDENY" notif_slow >"$out" &
	p=$!
	for _ in $(seq 50); do grep -q notif_waiting "$out" && break; sleep 0.05; done
	sleep 0.3
	kill -USR1 "$p" # the main thread is waiting for the supervisor's answer
	wait "$p"
	grep -q 'call=getppid .*errno=111' "$out"
	stop_watch
	[ "$(count_denials ".pid == $p")" -eq 1 ]
	[ "$(count_denials ".pid == $p and .errno == 111")" -eq 1 ]
}

@test "a 32-bit (i386) program under a filter for the x86 arch" {
	[ -x "$ROOT/build/tests/scdeny32" ] || skip "no 32-bit build of the helper (gcc-multilib missing)"
	run "$ROOT/build/tests/scdeny32"
	if [ "$status" -eq 126 ] || [[ "$output" == *"Exec format error"* ]]; then
		skip "this kernel refuses 32-bit programs"
	fi
	[ "$status" -eq 0 ]
	pid=$(helper_field "$output" clock_settime pid)
	stop_watch
	[ "$(count_denials ".pid == $pid")" -eq 1 ]
	[ "$(count_denials ".pid == $pid and .arch == \"i386\" and .nr == 264 and .syscall == \"clock_settime\" and .errno == 1")" -eq 1 ]
}

@test "a process whose every call after its filter is denied is still seen" {
	run "$SCDENY" loop_denied 500
	[ "$status" -eq 0 ]
	pid=$(helper_field "$output" loop_denied pid)
	stop_watch
	[ "$(count_denials ".pid == $pid and .syscall == \"getppid\" and .errno == 1")" -eq 500 ]
	[ "$(jq -s '[.[] | select(.type == "summary")][0].events_lost' "$WATCH_OUT")" -eq 0 ]
}

@test "USER_NOTIF answered with success: a notification with its answer, not a denial" {
	run "$SCDENY" notif_ok
	[ "$status" -eq 0 ]
	pid=$(helper_field "$output" getppid pid)
	[ "$(helper_field "$output" getppid ret)" -eq 42 ]
	stop_watch
	[ "$(count_denials ".pid == $pid")" -eq 0 ]
	[ "$(jq -c "select(.type == \"notification\" and .pid == $pid and .answer == 42 and .syscall == \"getppid\")" "$WATCH_OUT" | wc -l)" -eq 1 ]
	# and not in the kernel's denial counts
	grep '"type":"summary"' "$WATCH_OUT" | jq -e '[.counts[] | select(.syscall == "getppid" and .action == "user_notif")] | length == 0'
}

@test "a forged seccomp SIGSYS (rt_sigqueueinfo to itself) is not a denial, and hides nothing" {
	run "$SCDENY" forge_sigsys
	[ "$status" -eq 0 ]
	pid=$(helper_field "$output" getuid pid)
	stop_watch
	denials "select(.pid == $pid)"
	[ "$(count_denials ".pid == $pid")" -eq 1 ]
	[ "$(count_denials ".pid == $pid and .syscall == \"getuid\" and .action == \"errno\" and .errno == 13")" -eq 1 ]
	# the kernel's own counts hold neither forged call
	[ "$(jq -s '[.[] | select(.type == "summary") | .counts[] | select(.syscall == "mount" or .syscall == "rt_sigqueueinfo")] | length' "$WATCH_OUT")" -eq 0 ]
}
