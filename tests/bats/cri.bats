#!/usr/bin/env bats
# Kubernetes for real (issue 24): pods run through containerd's CRI plugin
# as a kubelet runs them (tests/lib/cri_client.py: RunPodSandbox,
# CreateContainer, StartContainer, ExecSync), under RuntimeDefault,
# Localhost and Unconfined, and sclens names each pod, recognises
# containerd's own RuntimeDefault, finds the Localhost file under the
# kubelet's seccomp root with its deciding entry, and gives the fix in the
# Pod's words. The containerd here keeps its state, root and runc root
# where sclens does not look by default: it must find them itself.
load helpers
source "$ROOT/tests/lib/engines.sh"
source "$ROOT/tests/lib/cri.sh"

setup_file() {
	[ "$(id -u)" = 0 ] || return 0
	engines_setup_file
	[ -e "$BATS_FILE_TMPDIR/no-docker" ] && return 0
	start_cri 2>"$BATS_FILE_TMPDIR/no-cri" && rm -f "$BATS_FILE_TMPDIR/no-cri"
	# the suite's own directory under the kubelet's seccomp root
	mkdir -p "$KUBELET_SECCOMP/sclens-test"
	cat >"$KUBELET_SECCOMP/sclens-test/no-settime.json" <<-'EOF'
	{
		"defaultAction": "SCMP_ACT_ALLOW",
		"syscalls": [
			{
				"names": ["clock_settime", "settimeofday"],
				"action": "SCMP_ACT_ERRNO",
				"errnoRet": 1
			}
		]
	}
	EOF
}

teardown_file() {
	[ "$(id -u)" = 0 ] || return 0
	stop_cri
	rm -rf "$KUBELET_SECCOMP/sclens-test" "$KUBELET_SECCOMP/operator/sclens-test"
	engines_teardown_file
}

setup() {
	need_root
	need_docker
	[ ! -e "$BATS_FILE_TMPDIR/no-cri" ] || skip "containerd's CRI cannot run here: $(tail -1 "$BATS_FILE_TMPDIR/no-cri")"
}

teardown() {
	[ -n "${WATCH_PID:-}" ] && kill -INT "$WATCH_PID" 2>/dev/null || true
	[ -n "${DAEMON_PID:-}" ] && kill -TERM "$DAEMON_PID" 2>/dev/null && wait "$DAEMON_PID" 2>/dev/null || true
	[ -n "${REC_PID:-}" ] && kill -INT "$REC_PID" 2>/dev/null && wait "$REC_PID" 2>/dev/null || true
	cri remove-all >/dev/null 2>&1 || true
}

# settime POD_CONTAINER: date -s in the container, as a user would exec it
settime() {
	cri exec "$1" -- date -s "2001-02-03 04:05:06" >/dev/null 2>&1 || true
}

@test "CRI client: each field the tests rely on reaches containerd (metadata, labels, cgroup parent, namespaces, seccomp, capabilities)" {
	run cri version
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.runtime_name == "containerd" and .runtime_api_version == "v1"'
	read -r pod ctr < <(cri_pod fields runtime-default --cap-add SYS_TIME -- /bin/sleep 60)
	cri pod-status "$pod" | jq -e '.name == "fields" and .namespace == "sclens-test" and .labels["io.kubernetes.pod.name"] == "fields"'
	cri status "$ctr" | jq -e '.name == "fields" and .state == 1 and .labels["io.kubernetes.container.name"] == "fields"'
	bundle=$CRI_STATE/io.containerd.runtime.v2.task/k8s.io/$ctr/config.json
	jq -e '.linux.cgroupsPath | test("^/kubepods/besteffort/pod[0-9a-f-]{36}/")' "$bundle"
	jq -e '.linux.seccomp.defaultAction == "SCMP_ACT_ERRNO"' "$bundle"
	jq -e '.process.capabilities.bounding | index("CAP_SYS_TIME")' "$bundle"
	# the node's network namespace (NODE: the sandbox makes none, the
	# container joins the sandbox's), a pid namespace of its own (CONTAINER)
	jq -e '[.linux.namespaces[].type] | index("network") == null' "$CRI_STATE/io.containerd.runtime.v2.task/k8s.io/$pod/config.json"
	jq -e '[.linux.namespaces[] | select(.type == "pid")] | length == 1 and .[0].path == null' "$bundle"
	jq -e '.annotations["io.kubernetes.cri.sandbox-namespace"] == "sclens-test"' "$bundle"
	# Unconfined and Localhost reach it too
	read -r _ unconf < <(cri_pod fields-u unconfined -- /bin/sleep 60)
	jq -e '.linux.seccomp == null' "$CRI_STATE/io.containerd.runtime.v2.task/k8s.io/$unconf/config.json"
	read -r _ local < <(cri_pod fields-l "localhost:$KUBELET_SECCOMP/sclens-test/no-settime.json" -- /bin/sleep 60)
	jq -e '.linux.seccomp.defaultAction == "SCMP_ACT_ALLOW"' "$CRI_STATE/io.containerd.runtime.v2.task/k8s.io/$local/config.json"
}

