#!/usr/bin/env bats
# sclens posture on real Docker and Podman containers (started here), a
# privileged container from a fixture (Docker cannot start one on these
# machines: root lacks CAP_SYS_RESOURCE), host fixture trees for the KISA
# checklist's files, and a real dockerd with and without --icc=false.
load helpers
source "$ROOT/tests/lib/engines.sh"

D=aaaa1111bbbb2222cccc3333dddd4444eeee5555ffff6666aaaa7777bbbb8888

setup_file() { engines_setup_file; }
teardown_file() { engines_teardown_file; }

setup() {
	need_root
	CREATED=()
}

teardown() {
	"$DOCKER" rm -f sclens-p-default sclens-p-unconf sclens-p-sysadmin sclens-p-user >/dev/null 2>&1 || true
	"${PODMAN[@]}" rm -f sclens-pp-default sclens-pp-unconf >/dev/null 2>&1 || true
	[ -n "${SLEEPER:-}" ] && kill "$SLEEPER" 2>/dev/null && wait "$SLEEPER" 2>/dev/null || true
	local i
	for (( i=${#CREATED[@]}-1; i>=0; i-- )); do rmdir "${CREATED[$i]}" 2>/dev/null || true; done
}

posture_json() { # posture_json ARGS...: the JSON, in $BATS_TEST_TMPDIR/p.json
	"$SCLENS" posture --json "$@" >"$BATS_TEST_TMPDIR/p.json" || true
	jq -e .type "$BATS_TEST_TMPDIR/p.json" >/dev/null
}

findings_of() { # findings_of SUBJECT: its checks, sorted, one line
	jq -r --arg s "$1" '[.findings[] | select(.subject == $s) | .level + ":" + .check] | sort | join(" ")' "$BATS_TEST_TMPDIR/p.json"
}

@test "real Docker containers: default, unconfined, --cap-add SYS_ADMIN, --user 1000, each classified" {
	need_docker
	"$DOCKER" run -d --name sclens-p-default "$ENGINE_IMAGE" sleep 120 >/dev/null
	"$DOCKER" run -d --name sclens-p-unconf --security-opt seccomp=unconfined "$ENGINE_IMAGE" sleep 120 >/dev/null
	"$DOCKER" run -d --name sclens-p-sysadmin --cap-add SYS_ADMIN "$ENGINE_IMAGE" sleep 120 >/dev/null
	"$DOCKER" run -d --name sclens-p-user --user 1000 "$ENGINE_IMAGE" sleep 120 >/dev/null
	posture_json
	[ "$(findings_of docker/sclens-p-default)" = "low:no_new_privs medium:runs_as_root" ]
	[ "$(findings_of docker/sclens-p-unconf)" = "high:seccomp_unconfined low:no_new_privs medium:runs_as_root" ]
	[ "$(findings_of docker/sclens-p-sysadmin)" = "high:capability_added low:no_new_privs medium:runs_as_root" ]
	[ "$(findings_of docker/sclens-p-user)" = "low:no_new_privs" ]
	jq -e '.containers[] | select(.container.name == "sclens-p-default") | .seccomp == "filter" and .profile == "Docker 20.10 default"' "$BATS_TEST_TMPDIR/p.json"
	jq -e '.findings[] | select(.subject == "docker/sclens-p-unconf" and .check == "seccomp_unconfined") | .fix == "remove --security-opt seccomp=unconfined"' "$BATS_TEST_TMPDIR/p.json"
	jq -e '.findings[] | select(.subject == "docker/sclens-p-sysadmin" and .check == "capability_added") | (.message | startswith("CAP_SYS_ADMIN")) and .fix == "docker run without --cap-add SYS_ADMIN"' "$BATS_TEST_TMPDIR/p.json"
	jq -e '.findings[] | select(.subject == "docker/sclens-p-default" and .check == "runs_as_root") | .fix == "docker run --user 1000 ..."' "$BATS_TEST_TMPDIR/p.json"
	# the table says the same
	run "$SCLENS" posture
	[[ "$output" == *"docker/sclens-p-unconf"*"none"*"none (unconfined)"* ]]
	[[ "$output" == *"high   docker/sclens-p-unconf"*"seccomp_unconfined"* ]]
}

@test "real Podman containers: default and unconfined" {
	need_docker
	podman_ready || skip "podman cannot run here"
	"${PODMAN[@]}" "${PODMAN_RUN[@]}" -d --name sclens-pp-default "$ENGINE_IMAGE" sleep 120 >/dev/null
	"${PODMAN[@]}" "${PODMAN_RUN[@]}" -d --name sclens-pp-unconf --security-opt seccomp=unconfined "$ENGINE_IMAGE" sleep 120 >/dev/null
	posture_json
	[ "$(findings_of podman/sclens-pp-default)" = "low:no_new_privs medium:runs_as_root" ]
	[ "$(findings_of podman/sclens-pp-unconf)" = "high:seccomp_unconfined low:no_new_privs medium:runs_as_root" ]
	jq -e '.containers[] | select(.container.name == "sclens-pp-default") | .profile | startswith("Podman/CRI-O default")' "$BATS_TEST_TMPDIR/p.json"
	jq -e '.findings[] | select(.subject == "podman/sclens-pp-unconf" and .check == "runs_as_root") | .fix == "podman run --user 1000 ..."' "$BATS_TEST_TMPDIR/p.json"
}

@test "a privileged Docker container (fixture metadata, a real process in its cgroup)" {
	CG=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
	[ -n "$CG" ] || skip "no cgroup v2 hierarchy mounted"
	fix=$BATS_TEST_TMPDIR/docker
	mkdir -p "$fix/containers/$D"
	echo '{"Name":"/priv","Config":{"Image":"busybox"}}' >"$fix/containers/$D/config.v2.json"
	echo '{"Privileged":true,"CapAdd":null,"SecurityOpt":["label=disable"]}' >"$fix/containers/$D/hostconfig.json"
	# where Docker's systemd driver puts it (a name only counts there)
	for part in system.slice "system.slice/docker-$D.scope"; do
		[ -d "$CG/$part" ] || { mkdir "$CG/$part"; CREATED+=("$CG/$part"); }
	done
	sh -c 'echo $$ > "$1/cgroup.procs" && exec sleep 60' sh "$CG/system.slice/docker-$D.scope" &
	SLEEPER=$!
	sleep 0.3
	posture_json --docker-root "$fix"
	jq -e '.findings[] | select(.subject == "docker/priv" and .check == "privileged") | .level == "high" and .fix == "remove --privileged"' "$BATS_TEST_TMPDIR/p.json"
	jq -e '.containers[] | select(.container.name == "priv") | .privileged == true' "$BATS_TEST_TMPDIR/p.json"
}

# host_tree NAME: an empty host root with Docker "installed"
host_tree() {
	local h=$BATS_TEST_TMPDIR/$1
	mkdir -p "$h/etc/audit/rules.d" "$h/usr/bin" "$h/usr/sbin"
	touch "$h/usr/bin/docker" "$h/usr/sbin/dockerd"
	printf 'root:x:0:\ndocker:x:998:\n' >"$h/etc/group"
	echo "$h"
}

host_checks() { # host_checks ROOT: the host's checks, sorted, one line
	posture_json --host-root "$1"
	findings_of host
}

@test "host: docker group members, from /etc/group" {
	h=$(host_tree group)
	[[ "$(host_checks "$h")" != *docker_group_member* ]]
	printf 'root:x:0:\ndocker:x:998:alice,root,bob\n' >"$h/etc/group"
	host_checks "$h" >/dev/null
	[ "$(jq -r '[.findings[] | select(.check == "docker_group_member") | .message] | join("|")' "$BATS_TEST_TMPDIR/p.json")" = \
		"user alice is in the docker group: the Docker socket makes them root on this host|user bob is in the docker group: the Docker socket makes them root on this host" ]
	jq -e '[.findings[] | select(.check == "docker_group_member")] | all(.level == "high" and .source == "KISA 2024 container checklist")' "$BATS_TEST_TMPDIR/p.json"
}

@test "host: audit rules on Docker's files, present or absent" {
	h=$(host_tree audit)
	[ "$(host_checks "$h")" = "low:audit_docker medium:audit_docker medium:docker_icc" ]
	jq -e '.findings[] | select(.check == "audit_docker" and .level == "medium") | .message == "no audit rule watches /usr/bin/docker"' "$BATS_TEST_TMPDIR/p.json"
	printf -- '-w /usr/bin/docker -p rwxa -k docker\n# -w /usr/sbin/dockerd -k docker\n' >"$h/etc/audit/rules.d/docker.rules"
	[ "$(host_checks "$h")" = "low:audit_docker medium:docker_icc" ]
	printf -- '-w /usr/sbin/dockerd -k docker\n' >"$h/etc/audit/audit.rules"
	[ "$(host_checks "$h")" = "medium:docker_icc" ]
}

@test "host: icc from daemon.json and /etc/default/docker" {
	h=$(host_tree icc)
	mkdir "$h/etc/docker"
	printf -- '-w /usr/bin/docker -k d\n-w /usr/sbin/dockerd -k d\n-w /etc/docker -k d\n-w /etc/default/docker -k d\n' >"$h/etc/audit/audit.rules"
	[ "$(host_checks "$h")" = "medium:docker_icc" ]
	echo '{"icc": false, "log-driver": "json-file"}' >"$h/etc/docker/daemon.json"
	[ "$(host_checks "$h")" = "info:docker_icc" ]
	jq -e '.findings[] | select(.check == "docker_icc") | .message | endswith("(/etc/docker/daemon.json)")' "$BATS_TEST_TMPDIR/p.json"
	echo '{"icc": true}' >"$h/etc/docker/daemon.json"
	[ "$(host_checks "$h")" = "medium:docker_icc" ]
	rm "$h/etc/docker/daemon.json"
	mkdir -p "$h/etc/default"
	echo 'DOCKER_OPTS="--icc=false --log-level warn"' >"$h/etc/default/docker"
	[ "$(host_checks "$h")" = "info:docker_icc" ]
}

@test "a real dockerd: icc read from its command line, with and without --icc=false" {
	need_docker
	[ -f "$ENGINE_STATE/dockerd.pid" ] || skip "dockerd was not started by the tests: not restarting it"
	posture_json
	jq -e '.findings[] | select(.check == "docker_icc") | .level == "medium"' "$BATS_TEST_TMPDIR/p.json" ||
		jq -e '.findings[] | select(.check == "docker_icc") | .message | contains("daemon.json")' "$BATS_TEST_TMPDIR/p.json"
	stop_dockerd
	# Docker refuses --icc=false without iptables: on for this one
	DOCKERD_ARGS="--iptables=true --icc=false" start_dockerd
	posture_json
	jq -e '.findings[] | select(.check == "docker_icc") | .level == "info" and (.message | endswith("(the running dockerd'"'"'s command line)"))' "$BATS_TEST_TMPDIR/p.json"
	stop_dockerd
	start_dockerd
}

@test "exit status: 5 when a finding is at or above --fail-on, else 0; a bad level is a usage error" {
	h=$(host_tree exit)
	printf 'docker:x:998:alice\n' >"$h/etc/group" # a high finding
	for level in high medium low info; do
		run "$SCLENS" posture --host-root "$h" --fail-on "$level"
		[ "$status" -eq 5 ]
	done
	printf 'docker:x:998:\n' >"$h/etc/group"
	mkdir "$h/etc/docker"
	printf -- '-w /usr/bin/docker -k d\n-w /usr/sbin/dockerd -k d\n-w /etc/docker -k d\n' >"$h/etc/audit/audit.rules"
	echo '{"icc": false}' >"$h/etc/docker/daemon.json"
	# what is left is the machine's own containers, if any: the exit status follows the worst
	posture_json --host-root "$h"
	worst=$(jq -r .worst "$BATS_TEST_TMPDIR/p.json")
	run "$SCLENS" posture --host-root "$h" --fail-on high
	if [ "$worst" = high ]; then [ "$status" -eq 5 ]; else [ "$status" -eq 0 ]; fi
	run "$SCLENS" posture --host-root "$h" --fail-on info
	[ "$status" -eq 5 ]
	run "$SCLENS" posture --fail-on severe
	[ "$status" -eq 2 ]
	[[ "$output" == *"--fail-on takes high, medium, low or info"* ]]
}

@test "--host-root that is not a directory is a usage error; the capture method said is the one watch would try" {
	run "$SCLENS" posture --host-root "$BATS_TEST_TMPDIR/nonexistent"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--host-root $BATS_TEST_TMPDIR/nonexistent: No such file or directory"* ]]
	posture_json
	what=$(jq -r '.findings[] | select(.check == "sclens_ready") | .detail // .message // .what' "$BATS_TEST_TMPDIR/p.json")
	echo "$what"
	[[ "$what" != *"raw tracepoints"* ]]
	[[ "$what" == *"capture method: "*"hook"* ]]
}
