#!/usr/bin/env bats
# The means to deploy the daemon, checked with the validators Debian has:
# systemd-analyze for the unit, promtool for the alert rules, a YAML parse
# and the fields the docs promise for the manifests.
load helpers

@test "the systemd unit passes systemd-analyze verify, hardened as docs/daemon.md says" {
	command -v systemd-analyze >/dev/null || skip "systemd-analyze is not installed"
	unit=$BATS_TEST_TMPDIR/sclens.service
	# verify checks that ExecStart exists: point it at this build
	sed "s|/usr/sbin/sclens|$SCLENS|" "$ROOT/deploy/sclens.service" >"$unit"
	run systemd-analyze verify --man=no "$unit"
	echo "$output"
	[ "$status" -eq 0 ]
	for k in ProtectSystem=strict NoNewPrivileges=yes 'CapabilityBoundingSet=CAP_BPF CAP_PERFMON' \
		'ExecReload=/bin/kill -HUP $MAINPID' MemoryMax= ; do
		grep -qF "$k" "$unit"
	done
	! grep -q CAP_SYS_ADMIN "$unit"
	# the command line it runs is one sclens accepts
	cmd=$(sed -n 's/^ExecStart=[^ ]* //p' "$unit")
	run "$SCLENS" daemon $cmd --help
	[ "$status" -eq 0 ]
}

@test "the DaemonSet parses, runs one per node with hostPID, read-only host mounts, limits and scrape annotations" {
	run /usr/bin/python3 - "$ROOT/deploy/kubernetes/daemonset.yaml" <<'PY'
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
kinds = {d["kind"] for d in docs}
assert {"Namespace", "ServiceAccount", "DaemonSet", "NetworkPolicy"} <= kinds, kinds
# the metrics name every tenant's containers: only Prometheus reaches them
np = next(d for d in docs if d["kind"] == "NetworkPolicy")
assert np["spec"]["policyTypes"] == ["Ingress"]
assert np["spec"]["podSelector"]["matchLabels"] == {"app.kubernetes.io/name": "sclens"}
rules = np["spec"]["ingress"]
assert len(rules) == 1 and rules[0]["from"] and rules[0]["ports"] == [{"protocol": "TCP", "port": 9464}]
ds = next(d for d in docs if d["kind"] == "DaemonSet")
pod = ds["spec"]["template"]
spec = pod["spec"]
assert spec["hostPID"] is True
ann = pod["metadata"]["annotations"]
assert ann["prometheus.io/scrape"] == "true" and ann["prometheus.io/port"] == "9464"
c = spec["containers"][0]
assert c["resources"]["limits"]["memory"] and c["resources"]["limits"]["cpu"]
sc = c["securityContext"]
assert sc["privileged"] is False and sc["readOnlyRootFilesystem"] is True
assert sc["seccompProfile"]["type"] == "Unconfined"
assert set(sc["capabilities"]["add"]) <= {"BPF", "PERFMON", "DAC_READ_SEARCH", "SYS_PTRACE", "SYS_RESOURCE"}
assert sc["capabilities"]["drop"] == ["ALL"]
mounts = {m["mountPath"]: m for m in c["volumeMounts"]}
for p in ["/sys/kernel/btf", "/sys/fs/cgroup", "/run/containerd"]:
    assert mounts[p]["readOnly"] is True, p
assert all(m.get("readOnly") for m in c["volumeMounts"])
assert any(e["name"] == "SCLENS_NODE_NAME" for e in c["env"])
print(" ".join(c["args"]))
PY
	echo "$output"
	[ "$status" -eq 0 ]
	# its arguments are ones sclens daemon accepts
	run "$SCLENS" daemon ${lines[-1]} --help
	[ "$status" -eq 0 ]
}

@test "the alert rules pass promtool check rules" {
	command -v promtool >/dev/null || skip "promtool (prometheus) is not installed"
	/usr/bin/python3 -c '
import sys, yaml
d = list(yaml.safe_load_all(open(sys.argv[1])))[0]
assert d["kind"] == "PrometheusRule"
yaml.safe_dump({"groups": d["spec"]["groups"]}, open(sys.argv[2], "w"))' \
		"$ROOT/deploy/kubernetes/prometheusrule.yaml" "$BATS_TEST_TMPDIR/rules.yml"
	run promtool check rules "$BATS_TEST_TMPDIR/rules.yml"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"SUCCESS: 5 rules found"* ]]
}

@test "the Containerfile installs only packages Debian has, and copies what the tree holds" {
	f=$ROOT/deploy/Containerfile
	pkgs=$(sed -n '/apt-get install/,/rm -rf/p' "$f" | tr ' \\' '\n\n' | grep -E '^[a-z0-9][a-z0-9.+-]+$' |
		grep -vE '^(apt-get|install|rm|no-install-recommends|y|update|rf|var|lists)$' | sort -u)
	[ -n "$pkgs" ]
	for p in $pkgs; do
		apt-cache show "$p" >/dev/null 2>&1 || { echo "no Debian package $p"; false; }
	done
	[ -e "$ROOT/profiles/NOTICE" ]
	grep -q 'ENTRYPOINT \["/usr/sbin/sclens", "daemon"\]' "$f"
}
