#!/usr/bin/env bats
# sclens record -- COMMAND: a plain command (not a container) recorded from
# its first instruction in a cgroup of its own, as spoc record does; its
# generated profile runs it again clean under sclens run.
load helpers
bats_require_minimum_version 1.5.0

setup() {
	need_root
	CG2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
	[ -n "$CG2" ] || skip "no cgroup2 hierarchy"
	CALLS=$ROOT/build/tests/calls
	[ -x "$CALLS" ] || skip "build/tests/calls is not built (make helpers)"
}

@test "record -- COMMAND: recorded from its start in its own cgroup, its exit status kept; its profile runs it clean and denies what it never called" {
	rec=$BATS_TEST_TMPDIR/cmd.rec.json
	run "$SCLENS" record -o "$rec" -- sh -c "$CALLS 3 0; ls / >/dev/null; exit 3"
	echo "$output"
	[ "$status" -eq 3 ] # the command's own
	jq -e '.recorded | length == 1' "$rec"
	jq -e '.recorded[0] | .from_start and (.cgroup | startswith("/sclens-record-"))' "$rec"
	jq -e '[.recorded[0].calls[] | select(.syscall == "getppid") | .count] | add >= 3' "$rec"
	jq -e '[.recorded[0].calls[] | select(.syscall == "getpgid")] | length == 0' "$rec"
	# its cgroup is gone with it
	[ ! -d "$CG2$(jq -r '.recorded[0].cgroup' "$rec")" ]
	# a command, not a container: no runtime's setup to warn of
	"$SCLENS" profile generate "$rec" >"$BATS_TEST_TMPDIR/p.json" 2>"$BATS_TEST_TMPDIR/gen.err"
	cat "$BATS_TEST_TMPDIR/gen.err"
	[ ! -s "$BATS_TEST_TMPDIR/gen.err" ]
	# the same recording said to be a container's: warned of
	jq '.recorded[0].container = {"runtime": "docker", "name": "c"}' "$rec" >"$BATS_TEST_TMPDIR/as-container.json"
	"$SCLENS" profile generate "$BATS_TEST_TMPDIR/as-container.json" 2>&1 >/dev/null | grep -q '1 container ran without a seccomp filter'
	run "$SCLENS" run --profile "$BATS_TEST_TMPDIR/p.json" --json -- sh -c "$CALLS 3 0; ls / >/dev/null; exit 3"
	[ "$status" -eq 3 ]
	[ "$(echo "$output" | grep '^{"type":"denial"' | wc -l)" -eq 0 ]
	# a call the recording never saw is denied
	run "$SCLENS" run --profile "$BATS_TEST_TMPDIR/p.json" --json -- sh -c "$CALLS 3 2; exit 0"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | grep '^{"type":"denial"' | jq -s '[.[] | select(.syscall == "getpgid")] | length')" -eq 2 ]
}

@test "record -- COMMAND: a command that cannot run exits 127 with a recording; container selection and --duration are refused with it" {
	rec=$BATS_TEST_TMPDIR/none.rec.json
	run -127 "$SCLENS" record -o "$rec" -- /nonexistent/cmd
	[ "$status" -eq 127 ]
	[[ "$output" == *"cannot run /nonexistent/cmd"* ]]
	jq -e '.kind == "sclens-recording"' "$rec"
	for opt in "--container x" "--cgroup $CG2" "--host" "-d 5"; do
		run "$SCLENS" record $opt -- true
		[ "$status" -eq 2 ]
		[[ "$output" == *"with a command, the recording is the command's"* ]]
	done
}

