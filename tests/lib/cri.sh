# containerd's CRI plugin, driven as a kubelet drives it: the suite starts
# its own containerd (its own config, root, state, socket and runc root,
# none where sclens looks by default: a node's containerd elsewhere, as
# k3s's, is the case sclens must find by itself), with a local
# pause image as sandbox_image, pods in the node's network namespace (no
# CNI), runc under the cgroupfs driver, and runs pods through
# tests/lib/cri_client.py. Images come from Docker (docker save), imported
# into the k8s.io namespace offline. Sourced by bats files after engines.sh.

CRI_DIR=/run/sclens-test-cri
CRI_ROOT=/var/lib/sclens-test-cri
CRI_SOCK=$CRI_DIR/containerd.sock
CRI_STATE=$CRI_DIR/state
CRI_CTR=(ctr -a "$CRI_SOCK" -n k8s.io)
CRI_IMAGE=docker.io/library/sclens-busybox:latest
CRI_PAUSE=docker.io/library/sclens-pause:latest
# where a kubelet keeps Localhost profiles (its --root-dir, /var/lib/kubelet)
KUBELET_SECCOMP=/var/lib/kubelet/seccomp

cri() { /usr/bin/python3 "$ROOT/tests/lib/cri_client.py" --socket "$CRI_SOCK" --state "$CRI_DIR/client" "$@"; }

cri_config() {
	cat <<EOF
version = 2
root = "$CRI_ROOT"
state = "$CRI_STATE"
[grpc]
  address = "$CRI_SOCK"
[ttrpc]
  address = "$CRI_SOCK.ttrpc"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$CRI_PAUSE"
  restrict_oom_score_adj = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = "$CRI_DIR/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$CRI_DIR/cni-bin"
    conf_dir = "$CRI_DIR/cni-conf"
EOF
}

# start_cri: containerd with CRI answering, the images imported.
# Returns 1 (with the reason on stderr) when it cannot run here.
start_cri() {
	command -v containerd >/dev/null || { echo "containerd is not installed" >&2; return 1; }
	/usr/bin/python3 -c 'import grpc, grpc_tools' 2>/dev/null || { echo "python3-grpcio or python3-grpc-tools missing" >&2; return 1; }
	mkdir -p "$CRI_DIR/client" "$CRI_DIR/cni-bin" "$CRI_DIR/cni-conf" "$CRI_ROOT"
	cri_config >"$CRI_DIR/config.toml"
	if ! cri version >/dev/null 2>&1; then
		containerd --config "$CRI_DIR/config.toml" >"$CRI_DIR/containerd.log" 2>&1 &
		echo $! >"$CRI_DIR/containerd.pid"
		for _ in $(seq 100); do cri version >/dev/null 2>&1 && break; sleep 0.2; done
		cri version >/dev/null 2>&1 || { tail -20 "$CRI_DIR/containerd.log" >&2; return 1; }
	fi
	cri_images
}

# cri_images: the test image, and a pause image (the same busybox sleeping
# forever) as the sandbox image, in the k8s.io namespace
cri_images() {
	cri image-status "$CRI_IMAGE" | grep -q '"id": "sha' && cri image-status "$CRI_PAUSE" | grep -q '"id": "sha' && return 0
	"$DOCKER" image inspect sclens-pause >/dev/null 2>&1 ||
		tar -C "$ROOT/build/tests/rootfs" -c . |
		"$DOCKER" import --change 'CMD ["/bin/sleep", "2147483647"]' - sclens-pause >/dev/null || return 1
	"$DOCKER" save "$ENGINE_IMAGE" sclens-pause >"$CRI_DIR/images.tar" || return 1
	"${CRI_CTR[@]}" image import "$CRI_DIR/images.tar" >/dev/null || return 1
	rm -f "$CRI_DIR/images.tar"
}

# stop_cri: every pod removed, containerd stopped (when this file started it)
stop_cri() {
	[ -S "$CRI_SOCK" ] && cri remove-all >/dev/null 2>&1 || true
	[ -f "$CRI_DIR/containerd.pid" ] || return 0
	local pid
	pid=$(cat "$CRI_DIR/containerd.pid")
	kill -TERM "$pid" 2>/dev/null || true
	for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
	rm -f "$CRI_DIR/containerd.pid"
}

# cri_pod NAME SECCOMP [--cap-add X] -- CMD...: a pod (namespace
# sclens-test) with one container NAME, started, the seccomp profile set
# for the Pod (spec.securityContext.seccompProfile: the kubelet passes it
# to the sandbox and the container); prints "POD CONTAINER"
cri_pod() {
	local name=$1 seccomp=$2 pod ctr uid
	shift 2
	uid=$(cat /proc/sys/kernel/random/uuid)
	pod=$(cri run-pod "$name" sclens-test "$uid" --seccomp "$seccomp") || return 1
	ctr=$(cri create "$pod" "$name" "$CRI_IMAGE" --seccomp "$seccomp" "$@") || return 1
	cri start "$ctr" || return 1
	echo "$pod $ctr"
}
