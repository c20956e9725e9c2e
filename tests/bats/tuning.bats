#!/usr/bin/env bats
# Tuning profiles from production, end to end with real engines: record a
# busybox workload in Docker (and Podman), generate a profile, run the
# workload under it; tighten Docker's default; try a candidate in shadow
# mode; merge two recordings; the SPO YAML form.
load helpers
source "$ROOT/tests/lib/engines.sh"

setup_file() { engines_setup_file; }
teardown_file() { engines_teardown_file; }

setup() {
	need_root
	need_docker
	# the image must hold /bin/calls (tests/helpers32/calls.c)
	"$DOCKER" run --rm "$ENGINE_IMAGE" ls /bin/calls >/dev/null 2>&1 || {
		"$DOCKER" rmi -f "$ENGINE_IMAGE" >/dev/null 2>&1
		tar -C "$ROOT/build/tests/rootfs" -c . | "$DOCKER" import - "$ENGINE_IMAGE" >/dev/null
	}
}

teardown() {
	[ -n "${WATCH_PID:-}" ] && kill -INT "$WATCH_PID" 2>/dev/null || true
	[ -n "${REC_PID:-}" ] && kill -INT "$REC_PID" 2>/dev/null && wait "$REC_PID" 2>/dev/null || true
	"$DOCKER" rm -f tune-a tune-b tune-c tune-d fleet-a fleet-b >/dev/null 2>&1 || true
	for p in ${D_a:-} ${D_b:-}; do kill -INT "$p" 2>/dev/null || true; done
}

# A few dozen kinds of calls: files, directories, fork and exec (every
# `busybox X` is one), a socket listening and one connecting, time, ids.
# It ends with a pause, so that the recorder has named the container.
SCRIPT_A='set -e
busybox mkdir -p /tmp/w
echo hello >/tmp/w/f
busybox cat /tmp/w/f
busybox wc -c /tmp/w/f
busybox cp /tmp/w/f /tmp/w/g
busybox mv /tmp/w/g /tmp/w/h
busybox ln -s /tmp/w/h /tmp/w/l
busybox readlink /tmp/w/l
busybox chmod 600 /tmp/w/h
busybox ls -l /tmp/w >/dev/null
busybox sort /tmp/w/f
busybox md5sum /tmp/w/f
busybox id -u
busybox uname -m
busybox date +%Y >/dev/null
(busybox nc -l -p 5555 -w 3 >/tmp/w/got &)
busybox sleep 0.3
echo ping | busybox nc -w 1 127.0.0.1 5555 || true
busybox sleep 0.3
busybox rm -rf /tmp/w
echo done
busybox sleep 2'

SCRIPT_B='busybox seq 3 | busybox tac
busybox printf "%s\n" b
busybox basename /a/b
busybox env >/dev/null
echo done
busybox sleep 2'

# record NAME FILE -- docker run args...: runs one container under sclens record
record_docker() {
	local name=$1 out=$2
	shift 3
	"$SCLENS" record --container "$name" -o "$out" >"$BATS_TEST_TMPDIR/rec.out" 2>"$BATS_TEST_TMPDIR/rec.err" &
	REC_PID=$!
	for _ in $(seq 100); do grep -q watching "$BATS_TEST_TMPDIR/rec.err" && break; sleep 0.1; done
	"$DOCKER" run --name "$name" "$@" >"$BATS_TEST_TMPDIR/$name.out"
	kill -INT "$REC_PID"
	wait "$REC_PID"
	REC_PID=
	"$DOCKER" rm -f "$name" >/dev/null
	jq -e '.kind == "sclens-recording"' "$out" >/dev/null
}

