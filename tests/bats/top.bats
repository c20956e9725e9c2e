#!/usr/bin/env bats
# sclens top: the live view driven in tmux as a user sees it (real runc
# containers denied under Docker's default profile), and its snapshots
# when piped, whose counts are the kernel's.
load helpers

setup() {
	need_root
	command -v tmux >/dev/null || skip "tmux is not installed"
	command -v runc >/dev/null || skip "runc is not installed"
	[ -x "$ROOT/build/tests/rootfs/bin/busybox" ] || skip "no busybox rootfs (busybox-static missing)"
	DD=$ROOT/../shared/profiles/docker-default.json
	[ -r "$DD" ] || skip "../shared/profiles is missing"
	CONTAINERS=()
	TMUX_SESSION=sclens-top-$$
	# a server of the test's own: never another's, never one shutting down
	TM=(tmux -L "sclens-top-$$")
	CG2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
}

teardown() {
	"${TM[@]}" kill-server 2>/dev/null || true
	teardown_containers
	[ -n "${CG2:-}" ] && [ -d "$CG2/sclens-top-$$" ] && { sleep 0.2; rmdir "$CG2/sclens-top-$$" 2>/dev/null; } || true
}

DATE_NOW='date -s "$(date "+%Y-%m-%d %H:%M:%S")"; sleep 0.3'

screen() { "${TM[@]}" capture-pane -p -t "$TMUX_SESSION"; }

@test "top on a terminal (tmux): each container's denials, the last call and the fix, redrawn in place; q quits and gives the screen back" {
	"${TM[@]}" new-session -d -s "$TMUX_SESSION" -x 200 -y 30 \
		"'$SCLENS' top -i 1 --docker-default '$DD' 2>'$BATS_TEST_TMPDIR/top.err'; echo TOP-EXITED \$?; sleep 60"
	for _ in $(seq 100); do screen | grep -q '^sclens top' && break; sleep 0.1; done
	"$SCLENS" profile convert -f "$DD" >"$BATS_TEST_TMPDIR/dd.json"
	a=sclens-top-a-$$
	CONTAINERS+=("$a")
	make_bundle "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/dd.json" "$DOCKER_DEFAULT_CAPS" sh -c "$DATE_NOW; $DATE_NOW"
	run_container "$BATS_TEST_TMPDIR/a" "$a" >/dev/null 2>&1 || true
	# both denials counted (the second comes 0.3 s after the first)
	for _ in $(seq 50); do screen | grep -qE "^ +2 +[0-9.]+ +$a " && break; sleep 0.2; done
	screen
	cat "$BATS_TEST_TMPDIR/top.err"
	line=$(screen | grep "$a (runc)")
	[[ "$line" =~ ^\ +2\ +[0-9.]+\ +$a\ \(runc\) ]]
	[[ "$line" == *"clock_settime errno EPERM"* ]]
	[[ "$line" == *"--cap-add SYS_TIME"* ]]
	# one frame, drawn in place: the header once on the screen
	[ "$(screen | grep -c '^sclens top')" -eq 1 ]
	"${TM[@]}" send-keys -t "$TMUX_SESSION" q
	for _ in $(seq 50); do screen | grep -q TOP-EXITED && break; sleep 0.1; done
	screen | grep -q 'TOP-EXITED 0'
	# the alternate screen is left: the view is gone
	! screen | grep -q '^sclens top'
}

@test "top piped: a snapshot each interval, counts from the kernel (a paced storm of 5,000 is 5,000), --iterations stops it" {
	mkdir "$CG2/sclens-top-$$"
	out=$BATS_TEST_TMPDIR/top.out
	"$SCLENS" top -i 1 --iterations 4 >"$out" 2>"$BATS_TEST_TMPDIR/top.err" &
	pid=$!
	for _ in $(seq 100); do grep -q watching "$BATS_TEST_TMPDIR/top.err" && break; sleep 0.1; done
	sh -c 'echo $$ >"$1/cgroup.procs"; exec "$2" loop_denied 5000' sh "$CG2/sclens-top-$$" "$SCDENY" >/dev/null
	wait "$pid"
	cat "$out"
	[ "$(grep -c '^sclens top' "$out")" -eq 4 ]
	# the last snapshot: the storm's cgroup with every denial the kernel counted
	tail -n 4 "$out" | grep -E "^ +5000 +[0-9.]+ +host /sclens-top-$$ +getppid errno EPERM"
	# no terminal control in a file
	! grep -q $'\033' "$out"
	run "$SCLENS" top --json
	[ "$status" -eq 2 ]
	run "$SCLENS" top --interval 0.1
	[ "$status" -eq 2 ]
}
