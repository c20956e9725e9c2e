#!/usr/bin/env bats
# Container names from the runtimes' own files, without the runtimes: a
# real cgroup with the path each runtime creates, a real denial inside it,
# and fixture trees (tests/fixtures/runtimes) with the runtime's metadata.
load helpers

FIX=$ROOT/tests/fixtures/runtimes
D=aaaa1111bbbb2222cccc3333dddd4444eeee5555ffff6666aaaa7777bbbb8888
C=c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0
R=e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1
P=d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2
UID_=1b2c3d4e_5f60_4a1b_8c2d_3e4f5a6b7c8d

setup() {
	need_root
	CG=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
	[ -n "$CG" ] || skip "no cgroup v2 hierarchy mounted"
	CREATED=()
}

teardown() {
	[ -n "${WATCH_PID:-}" ] && kill -INT "$WATCH_PID" 2>/dev/null || true
	local i
	for (( i=${#CREATED[@]}-1; i>=0; i-- )); do rmdir "${CREATED[$i]}" 2>/dev/null || true; done
}

# in_cgroup RELPATH CMD...: runs CMD inside a new cgroup RELPATH (created)
in_cgroup() {
	local rel=$1 dir=$CG
	shift
	local part
	IFS=/ read -ra parts <<< "${rel#/}"
	for part in "${parts[@]}"; do
		dir=$dir/$part
		if [ ! -d "$dir" ]; then mkdir "$dir"; CREATED+=("$dir"); fi
	done
	sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' sh "$dir" "$@"
}

roots() {
	echo --docker-root "$1/docker" --containerd-root "$1/containerd" --crio-root "$1/crio" --podman-root "$1/podman" --runc-root "$1/none"
}

@test "Docker (systemd driver): name and image from config.v2.json" {
	start_watch --json $(roots "$FIX")
	in_cgroup "/system.slice/docker-$D.scope" "$SCDENY" errno >/dev/null
	stop_watch
	denials | jq -se --arg id "$D" '.[0].container == {id: $id, runtime: "docker", name: "web", image: "nginx:1.25"}'
	[ "$(denials "select(.container.name == \"web\")" | wc -l)" -eq 3 ]
}

@test "impostors: a tenant's cgroup named like another's container is not that container" {
	T=7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e
	start_watch --json $(roots "$FIX")
	# where a tenant with a delegated subtree may make cgroups
	in_cgroup "/sclens-tenant-$$/docker-$D.scope" "$SCDENY" errno >/dev/null
	in_cgroup "/sclens-tenant-$$/kubepods/besteffort/pod${UID_//_/-}/$C" "$SCDENY" errno >/dev/null
	# inside its own container (cgroup namespaces let it)
	in_cgroup "/system.slice/docker-$T.scope/docker-$D.scope" "$SCDENY" errno >/dev/null
	stop_watch
	# none is shown as the victims (web, api); the nested one is its own container
	[ "$(denials 'select(.container.name == "web" or .container.pod != null)' | wc -l)" -eq 0 ]
	[ "$(denials 'select(.container == null and (.cgroup | startswith("/sclens-tenant-")))' | wc -l)" -eq 6 ]
	[ "$(denials "select(.container.id == \"$T\" and .container.runtime == \"docker\")" | wc -l)" -eq 3 ]
	# the real one, where Docker makes it, still is
	start_watch --json $(roots "$FIX")
	in_cgroup "/system.slice/docker-$D.scope" "$SCDENY" errno >/dev/null
	stop_watch
	[ "$(denials 'select(.container.name == "web")' | wc -l)" -eq 3 ]
}

@test "containerd with Kubernetes (systemd driver): pod, namespace, container name, image" {
	start_watch --json $(roots "$FIX")
	in_cgroup "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod$UID_.slice/cri-containerd-$C.scope" "$SCDENY" errno >/dev/null
	stop_watch
	denials | jq -se '.[0].container | .runtime == "containerd" and .pod == "api-7d9f8b6c5-x2x9q" and .namespace == "shop" and .container_name == "api" and .image == "registry.example.com/shop/api:2.3" and .pod_uid == "1b2c3d4e-5f60-4a1b-8c2d-3e4f5a6b7c8d"'
	# its bundle's profile explains the denial
	denials | jq -se '.[0].explanation.profile | endswith("config.json")'
}

@test "Kubernetes filters: --namespace and --pod select in the kernel" {
	start_watch --json $(roots "$FIX") --namespace shop
	in_cgroup "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod$UID_.slice/cri-containerd-$C.scope" "$SCDENY" errno >/dev/null
	in_cgroup "/system.slice/docker-$D.scope" "$SCDENY" errno >/dev/null
	stop_watch
	[ "$(denials | wc -l)" -eq 3 ]
	denials | jq -se 'all(.container.namespace == "shop")'
	start_watch --json $(roots "$FIX") --pod no-such-pod
	in_cgroup "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod$UID_.slice/cri-containerd-$C.scope" "$SCDENY" errno >/dev/null
	stop_watch
	[ "$(denials | wc -l)" -eq 0 ]
}

@test "CRI-O: pod, namespace, container name and image from its annotations" {
	start_watch --json $(roots "$FIX")
	in_cgroup "/kubepods.slice/kubepods-pod$UID_.slice/crio-$R.scope" "$SCDENY" errno >/dev/null
	stop_watch
	denials | jq -se '.[0].container | .runtime == "cri-o" and .pod == "cache-0" and .namespace == "infra" and .container_name == "redis" and .image == "docker.io/library/redis:7"'
}

@test "Podman: name and image from containers/storage" {
	start_watch --json $(roots "$FIX")
	in_cgroup "/machine.slice/libpod-$P.scope" "$SCDENY" errno >/dev/null
	stop_watch
	denials | jq -se --arg id "$P" '.[0].container == {id: $id, runtime: "podman", name: "db", image: "docker.io/library/postgres:16"}'
}

@test "a host service: reported as the host, with its unit" {
	start_watch --json $(roots "$FIX")
	in_cgroup "/sclens-test.slice/sclens-demo.service" "$SCDENY" errno >/dev/null
	stop_watch
	denials | jq -se '.[0].host.unit == "sclens-demo.service" and (.[0].container == null)'
	start_watch --json $(roots "$FIX") --host
	in_cgroup "/system.slice/docker-$D.scope" "$SCDENY" errno >/dev/null
	stop_watch
	[ "$(denials | wc -l)" -eq 0 ]
}

@test "bad metadata (truncated JSON, wrong types, a symlink for a file): attributed as far as possible" {
	bad=$BATS_TEST_TMPDIR/bad
	mkdir -p "$bad/docker/containers/$D" "$bad/containerd/k8s.io/$C"
	head -c 20 "$FIX/docker/containers/$D/config.v2.json" > "$bad/docker/containers/$D/config.v2.json"
	ln -s /etc/passwd "$bad/docker/containers/$D/hostconfig.json"
	echo '{"annotations": {"io.kubernetes.cri.sandbox-name": 7}, "process": "no", "linux": []}' > "$bad/containerd/k8s.io/$C/config.json"
	start_watch --json $(roots "$bad")
	in_cgroup "/system.slice/docker-$D.scope" "$SCDENY" errno >/dev/null
	in_cgroup "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod$UID_.slice/cri-containerd-$C.scope" "$SCDENY" errno >/dev/null
	stop_watch
	[ "$WATCH_RC" -eq 0 ]
	denials | jq -se --arg id "$D" '[.[] | select(.container.runtime == "docker")] | length == 3 and (.[0].container == {id: $id, runtime: "docker"})'
	denials | jq -se '[.[] | select(.container.runtime == "containerd")] | length == 3 and (.[0].container.pod == null)'
}