@test "record a Docker workload, generate its profile, and run it again under that profile: same output, no denial" {
	rec=$BATS_TEST_TMPDIR/a.rec.json
	record_docker tune-a "$rec" -- "$ENGINE_IMAGE" sh -c "$SCRIPT_A"
	# the container, named, recorded from its start, with the calls of fork, exec and sockets
	jq -e '.recorded | length == 1' "$rec"
	jq -e '.recorded[0] | .container.name == "tune-a" and .container.runtime == "docker" and .from_start' "$rec"
	for c in execve clone socket bind listen connect accept4 openat exit_group; do
		jq -e --arg c "$c" '[.recorded[0].calls[] | select(.syscall == $c or ($c == "accept4" and .syscall == "accept"))] | length > 0' "$rec" >/dev/null ||
			{ echo "not recorded: $c"; false; }
	done
	jq -e '[.recorded[0].args[] | select(.syscall == "socket" and .value == 2)] | length > 0' "$rec" # AF_INET
	run "$SCLENS" profile generate "$rec"
	[ "$status" -eq 0 ]
	echo "$output" >"$BATS_TEST_TMPDIR/gen.json"
	jq -e '.defaultAction == "SCMP_ACT_ERRNO" and (.syscalls | length) >= 2' "$BATS_TEST_TMPDIR/gen.json"
	# far smaller than Docker's default
	[ "$(jq '[.syscalls[] | select(.args == null) | .names[]] | length' "$BATS_TEST_TMPDIR/gen.json")" -lt 150 ]
	start_watch --json
	run "$DOCKER" run --rm --name tune-b --security-opt seccomp="$BATS_TEST_TMPDIR/gen.json" "$ENGINE_IMAGE" sh -c "$SCRIPT_A"
	stop_watch
	echo "$output"
	[ "$status" -eq 0 ]
	# the same output as when it was recorded
	[ "$output" = "$(cat "$BATS_TEST_TMPDIR/tune-a.out")" ]
	[[ "$output" == *done* ]]
	# what the runtime did before the filter was loaded is not allowed
	! jq -e '[.syscalls[].names[]] | index("mount") or index("pivot_root") or index("unshare")' "$BATS_TEST_TMPDIR/gen.json"
	[ "$(denials 'select(.container.name == "tune-b")' | wc -l)" -eq 0 ]
}

@test "the same with Podman: recorded, generated, and run under the profile with no denial" {
	podman_ready || skip "podman cannot run here"
	rec=$BATS_TEST_TMPDIR/p.rec.json
	"$SCLENS" record --container tune-p -o "$rec" >/dev/null 2>"$BATS_TEST_TMPDIR/rec.err" &
	REC_PID=$!
	for _ in $(seq 100); do grep -q watching "$BATS_TEST_TMPDIR/rec.err" && break; sleep 0.1; done
	"${PODMAN[@]}" "${PODMAN_RUN[@]}" --name tune-p "$ENGINE_IMAGE" sh -c "$SCRIPT_B"
	kill -INT "$REC_PID"
	wait "$REC_PID"
	REC_PID=
	"${PODMAN[@]}" rm -f tune-p >/dev/null
	jq -e '.recorded[0].container.runtime == "podman"' "$rec"
	"$SCLENS" profile generate "$rec" >"$BATS_TEST_TMPDIR/p.json"
	start_watch --json
	run "${PODMAN[@]}" "${PODMAN_RUN[@]}" --rm --name tune-p2 --security-opt seccomp="$BATS_TEST_TMPDIR/p.json" "$ENGINE_IMAGE" sh -c "$SCRIPT_B"
	stop_watch
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *done* ]]
	[ "$(denials 'select(.container.name == "tune-p2")' | wc -l)" -eq 0 ]
}

@test "tighten Docker's default for the workload; shadow mode names the one call it lacks, and the real run is denied it" {
	rec=$BATS_TEST_TMPDIR/a.rec.json
	record_docker tune-a "$rec" -- "$ENGINE_IMAGE" sh -c "$SCRIPT_A"
	"$SCLENS" profile tighten --profile docker-20.10 --patch "$BATS_TEST_TMPDIR/patch.json" "$rec" \
		>"$BATS_TEST_TMPDIR/tight.json" 2>"$BATS_TEST_TMPDIR/table"
	output=$(cat "$BATS_TEST_TMPDIR/table")
	before=$("$SCLENS" profile show docker-20.10 | jq '[.syscalls[] | .names[]] | length')
	after=$(jq '[.syscalls[] | .names[]] | length' "$BATS_TEST_TMPDIR/tight.json")
	echo "names: $before before, $after after" >&3
	[ "$after" -lt "$before" ]
	# the removed list names calls the workload never made, and keeps the ones it did
	[[ "$output" == *"sync "*"removed: never called"* ]]
	! echo "$output" | grep -q '^execve .*removed'
	jq -e 'length > 0 and all(.op == "remove" or .op == "replace")' "$BATS_TEST_TMPDIR/patch.json"
	# the workload still runs under it
	run "$DOCKER" run --rm --name tune-c --security-opt seccomp="$BATS_TEST_TMPDIR/tight.json" "$ENGINE_IMAGE" sh -c "$SCRIPT_A"
	[ "$status" -eq 0 ]
	# one call more (sync), first in shadow mode under Docker's default: reported, not denied
	"$DOCKER" run -d --name tune-d "$ENGINE_IMAGE" sh -c 'busybox sleep 2; busybox sync; busybox sleep 1' >/dev/null
	start_watch --json --container tune-d --shadow "$BATS_TEST_TMPDIR/tight.json"
	"$DOCKER" wait tune-d >/dev/null
	stop_watch
	jq -c 'select(.type == "would_deny")' "$WATCH_OUT" >"$BATS_TEST_TMPDIR/wd"
	cat "$BATS_TEST_TMPDIR/wd" | cut -c1-300
	[ "$(jq -s '[.[] | .syscall] | unique' "$BATS_TEST_TMPDIR/wd" | jq -c .)" = '["sync"]' ]
	jq -se 'all(.container.name == "tune-d" and .action == "errno" and .errno_name == "EPERM" and .explanation.profile != null)' "$BATS_TEST_TMPDIR/wd"
	[ "$(denials 'select(.container.name == "tune-d")' | wc -l)" -eq 0 ]
	# and for real, under the tightened profile: sync is denied
	start_watch --json
	"$DOCKER" run --rm --name tune-c --security-opt seccomp="$BATS_TEST_TMPDIR/tight.json" "$ENGINE_IMAGE" busybox sync || true
	stop_watch
	[ "$(denials 'select(.container.name == "tune-c" and .syscall == "sync" and .errno_name == "EPERM")' | wc -l)" -eq 1 ]
}