@test "RuntimeDefault pod: named (namespace, pod, container, image, runtime containerd) though its containerd keeps its state elsewhere; containerd's own default recognised; the fix in securityContext words" {
	start_watch --json --namespace sclens-test
	read -r pod ctr < <(cri_pod web-a runtime-default -- /bin/sleep 60)
	settime "$ctr"
	stop_watch
	# nothing where sclens looks by default: found through the running containerd
	[ ! -e "/run/containerd/runc/k8s.io/$ctr" ] && [ ! -e "/run/containerd/io.containerd.runtime.v2.task/k8s.io/$ctr" ]
	denials 'select(.syscall == "clock_settime")' | head -1 >"$BATS_TEST_TMPDIR/d"
	cat "$BATS_TEST_TMPDIR/d"
	jq -e '.container | .runtime == "containerd" and .namespace == "sclens-test" and .pod == "web-a" and .container_name == "web-a" and .image == "'"$CRI_IMAGE"'" and .id == "'"$ctr"'"' "$BATS_TEST_TMPDIR/d"
	jq -e '.explanation | .profile_ref == "containerd-1.6" and (.profile | startswith("containerd'"'"'s RuntimeDefault")) and .errno_name == "EPERM"' "$BATS_TEST_TMPDIR/d"
	# the deciding rule: the CAP_SYS_TIME entry of containerd's default, by line
	jq -e '.explanation.fix[0] | .kind == "capability" and .capability == "CAP_SYS_TIME" and .engine == "kubernetes" and (.command | startswith("securityContext.capabilities.add: [\"SYS_TIME\"]")) and (.entry.names | index("clock_settime")) and .entry.line > 1' "$BATS_TEST_TMPDIR/d"
	line=$(jq '.explanation.fix[0].entry.line' "$BATS_TEST_TMPDIR/d")
	"$SCLENS" profile show containerd-1.6 | sed -n "$((line - 3)),$((line + 12))p" | grep -q CAP_SYS_TIME
	# the pause container is the pod's sandbox, not the container
	! denials 'select(.container.sandbox)' | grep -q .
}

@test "Localhost pod: the user's file under the kubelet's seccomp root named with its deciding entry and line; the fixed profile written beside it and named relative to the root; it runs with no denial" {
	file=$KUBELET_SECCOMP/sclens-test/no-settime.json
	start_watch --json --pod web-b
	read -r pod ctr < <(cri_pod web-b "localhost:$file" -- /bin/sleep 60)
	settime "$ctr"
	stop_watch
	denials 'select(.syscall == "clock_settime")' | head -1 >"$BATS_TEST_TMPDIR/d"
	cat "$BATS_TEST_TMPDIR/d"
	jq -e '.container | .pod == "web-b" and .localhost_profile == "sclens-test/no-settime.json"' "$BATS_TEST_TMPDIR/d"
	jq -e --arg f "$file" '.explanation | .profile == $f and .decided_by == "entry" and .rule.index == 0 and .rule.line == 4' "$BATS_TEST_TMPDIR/d"
	jq -e --arg f "$file" '.explanation.fix[] | select(.kind == "profile") | .localhost_profile == "sclens-test/no-settime-fixed.json" and .command == "securityContext.seccompProfile: {type: Localhost, localhostProfile: sclens-test/no-settime-fixed.json}" and .write_with == "sclens explain --profile \($f) -s clock_settime --write-profile '"$KUBELET_SECCOMP"'/sclens-test/no-settime-fixed.json"' "$BATS_TEST_TMPDIR/d"
	# the human line says the same
	start_watch --pod web-b
	settime "$ctr"
	stop_watch
	grep -q "rule: entry syscalls\[0\] at $file:4" "$WATCH_OUT"
	grep -q "then: securityContext.seccompProfile: {type: Localhost, localhostProfile: sclens-test/no-settime-fixed.json}" "$WATCH_OUT"
	# the fix as it says: written, then a pod under it makes the same call
	# with no seccomp denial (the kernel's own EPERM stays: no CAP_SYS_TIME)
	cmd=$(jq -r '.explanation.fix[] | select(.kind == "profile") | .write_with' "$BATS_TEST_TMPDIR/d")
	${cmd/sclens/$SCLENS} >/dev/null
	jq -e '.syscalls[0].names == ["settimeofday"]' "$KUBELET_SECCOMP/sclens-test/no-settime-fixed.json"
	start_watch --json --pod web-b2
	read -r _ fixed < <(cri_pod web-b2 "localhost:$KUBELET_SECCOMP/sclens-test/no-settime-fixed.json" -- /bin/sleep 60)
	settime "$fixed"
	stop_watch
	[ "$(count_denials '.syscall == "clock_settime"')" -eq 0 ]
}

