#!/usr/bin/env bats
# The real engines, with sclens given no profile option: Docker (20.10,
# Debian's docker.io, its dockerd started here), Podman and containerd's
# ctr. Each runs the reference case (date -s, and the static settime-now
# helper that sets the clock to its own current value: the clock never
# moves) and sclens must name the rule and the fix in the engine's words.
load helpers
source "$ROOT/tests/lib/engines.sh"

setup_file() { engines_setup_file; }
teardown_file() { engines_teardown_file; }

setup() {
	need_root
	need_docker
}

teardown() {
	[ -n "${WATCH_PID:-}" ] && kill -INT "$WATCH_PID" 2>/dev/null || true
	"$DOCKER" rm -f sclens-long sclens-bl-long >/dev/null 2>&1 || true
}

profile_file() { # profile_file NAME JSON
	printf '%s\n' "$2" >"$BATS_TEST_TMPDIR/$1"
	echo "$BATS_TEST_TMPDIR/$1"
}

@test "Docker, the reference case: docker run --rm ... date -s, explained with --cap-add SYS_TIME" {
	start_watch --json
	run "$DOCKER" run --rm --name sclens-ref "$ENGINE_IMAGE" date -s "$(now)"
	[[ "$output" == *"Operation not permitted"* ]] # busybox's date exits 0 all the same
	run "$DOCKER" run --rm --name sclens-ref2 "$ENGINE_IMAGE" settime-now
	[ "$status" -ne 0 ]
	# with the capability the call passes the filter and sclens is silent
	run "$DOCKER" run --rm --name sclens-ok --cap-add SYS_TIME "$ENGINE_IMAGE" settime-now
	[ "$status" -eq 0 ]
	stop_watch
	denials 'select(.container.name == "sclens-ref" or .container.name == "sclens-ref2")' >"$BATS_TEST_TMPDIR/d"
	[ "$(jq -s 'length' "$BATS_TEST_TMPDIR/d")" -eq 2 ]
	jq -se 'all(.syscall == "clock_settime" and .errno_name == "EPERM" and .container.runtime == "docker")' "$BATS_TEST_TMPDIR/d"
	# the rule: Docker 20.10's default, its CAP_SYS_TIME entry; the fix in Docker's words
	jq -se 'all(.explanation.profile == "Docker 20.10 default" and .explanation.profile_ref == "docker-20.10")' "$BATS_TEST_TMPDIR/d"
	jq -se '.[0].explanation.fix[0] | .kind == "capability" and .capability == "CAP_SYS_TIME" and .command == "docker run --cap-add SYS_TIME ..." and (.entry.names | index("clock_settime"))' "$BATS_TEST_TMPDIR/d"
	[ "$(denials 'select(.container.name == "sclens-ok")' | wc -l)" -eq 0 ]
	# the human form says it too
	start_watch
	"$DOCKER" run --rm --name sclens-ref3 "$ENGINE_IMAGE" date -s "$(now)" || true
	stop_watch
	grep -q 'sclens-ref3 .*clock_settime' "$WATCH_OUT"
	grep -q 'why:  Docker 20.10 default allows .*clock_settime only for containers with CAP_SYS_TIME' "$WATCH_OUT"
	grep -q 'fix:  docker run --cap-add SYS_TIME' "$WATCH_OUT"
}

@test "Docker with the seed's blacklist profile: the entry of the user's own profile is named" {
	bl=$(profile_file blacklist.json '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["fchdir", "flock", "getuid"], "action": "SCMP_ACT_ERRNO"}]}')
	start_watch --json
	run "$DOCKER" run --rm --name sclens-bl --security-opt seccomp="$bl" "$ENGINE_IMAGE" id -u
	stop_watch
	denials 'select(.container.name == "sclens-bl" and .syscall == "getuid")' >"$BATS_TEST_TMPDIR/d"
	[ -s "$BATS_TEST_TMPDIR/d" ]
	jq -se '.[0].explanation | .profile == "the profile given to docker run --security-opt seccomp=" and .rule.index == 0 and .rule.names == ["fchdir","flock","getuid"] and .decided_by == "entry"' "$BATS_TEST_TMPDIR/d"
	jq -se '.[0].explanation.fix[0] | .kind == "profile" and .command == "docker run --security-opt seccomp=FIXED.json ..." and .json_patch[0].path == "/syscalls/0/names"' "$BATS_TEST_TMPDIR/d"
}

@test "Docker with the seed's whitelist profile: the container cannot start, and sclens says why" {
	wl=$(profile_file whitelist.json '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["mount", "chmod", "chown"], "action": "SCMP_ACT_ALLOW"}]}')
	start_watch --json
	run "$DOCKER" run --rm --name sclens-wl --security-opt seccomp="$wl" "$ENGINE_IMAGE" true
	[ "$status" -ne 0 ]
	stop_watch
	denials 'select(.container.name == "sclens-wl")' >"$BATS_TEST_TMPDIR/d"
	[ -s "$BATS_TEST_TMPDIR/d" ]
	# denied in runc's init, before the container's command: it never started
	jq -se '.[0] | .in_runtime_init == true and .explanation.decided_by == "default_action" and .explanation.fix[0].kind == "profile"' "$BATS_TEST_TMPDIR/d"
	start_watch
	"$DOCKER" run --rm --name sclens-wl2 --security-opt seccomp="$wl" "$ENGINE_IMAGE" true || true
	stop_watch
	grep -q "sclens-wl2 .*the container cannot start unless the profile allows this call" "$WATCH_OUT"
}