@test "merge the recordings of two containers running different scripts: the merged profile runs both" {
	record_docker tune-a "$BATS_TEST_TMPDIR/a.rec.json" -- "$ENGINE_IMAGE" sh -c "$SCRIPT_A"
	record_docker tune-b "$BATS_TEST_TMPDIR/b.rec.json" -- "$ENGINE_IMAGE" sh -c "$SCRIPT_B"
	"$SCLENS" profile merge "$BATS_TEST_TMPDIR/a.rec.json" "$BATS_TEST_TMPDIR/b.rec.json" >"$BATS_TEST_TMPDIR/m.json"
	"$SCLENS" profile generate "$BATS_TEST_TMPDIR/b.rec.json" >"$BATS_TEST_TMPDIR/b.json"
	# the merged profile allows more than either alone
	run "$SCLENS" profile diff "$BATS_TEST_TMPDIR/b.json" "$BATS_TEST_TMPDIR/m.json"
	[ "$status" -eq 1 ]
	[[ "$output" == *"socket"* ]]
	for s in "$SCRIPT_A" "$SCRIPT_B"; do
		run "$DOCKER" run --rm --name tune-c --security-opt seccomp="$BATS_TEST_TMPDIR/m.json" "$ENGINE_IMAGE" sh -c "$s"
		[ "$status" -eq 0 ]
		[[ "$output" == *done* ]]
	done
}

@test "across a fleet: two daemons (two hosts, each with its own state) record the same image; merged, Docker's default tightened with both, the candidate in shadow flags only the call removed on purpose" {
	# each daemon records the container of its own "host"
	for h in a b; do
		"$SCLENS" daemon --metrics-addr none --container "fleet-$h" --record "$BATS_TEST_TMPDIR/$h.rec.json" \
			--log-file "$BATS_TEST_TMPDIR/$h.log.json" 2>"$BATS_TEST_TMPDIR/$h.err" &
		eval "D_$h=\$!"
		for _ in $(seq 100); do grep -q watching "$BATS_TEST_TMPDIR/$h.err" && break; sleep 0.1; done
	done
	"$DOCKER" run --name fleet-a "$ENGINE_IMAGE" sh -c "$SCRIPT_A" >/dev/null
	"$DOCKER" run --name fleet-b "$ENGINE_IMAGE" sh -c "$SCRIPT_B" >/dev/null
	kill -INT "$D_a" "$D_b"
	wait "$D_a"
	wait "$D_b"
	D_a= D_b=
	"$DOCKER" rm -f fleet-a fleet-b >/dev/null
	jq -e '[.recorded[] | select(.container.name == "fleet-a")] | length == 1' "$BATS_TEST_TMPDIR/a.rec.json"
	jq -e '[.recorded[] | select(.container.name == "fleet-b")] | length == 1' "$BATS_TEST_TMPDIR/b.rec.json"
	# merged: the image's profile from the whole fleet runs both workloads
	"$SCLENS" profile merge "$BATS_TEST_TMPDIR/a.rec.json" "$BATS_TEST_TMPDIR/b.rec.json" >"$BATS_TEST_TMPDIR/m.json"
	for s in "$SCRIPT_A" "$SCRIPT_B"; do
		run "$DOCKER" run --rm --name tune-c --security-opt seccomp="$BATS_TEST_TMPDIR/m.json" "$ENGINE_IMAGE" sh -c "$s"
		[ "$status" -eq 0 ]
	done
	# Docker's default tightened with the fleet's evidence
	"$SCLENS" profile tighten --profile docker-20.10 "$BATS_TEST_TMPDIR/a.rec.json" "$BATS_TEST_TMPDIR/b.rec.json" \
		>"$BATS_TEST_TMPDIR/tight.json" 2>/dev/null
	jq -e '[.syscalls[] | .names[]] | index("sync") == null' "$BATS_TEST_TMPDIR/tight.json"
	# in shadow on a live container doing both workloads and one sync:
	# only sync would be denied, and nothing is
	"$DOCKER" run -d --name tune-d "$ENGINE_IMAGE" sh -c "busybox sleep 2; $SCRIPT_B; $SCRIPT_A; busybox sync" >/dev/null
	start_watch --json --container tune-d --shadow "$BATS_TEST_TMPDIR/tight.json"
	"$DOCKER" wait tune-d >/dev/null
	stop_watch
	jq -c 'select(.type == "would_deny") | .syscall' "$WATCH_OUT" | sort | uniq -c
	[ "$(jq -sc '[.[] | select(.type == "would_deny") | .syscall] | unique' "$WATCH_OUT")" = '["sync"]' ]
	[ "$(denials 'select(.container.name == "tune-d")' | wc -l)" -eq 0 ]
}