@test "Unconfined pod: posture lists CRI pods by namespace/pod/container with their profiles, flags the unconfined one and its sandbox in the Pod's words" {
	read -r _ a < <(cri_pod web-a runtime-default -- /bin/sleep 60)
	read -r _ b < <(cri_pod web-b "localhost:$KUBELET_SECCOMP/sclens-test/no-settime.json" -- /bin/sleep 60)
	read -r _ c < <(cri_pod web-c unconfined -- /bin/sleep 60)
	run "$SCLENS" posture --json
	echo "$output" >"$BATS_TEST_TMPDIR/p.json"
	jq -e '.containers[] | select(.container.id == "'"$a"'") | .profile | startswith("containerd'"'"'s RuntimeDefault")' "$BATS_TEST_TMPDIR/p.json"
	jq -e '.containers[] | select(.container.id == "'"$b"'") | .profile == "Localhost sclens-test/no-settime.json" and .container.localhost_profile == "sclens-test/no-settime.json"' "$BATS_TEST_TMPDIR/p.json"
	jq -e '.containers[] | select(.container.id == "'"$c"'") | .seccomp == "none" and .container.namespace == "sclens-test" and .container.pod == "web-c"' "$BATS_TEST_TMPDIR/p.json"
	jq -e '[.findings[] | select(.check == "seccomp_unconfined" and .subject == "sclens-test/web-c/web-c" and .level == "high" and .fix == "securityContext.seccompProfile: {type: RuntimeDefault}")] | length == 1' "$BATS_TEST_TMPDIR/p.json"
	jq -e '[.findings[] | select(.check == "seccomp_unconfined" and .subject == "sclens-test/web-c (sandbox)" and (.fix | startswith("the Pod'"'"'s spec.securityContext.seccompProfile")))] | length == 1' "$BATS_TEST_TMPDIR/p.json"
	# the confined pods' sandboxes run the Pod's profile too: not flagged
	jq -e '[.findings[] | select(.check == "seccomp_unconfined" and (.subject | test("web-[ab]")))] | length == 0' "$BATS_TEST_TMPDIR/p.json"
	# the plain table: no 64-character ids
	run "$SCLENS" posture
	[[ "$output" == *"sclens-test/web-c/web-c"* ]]
	! grep -Eq '[0-9a-f]{64}' <<<"$output"
}