@test "Docker: docker exec into a running container, and two containers with different profiles at once" {
	bl=$(profile_file blacklist.json '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["fchdir", "flock", "getuid"], "action": "SCMP_ACT_ERRNO"}, {"names": ["clock_settime"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]}')
	"$DOCKER" run -d --name sclens-long "$ENGINE_IMAGE" sleep 120 >/dev/null
	"$DOCKER" run -d --name sclens-bl-long --security-opt seccomp="$bl" "$ENGINE_IMAGE" sleep 120 >/dev/null
	start_watch --json
	"$DOCKER" exec sclens-long date -s "$(now)" || true
	"$DOCKER" exec sclens-bl-long settime-now || true
	stop_watch
	denials 'select(.container.name == "sclens-long")' | jq -se '.[0] | .syscall == "clock_settime" and .errno == 1 and .explanation.profile == "Docker 20.10 default" and .explanation.fix[0].command == "docker run --cap-add SYS_TIME ..."'
	denials 'select(.container.name == "sclens-bl-long")' | jq -se '.[0] | .syscall == "clock_settime" and .errno == 13 and .explanation.rule.index == 1 and (.explanation.profile | startswith("the profile given to docker run"))'
}

@test "--image: containers selected by their image, with or without tag or registry, in Docker and Podman" {
	"$DOCKER" tag "$ENGINE_IMAGE" sclens-other:7
	start_watch --json --image sclens-other
	"$DOCKER" run --rm --name sclens-img-a sclens-other:7 settime-now || true
	"$DOCKER" run --rm --name sclens-img-b "$ENGINE_IMAGE" settime-now || true
	stop_watch
	[ "$(denials '.container.name' | sort -u | tr '\n' ' ')" = '"sclens-img-a" ' ]
	denials 'select(.container.name == "sclens-img-a")' | jq -se '.[0] | .container.image == "sclens-other:7" and .syscall == "clock_settime"'
	# another tag than the one it runs: nothing
	start_watch --json --image sclens-other:8
	"$DOCKER" run --rm --name sclens-img-a sclens-other:7 settime-now || true
	stop_watch
	[ "$(denials | wc -l)" -eq 0 ]
	"$DOCKER" rmi sclens-other:7 >/dev/null
	podman_ready || skip "podman cannot run here (Docker's part passed)"
	# Podman keeps localhost/NAME:latest: the name as typed selects it,
	# and Docker's container of the same name with it
	start_watch --json --image "$ENGINE_IMAGE:latest"
	"${PODMAN[@]}" "${PODMAN_RUN[@]}" --rm --name sclens-img-p "$ENGINE_IMAGE" settime-now || true
	"$DOCKER" run --rm --name sclens-img-b "$ENGINE_IMAGE" settime-now || true
	stop_watch
	denials '[.container.runtime, .container.image]' | sort -u
	[ "$(denials '.container.name' | sort -u | tr '\n' ' ')" = '"sclens-img-b" "sclens-img-p" ' ]
	denials 'select(.container.name == "sclens-img-p")' | jq -se '.[0].container.image | startswith("localhost/")'
}

@test "Podman: the reference case, explained with Podman's own default and command line" {
	podman_ready || skip "podman cannot run here"
	start_watch --json
	run "${PODMAN[@]}" "${PODMAN_RUN[@]}" --rm --name sclens-pref "$ENGINE_IMAGE" date -s "$(now)"
	[[ "$output" == *"Operation not permitted"* ]]
	stop_watch
	denials 'select(.container.name == "sclens-pref")' >"$BATS_TEST_TMPDIR/d"
	[ -s "$BATS_TEST_TMPDIR/d" ]
	jq -se '.[0] | .container.runtime == "podman" and .syscall == "clock_settime"' "$BATS_TEST_TMPDIR/d"
	jq -se '.[0].explanation | .profile_ref == "podman" and (.profile | endswith("containers/seccomp.json")) and .fix[0].command == "podman run --cap-add SYS_TIME ..."' "$BATS_TEST_TMPDIR/d"
}

@test "containerd (ctr run --seccomp): its generated default recognised, the fix in ctr's words" {
	ctr_ready || skip "ctr cannot run here"
	start_watch --json
	run "${CTR[@]}" run --rm --seccomp "docker.io/library/$ENGINE_IMAGE:latest" sclens-cref date -s "$(now)"
	stop_watch
	denials 'select(.container.id == "sclens-cref")' >"$BATS_TEST_TMPDIR/d"
	[ -s "$BATS_TEST_TMPDIR/d" ]
	jq -se '.[0] | .container.runtime == "containerd" and .syscall == "clock_settime"' "$BATS_TEST_TMPDIR/d"
	# ctr's default is the one containerd's CRI gives RuntimeDefault: the same code
	jq -se '.[0].explanation | .profile_ref == "containerd-1.6" and (.profile | startswith("containerd'"'"'s RuntimeDefault")) and (.fix[0].command | startswith("ctr run --cap-add CAP_SYS_TIME"))' "$BATS_TEST_TMPDIR/d"
}