@test "generate --format spo: a SeccompProfile SPO reads, and sclens reads it back to the same profile" {
	record_docker tune-b "$BATS_TEST_TMPDIR/b.rec.json" -- "$ENGINE_IMAGE" sh -c "$SCRIPT_B"
	"$SCLENS" profile generate "$BATS_TEST_TMPDIR/b.rec.json" >"$BATS_TEST_TMPDIR/b.json"
	"$SCLENS" profile generate --format spo --name tune-b "$BATS_TEST_TMPDIR/b.rec.json" >"$BATS_TEST_TMPDIR/b.yaml"
	/usr/bin/python3 - "$BATS_TEST_TMPDIR/b.yaml" <<'PY'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
assert d["apiVersion"] == "security-profiles-operator.x-k8s.io/v1beta1", d["apiVersion"]
assert d["kind"] == "SeccompProfile" and d["metadata"]["name"] == "tune-b"
s = d["spec"]
assert s["defaultAction"] == "SCMP_ACT_ERRNO" and s["architectures"] == ["SCMP_ARCH_X86_64"]
assert all(set(e) <= {"names", "action", "args", "errnoRet"} for e in s["syscalls"])
assert any("execve" in e["names"] for e in s["syscalls"])
PY
	run "$SCLENS" profile diff "$BATS_TEST_TMPDIR/b.json" "$BATS_TEST_TMPDIR/b.yaml"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"0 differences"* ]]
	# and any command that reads a profile takes it
	run "$SCLENS" explain -f "$BATS_TEST_TMPDIR/b.yaml" -s sync
	[[ "$output" == *"errno"* ]]
}

@test "a recording under a storm of 1,000,000 calls of one kind counts exactly" {
	# the shell and the runtime make a few getppid calls of their own:
	# counted by the same container without the storm
	record_docker tune-a "$BATS_TEST_TMPDIR/base.rec.json" -- "$ENGINE_IMAGE" sh -c 'calls 0 0; busybox sleep 2'
	record_docker tune-b "$BATS_TEST_TMPDIR/s.rec.json" -- "$ENGINE_IMAGE" sh -c 'calls 1000000 0; busybox sleep 2'
	n() { jq '[.recorded[0].calls[] | select(.syscall == "getppid") | .count] | add // 0' "$1"; }
	base=$(n "$BATS_TEST_TMPDIR/base.rec.json")
	storm=$(n "$BATS_TEST_TMPDIR/s.rec.json")
	echo "getppid: $base without the storm, $storm with it" >&3
	[ "$storm" -eq $((base + 1000000)) ]
	jq -e '.lost.calls == 0' "$BATS_TEST_TMPDIR/s.rec.json"
}

@test "record and profile commands: clear errors" {
	run "$SCLENS" profile generate /nonexistent.json
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot read /nonexistent.json"* ]]
	echo '{"defaultAction": "SCMP_ACT_ALLOW"}' >"$BATS_TEST_TMPDIR/notrec.json"
	run "$SCLENS" profile generate "$BATS_TEST_TMPDIR/notrec.json"
	[ "$status" -eq 4 ]
	[[ "$output" == *"is not a recording of sclens record"* ]]
	run "$SCLENS" profile generate --format xml "$BATS_TEST_TMPDIR/notrec.json"
	[ "$status" -eq 2 ]
	run "$SCLENS" profile tighten "$BATS_TEST_TMPDIR/notrec.json"
	[ "$status" -eq 2 ]
	run "$SCLENS" watch --shadow docker-20.10 -d 1
	[ "$status" -eq 2 ]
	[[ "$output" == *"--shadow needs --container"* ]]
	run "$SCLENS" record -o /proc/nope/rec.json -d 1
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot write /proc/nope/rec.json"* ]]
}
