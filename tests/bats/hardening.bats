#!/usr/bin/env bats
# Hostile input and broken environments: each case is a defect that was
# found by review or by hostile testing (issue 8), run through the real
# command line.
load helpers

teardown() {
	[ -n "${WATCH_PID:-}" ] && kill -INT "$WATCH_PID" 2>/dev/null || true
	[ -n "${WATCH_PID:-}" ] && kill -CONT "$WATCH_PID" 2>/dev/null || true
}

profile() { # profile NAME JSON: writes a profile, prints its path
	printf '%s\n' "$2" > "$BATS_TEST_TMPDIR/$1"
	echo "$BATS_TEST_TMPDIR/$1"
}

@test "duplicate keys: the last one wins, as in the engines, with a warning" {
	f=$(profile dup.json '{"defaultAction":"SCMP_ACT_ALLOW","defaultAction":"SCMP_ACT_ERRNO"}')
	run "$SCLENS" explain -f "$f" -s read
	[ "$status" -eq 0 ]
	[[ "$output" == *"warning: key \"defaultAction\" is given more than once"* ]]
	[[ "$output" == *"read: errno EPERM"* ]]
}

@test "unknown syscall names: named, located, with the closest real name" {
	f=$(profile typo.json '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[
{"names":["raed"],"action":"SCMP_ACT_ALLOW"}]}')
	run "$SCLENS" explain -f "$f" -s read
	[ "$status" -eq 0 ]
	[[ "$output" == *'syscalls[0].names[0]: (line 2) unknown syscall "raed" (did you mean "read"?)'* ]]
	[[ "$output" == *"skip unknown names"* ]]
}

@test "numbers the engines refuse are refused: exponent, fraction, -0, leading zeros, NUL in a string" {
	for v in 1e3 5.0 -0 0000000000000000000000000000000000005; do
		f=$(profile n.json "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":0,\"value\":$v,\"op\":\"SCMP_CMP_EQ\"}]}]}")
		run "$SCLENS" explain -f "$f" -s read
		[ "$status" -eq 4 ]
		[[ "$output" == *"syscalls[0].args[0].value"*"whole number"* ]]
	done
	f=$(profile nul.json '{"defaultAction":"SCMP_ACT_ERRNO\u0000junk"}')
	run "$SCLENS" explain -f "$f" -s read
	[ "$status" -eq 4 ]
	[[ "$output" == *"NUL character"* ]]
}

@test "a FIFO given as a profile is refused at once, not waited on" {
	mkfifo "$BATS_TEST_TMPDIR/fifo"
	run timeout 10 "$SCLENS" explain -f "$BATS_TEST_TMPDIR/fifo" -s read
	[ "$status" -eq 4 ]
	[[ "$output" == *"not a regular file"* ]]
	run timeout 10 "$SCLENS" profile convert -f "$BATS_TEST_TMPDIR/fifo"
	[ "$status" -eq 4 ]
}

@test "archMap naming the host arch 15 times: converted, not a crash" {
	entries=$(for i in $(seq 15); do printf '{"architecture":"SCMP_ARCH_X86_64","subArchitectures":["SCMP_ARCH_X86","SCMP_ARCH_X32"]},'; done)
	f=$(profile arch.json "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"archMap\":[${entries%,}]}")
	run "$SCLENS" profile convert -f "$f"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -c .architectures)" = '["SCMP_ARCH_X86_64","SCMP_ARCH_X86","SCMP_ARCH_X32"]' ]
}

@test "terminal injection: comments, names and file names reach the terminal escaped" {
	esc=$(printf '\033')
	f=$(profile evil.json "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\",
\"comment\":\"x\\u001b[2J\\u001b]52;c;aGk=\\u0007\\nfix:  forged\"},{\"names\":[\"getuid\"],\"action\":\"SCMP_ACT_NOPE\\u001b[2J\"}]}")
	run "$SCLENS" explain -f "$f" -s read
	[[ "$output" != *"$esc"* ]]
	[[ "$output" == *'\x1b[2J'* ]]
	[ "$status" -eq 4 ] # the unknown action, echoed escaped
	f=$(profile evil2.json "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\",
\"comment\":\"x\\u001b[2J\\nfix:  forged\"}]}")
	run "$SCLENS" explain -f "$f" -s read
	[ "$status" -eq 0 ]
	[[ "$output" != *"$esc"* ]]
	! echo "$output" | grep -q '^fix:  forged'
	[[ "$output" == *'x\x1b[2J\x0afix:  forged'* ]]
}

@test "a failed write is an error: profile convert and explain to /dev/full" {
	run bash -c "'$SCLENS' profile convert -f docker-20.10 > /dev/full"
	[ "$status" -eq 1 ]
	[[ "$output" == *"writing the output failed: No space left on device"* ]]
	run bash -c "'$SCLENS' explain -f docker-20.10 -s clock_settime > /dev/full"
	[ "$status" -eq 1 ]
	run bash -c "'$SCLENS' explain -f docker-20.10 -s clock_settime >&-"
	[ "$status" -eq 1 ]
	[[ "$output" == *"Bad file descriptor"* ]]
	# a reader that leaves is not an error
	run bash -c "set -o pipefail; '$SCLENS' profile convert -f docker-20.10 | head -1"
	[[ "$output" != *"failed"* ]]
}

@test "watch: a failed write stops it with an error, not a summary of success" {
	need_root
	for redirect in '> /dev/full' '>&-'; do
		for mode in "" "--json"; do
			bash -c "exec '$SCLENS' watch $mode -c scdeny $redirect" 2>"$BATS_TEST_TMPDIR/err" &
			pid=$!
			for _ in $(seq 100); do grep -q watching "$BATS_TEST_TMPDIR/err" && break; sleep 0.1; done
			"$SCDENY" loop_denied 8 >/dev/null 2>&1 || true
			st=0
			for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
			kill -INT "$pid" 2>/dev/null || true
			wait "$pid" || st=$?
			[ "$st" -eq 1 ] || { echo "mode '$mode' $redirect: exit $st"; cat "$BATS_TEST_TMPDIR/err"; false; }
			grep -q "writing the events failed" "$BATS_TEST_TMPDIR/err"
			! grep -q "denials reported" "$BATS_TEST_TMPDIR/err"
		done
	done
}

@test "watch: stopped and continued, it goes on; only SIGINT/SIGTERM end it" {
	need_root
	start_watch --json -c scdeny
	kill -STOP "$WATCH_PID"
	sleep 0.3
	kill -CONT "$WATCH_PID"
	sleep 0.5
	kill -0 "$WATCH_PID"
	"$SCDENY" errno >/dev/null 2>&1 || true
	sleep 0.5
	kill -0 "$WATCH_PID"
	if command -v strace >/dev/null; then
		timeout 2 strace -p "$WATCH_PID" -o /dev/null 2>/dev/null || true
		sleep 0.3
		kill -0 "$WATCH_PID"
	fi
	stop_watch
	[ "$WATCH_RC" -eq 0 ]
	[ "$(denials | wc -l)" -ge 1 ]
	grep -q '"type":"summary"' "$WATCH_OUT"
}