@test "record -- COMMAND: argument rules from what it passed (unshare's flags): the same flags run clean, other flags are denied by the profile" {
	command -v unshare >/dev/null || skip "unshare (util-linux) is not installed"
	rec=$BATS_TEST_TMPDIR/u.rec.json
	run "$SCLENS" record -o "$rec" -- sh -c 'unshare -U true'
	[ "$status" -eq 0 ]
	jq -e '[.recorded[0].args[] | select(.syscall == "unshare" and .arg == 0 and .value == 268435456)] | length == 1' "$rec" # CLONE_NEWUSER
	"$SCLENS" profile generate "$rec" >"$BATS_TEST_TMPDIR/p.json"
	jq -e '[.syscalls[] | select(.names == ["unshare"]) | .args[0] | select(.op == "SCMP_CMP_EQ" and .value == 268435456)] | length == 1' "$BATS_TEST_TMPDIR/p.json"
	run "$SCLENS" run --profile "$BATS_TEST_TMPDIR/p.json" --json -- sh -c 'unshare -U true'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | grep -c '^{"type":"denial"')" -eq 0 ]
	# a new network namespace too: flags the recording never saw
	run "$SCLENS" run --profile "$BATS_TEST_TMPDIR/p.json" --json -- sh -c 'unshare -U -n true'
	[ "$status" -ne 0 ]
	echo "$output" | grep '^{"type":"denial"' | jq -se '[.[] | select(.syscall == "unshare" and .errno == 1 and .args[0] == 1342177280)] | length == 1'
}

# A recording is written whole (a new file renamed over the old), but what
# is not a regular file is written through, never replaced: renaming over
# /dev/null as root replaced the device with a file (found by make bench)
@test "record -o: a device or /dev/stdout is written through, never replaced; a symlink's file is replaced and the link stays; a directory or dangling link is an error" {
	dev=$BATS_TEST_TMPDIR/null
	mknod "$dev" c 1 3
	run "$SCLENS" record -o "$dev" -- true
	[ "$status" -eq 0 ]
	[ -c "$dev" ]
	# through a pipe
	"$SCLENS" record -o /dev/stdout -- true 2>/dev/null | jq -e '.kind == "sclens-recording"'
	# a FIFO: to its reader; with none, an error rather than a wait
	mkfifo "$BATS_TEST_TMPDIR/fifo"
	jq -c .kind <"$BATS_TEST_TMPDIR/fifo" >"$BATS_TEST_TMPDIR/fifo.out" &
	reader=$!
	"$SCLENS" record -o "$BATS_TEST_TMPDIR/fifo" -- true 2>/dev/null
	wait "$reader"
	[ "$(cat "$BATS_TEST_TMPDIR/fifo.out")" = '"sclens-recording"' ]
	[ -p "$BATS_TEST_TMPDIR/fifo" ]
	run timeout 20 "$SCLENS" record -o "$BATS_TEST_TMPDIR/fifo" -- true
	[ "$status" -eq 1 ]
	[[ "$output" == *"No such device or address"* ]]
	# a symlink to a regular file, relative
	mkdir "$BATS_TEST_TMPDIR/sub"
	echo old >"$BATS_TEST_TMPDIR/sub/r.json"
	ln -s sub/r.json "$BATS_TEST_TMPDIR/link"
	"$SCLENS" record -o "$BATS_TEST_TMPDIR/link" -- true 2>/dev/null
	[ -L "$BATS_TEST_TMPDIR/link" ]
	jq -e '.kind == "sclens-recording"' "$BATS_TEST_TMPDIR/sub/r.json"
	# refused before recording, and nothing made
	run "$SCLENS" record -o "$BATS_TEST_TMPDIR/sub" -- true
	[ "$status" -ne 0 ]
	[[ "$output" == *"cannot write $BATS_TEST_TMPDIR/sub: Is a directory"* ]]
	ln -s "$BATS_TEST_TMPDIR/nowhere/r.json" "$BATS_TEST_TMPDIR/dangling"
	run "$SCLENS" record -o "$BATS_TEST_TMPDIR/dangling" -- true
	[ "$status" -ne 0 ]
	[[ "$output" == *"cannot write $BATS_TEST_TMPDIR/dangling: No such file or directory"* ]]
	# a new file is not made before the recording is written
	run "$SCLENS" record -o "$BATS_TEST_TMPDIR/new.json" -- sh -c "test ! -e $BATS_TEST_TMPDIR/new.json"
	[ "$status" -eq 0 ]
	jq -e '.kind == "sclens-recording"' "$BATS_TEST_TMPDIR/new.json"
	[ "$(find "$BATS_TEST_TMPDIR" -name '*.tmp.*' -o -name '*.check.*' | wc -l)" -eq 0 ]
}