@test "record --pod --namespace on a CRI pod, generate --format spo, installed as the operator installs it: a new pod runs under it as Localhost with no denial" {
	rec=$BATS_TEST_TMPDIR/tuned.rec.json
	"$SCLENS" record --pod tuned --namespace sclens-test -o "$rec" >/dev/null 2>"$BATS_TEST_TMPDIR/rec.err" &
	REC_PID=$!
	wait_until 20 grep -q watching "$BATS_TEST_TMPDIR/rec.err"
	work='for i in 1 2 3; do date >/tmp/t; cat /tmp/t; ls / >/dev/null; id; sleep 0.2; done'
	read -r _ ctr < <(cri_pod tuned runtime-default -- /bin/sh -c "$work; sleep 60")
	sleep 2
	cri exec "$ctr" -- /bin/sh -c "$work" >/dev/null
	kill -INT "$REC_PID"
	wait "$REC_PID"
	REC_PID=
	jq -e '.recorded | length >= 1 and all(.[]; .container.pod == "tuned" and .container.namespace == "sclens-test" and .container.runtime == "containerd")' "$rec"
	jq -e '[.recorded[] | select(.container.container_name == "tuned")] | .[0].from_start' "$rec"
	"$SCLENS" profile generate --format spo --name tuned "$rec" >"$BATS_TEST_TMPDIR/tuned.yaml"
	# the operator writes the spec as JSON under operator/<namespace>/<name>.json
	mkdir -p "$KUBELET_SECCOMP/operator/sclens-test"
	/usr/bin/python3 -c 'import json, sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
assert d["kind"] == "SeccompProfile", d["kind"]
json.dump(d["spec"], open(sys.argv[2], "w"), indent=2)' "$BATS_TEST_TMPDIR/tuned.yaml" "$KUBELET_SECCOMP/operator/sclens-test/tuned.json"
	start_watch --json --namespace sclens-test
	read -r _ again < <(cri_pod tuned2 "localhost:$KUBELET_SECCOMP/operator/sclens-test/tuned.json" -- /bin/sh -c "$work; sleep 60")
	sleep 2
	run cri exec "$again" -- /bin/sh -c "$work"
	[ "$status" -eq 0 ]
	stop_watch
	# under it: the same work, no denial; its container named with the file
	[ "$(count_denials '.container.pod == "tuned2"')" -eq 0 ]
	read -r _ probe < <(cri_pod tuned3 "localhost:$KUBELET_SECCOMP/operator/sclens-test/tuned.json" -- /bin/sleep 60)
	start_watch --json --pod tuned3
	cri exec "$probe" -- /bin/sh -c 'date -s "2001-02-03 04:05:06"' >/dev/null 2>&1 || true
	stop_watch
	denials 'select(.syscall == "clock_settime")' | head -1 >"$BATS_TEST_TMPDIR/d"
	jq -e '.container.localhost_profile == "operator/sclens-test/tuned.json" and .explanation.rule == null and .explanation.decided_by == "default_action"' "$BATS_TEST_TMPDIR/d"
	# the fix for the operator's users: the SeccompProfile changed, by kubectl
	jq -r '.explanation.fix[] | select(.kind == "profile") | .spo' "$BATS_TEST_TMPDIR/d" >"$BATS_TEST_TMPDIR/spo"
	cat "$BATS_TEST_TMPDIR/spo"
	grep -q "^kubectl -n sclens-test patch seccompprofile tuned --type json -p '\[{\"op\":\"add\",\"path\":\"/spec/syscalls/" "$BATS_TEST_TMPDIR/spo"
	# that patch, applied to the SeccompProfile's spec, allows the call
	/usr/bin/python3 -c 'import json, sys, yaml
cmd = open(sys.argv[1]).read()
patch = json.loads(cmd[cmd.index("-p ") + 4:].strip().rstrip("\x27"))
doc = yaml.safe_load(open(sys.argv[2]))
for op in patch:
    parts = op["path"].split("/")[1:]
    target = doc
    for p in parts[:-1]:
        target = target[int(p)] if isinstance(target, list) else target[p]
    last = parts[-1]
    if op["op"] == "add" and isinstance(target, list):
        target.insert(len(target) if last == "-" else int(last), op["value"])
    else:
        target[int(last) if isinstance(target, list) else last] = op["value"]
json.dump(doc["spec"], open(sys.argv[3], "w"))' "$BATS_TEST_TMPDIR/spo" "$BATS_TEST_TMPDIR/tuned.yaml" "$BATS_TEST_TMPDIR/patched.json"
	"$SCLENS" explain -f "$BATS_TEST_TMPDIR/patched.json" -s clock_settime --json | jq -e '.action == "allow"'
}

@test "the daemon on CRI pods: exact counts with the pod, namespace, container and runtime labels, the log naming the pod" {
	port=$((19900 + RANDOM % 90))
	"$SCLENS" daemon --metrics-addr "127.0.0.1:$port" --log-file "$BATS_TEST_TMPDIR/d.json" >/dev/null 2>"$BATS_TEST_TMPDIR/d.err" &
	DAEMON_PID=$!
	wait_until 20 grep -q watching "$BATS_TEST_TMPDIR/d.err"
	read -r _ ctr < <(cri_pod metered runtime-default -- /bin/sleep 60)
	for _ in 1 2 3; do settime "$ctr"; done
	sleep 1.5
	curl -sf "http://127.0.0.1:$port/metrics" | grep '^sclens_denials_total{' | grep 'pod="metered"' >"$BATS_TEST_TMPDIR/m"
	kill -TERM "$DAEMON_PID"
	wait "$DAEMON_PID"
	DAEMON_PID=
	cat "$BATS_TEST_TMPDIR/m"
	# date -s calls clock_settime once each time: exactly 3
	grep 'syscall="clock_settime"' "$BATS_TEST_TMPDIR/m" | grep 'namespace="sclens-test"' | grep 'container="metered"' |
		grep 'runtime="kubernetes"' | grep -q ' 3$'
	jq -se 'any(.[]; .type == "denial" and .container.pod == "metered" and .container.namespace == "sclens-test" and .syscall == "clock_settime")' "$BATS_TEST_TMPDIR/d.json"
}
