# Real container engines for the tests: Debian's docker.io (dockerd started
# here, without systemd), podman, and containerd's ctr against Docker's own
# containerd. Images are made offline from the test rootfs (busybox-static
# and the static settime-now helper). Sourced by bats files.

DOCKER=/usr/bin/docker
ENGINE_IMAGE=sclens-busybox
ENGINE_STATE=${BATS_FILE_TMPDIR:-/tmp}/engines
PODMAN=(podman --runtime runc --cgroup-manager cgroupfs)
# podman's defaults ask for rlimits this machine's hard limits refuse
PODMAN_RUN=(run --ulimit nofile=1024:20000 --ulimit nproc=1024:1024)
CTR=(ctr -a /run/docker/containerd/containerd.sock -n default)

# start_dockerd: uses a running dockerd, or starts one (stopped by
# stop_dockerd); imports the test image. Returns 1 when Docker cannot run.
start_dockerd() {
	mkdir -p "$ENGINE_STATE"
	[ -x /usr/sbin/dockerd ] && [ -x "$DOCKER" ] || return 1
	if ! "$DOCKER" info >/dev/null 2>&1; then
		# shellcheck disable=SC2086 # DOCKERD_ARGS: extra flags, split on purpose
		/usr/sbin/dockerd --iptables=false --bridge=none ${DOCKERD_ARGS:-} >"$ENGINE_STATE/dockerd.log" 2>&1 &
		echo $! >"$ENGINE_STATE/dockerd.pid"
		for _ in $(seq 60); do
			"$DOCKER" info >/dev/null 2>&1 && break
			sleep 0.5
		done
		"$DOCKER" info >/dev/null 2>&1 || { cat "$ENGINE_STATE/dockerd.log" >&2; return 1; }
	fi
	"$DOCKER" image inspect "$ENGINE_IMAGE" >/dev/null 2>&1 ||
		tar -C "$ROOT/build/tests/rootfs" -c . | "$DOCKER" import - "$ENGINE_IMAGE" >/dev/null
}

stop_dockerd() {
	[ -f "$ENGINE_STATE/dockerd.pid" ] || return 0
	local pid
	pid=$(cat "$ENGINE_STATE/dockerd.pid")
	"$DOCKER" ps -aq | xargs -r "$DOCKER" rm -f >/dev/null 2>&1 || true
	kill -TERM "$pid" 2>/dev/null || true
	for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
	rm -f "$ENGINE_STATE/dockerd.pid"
}

# podman_ready: the test image in Podman's store
podman_ready() {
	command -v podman >/dev/null || return 1
	"${PODMAN[@]}" image exists "$ENGINE_IMAGE" 2>/dev/null ||
		tar -C "$ROOT/build/tests/rootfs" -c . | "${PODMAN[@]}" import - "$ENGINE_IMAGE" >/dev/null 2>&1
}

# ctr_ready: the test image in Docker's containerd (namespace default)
ctr_ready() {
	command -v ctr >/dev/null && [ -S /run/docker/containerd/containerd.sock ] || return 1
	"${CTR[@]}" image ls -q | grep -q "$ENGINE_IMAGE" && return 0
	"$DOCKER" save "$ENGINE_IMAGE" >"$ENGINE_STATE/image.tar" &&
		"${CTR[@]}" image import --all-platforms "$ENGINE_STATE/image.tar" >/dev/null
}

now() { date '+%Y-%m-%d %H:%M:%S'; }

# For bats files that need Docker: start it once per file (setup_file),
# stop it after (teardown_file); need_docker skips a test without it.
engines_setup_file() {
	[ "$(id -u)" = 0 ] || return 0
	start_dockerd || echo "no docker" >"$BATS_FILE_TMPDIR/no-docker"
}

engines_teardown_file() {
	stop_dockerd
}

need_docker() {
	[ ! -e "$BATS_FILE_TMPDIR/no-docker" ] || skip "Docker cannot run here (docker.io missing, or dockerd did not start)"
}
