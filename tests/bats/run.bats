#!/usr/bin/env bats
# sclens run: a command under a converted profile, with the container's
# capability set, and its denials explained.
load helpers

setup() {
	need_root
	DD=$ROOT/../shared/profiles/docker-default.json
	[ -r "$DD" ] || skip "../shared/profiles is missing"
	SETTIME=$ROOT/build/tests/settime-now
}

@test "reference case through sclens run: denied, explained, --cap-add SYS_TIME" {
	run "$SCLENS" run --profile "$DD" -- "$SETTIME"
	[ "$status" -eq 1 ] # the command's own status
	[[ "$output" == *"settime-now: clock_settime Operation not permitted"* ]]
	[[ "$output" == *"clock_settime(0, "*"= -1 EPERM"* ]]
	[[ "$output" == *"only for containers with CAP_SYS_TIME"* ]]
	[[ "$output" == *"docker run --cap-add SYS_TIME"* ]]
}

@test "with --cap-add SYS_TIME the clock is set (to its current value) and nothing is reported" {
	run "$SCLENS" run --profile "$DD" --cap-add SYS_TIME --json -- "$SETTIME"
	[ "$status" -eq 0 ]
	[[ "$output" == *"clock_settime succeeded"* ]]
	[ "$(echo "$output" | grep '^{' | jq -s '[.[] | select(.type == "denial")] | length')" -eq 0 ]
	echo "$output" | grep '^{' | jq -se '.[-1].type == "summary" and .[-1].denials_reported == 0'
}

@test "JSON: the explanation rides on the event; the fix is given once, then counted" {
	run "$SCLENS" run --profile "$DD" --json -- sh -c "$SETTIME; $SETTIME; true"
	[ "$status" -eq 0 ]
	lines=$(echo "$output" | grep '^{"type":"denial"')
	[ "$(echo "$lines" | wc -l)" -eq 2 ]
	echo "$lines" | sed -n 1p | jq -e '.syscall == "clock_settime" and .explanation.fix[0].docker == "--cap-add SYS_TIME" and .explanation.occurrence == 1'
	# JSON consumers filter lines: every event carries its whole fix
	echo "$lines" | sed -n 2p | jq -e '.explanation.occurrence == 2 and .explanation.fix[0].docker == "--cap-add SYS_TIME"'
}

@test "a command killed by its profile: the status says so" {
	echo '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_KILL_PROCESS"}]}' > "$BATS_TEST_TMPDIR/kill.json"
	run "$SCLENS" run --profile "$BATS_TEST_TMPDIR/kill.json" --json -- "$SCDENY" kill_process
	[ "$status" -eq 159 ]
	echo "$output" | grep '^{"type":"denial"' | jq -e '.action == "kill_process" and .explanation.action == "kill_process" and .explanation.rule.index == 0'
}

@test "run: missing command or profile, bad profile" {
	run "$SCLENS" run --profile "$DD"
	[ "$status" -eq 2 ]
	run "$SCLENS" run -- true
	[ "$status" -eq 2 ]
	echo '{' > "$BATS_TEST_TMPDIR/bad.json"
	run "$SCLENS" run --profile "$BATS_TEST_TMPDIR/bad.json" -- true
	[ "$status" -eq 4 ]
	run "$SCLENS" run --profile "$BATS_TEST_TMPDIR/bad.json" --json -- true
	[ "$status" -eq 4 ]
	echo "$output" | grep '^{' | jq -e '.error == "invalid profile"'
}
