#!/bin/bash
# Hostile soak of `sclens daemon` (make bench): tenants attacking at once
# for SOAK_HOSTILE_SECONDS (default 180), each round in fresh cgroups:
#   - a flood of 5,000 distinct syscall numbers and errnos (keys);
#   - a storm of 100,000 identical denials;
#   - a runc container with a 3 MB config.json (env and annotations its
#     tenant wrote) denied date -s under Docker's default profile;
#   - a quiet tenant denied three calls, whose count must stay exact.
# Prints the daemon's RSS and cache sizes every 20 s (flat is the claim),
# and at the end the quiet tenant's count against what it did.
set -eu
cd "$(dirname "$0")/.."
secs=${SOAK_HOSTILE_SECONDS:-180}
port=${SOAK_PORT:-19992}
root=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
[ -n "$root" ] || { echo "  hostile soak: no cgroup v2 hierarchy: skipped"; exit 0; }
. tests/lib/bundle.sh
tmp=$(mktemp -d)
pid=
cleanup() {
	[ -z "$pid" ] || { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; }
	runc delete -f "sclens-soak-big-$$" >/dev/null 2>&1 || true
	rm -rf "$tmp"
	rmdir "$root"/sclens-hsoak-$$-* 2>/dev/null || true
}
trap cleanup EXIT

echo "6b. Hostile soak: a flood of distinct keys, a storm, 3 MB container configs and churn, ${secs} s"
big=
if command -v runc >/dev/null && [ -x build/tests/rootfs/bin/busybox ]; then
	build/sclens profile convert -f docker-20.10 >"$tmp/seccomp.json" 2>/dev/null || true
	if [ -s "$tmp/seccomp.json" ]; then
		make_bundle "$tmp/big" "$tmp/seccomp.json" "$DOCKER_DEFAULT_CAPS" date -s "2001-01-01 00:00"
		# what a tenant may write into its own bundle: 3 MB of annotations
		python3 - "$tmp/big/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["annotations"] = {"tenant.example/blob-%d" % i: "x" * 1000 for i in range(3000)}
json.dump(c, open(sys.argv[1], "w"))
PY
		big=$tmp/big
	fi
fi
[ -n "$big" ] || echo "  (runc, the test rootfs or an OCI seccomp section missing: no 3 MB configs this run)"

. scripts/soak-lib.sh
soak_daemon 256
state() { # LABEL
	soak_state "$1" "log $(cat "$tmp"/soak.json* | wc -c | awk '{ printf "%5d", $1 / 1024 }') KiB"
}
# in_cgroup NAME CMD...: CMD in a fresh cgroup, removed after
in_cgroup() {
	local cg=$root/$1
	shift
	mkdir "$cg"
	sh -c "echo \$\$ > $cg/cgroup.procs; exec \"\$@\"" sh "$@" >/dev/null 2>&1 || true
	rmdir "$cg" 2>/dev/null || true
}
quiet=$root/sclens-hsoak-$$-quiet
mkdir "$quiet"
state start
rounds=0
next_state=$((SECONDS + 20))
end=$((SECONDS + secs))
while [ "$SECONDS" -lt "$end" ]; do
	in_cgroup "sclens-hsoak-$$-flood-$rounds" build/tests/scdeny flood 5000 &
	flood=$!
	in_cgroup "sclens-hsoak-$$-storm-$rounds" build/tests/scdeny loop_denied 100000 &
	storm=$!
	if [ -n "$big" ]; then
		runc run --bundle "$big" "sclens-soak-big-$$" </dev/null >/dev/null 2>&1 || true
		runc delete -f "sclens-soak-big-$$" >/dev/null 2>&1 || true
	fi
	sh -c "echo \$\$ > $quiet/cgroup.procs; exec build/tests/scdeny errno" >/dev/null
	wait "$flood" "$storm" || true
	rounds=$((rounds + 1))
	if [ "$SECONDS" -ge "$next_state" ]; then
		state "${SECONDS}s"
		next_state=$((SECONDS + 20))
	fi
done
sleep 2
state end
quiet_id=$(stat -c %i "$quiet")
kill -INT "$pid"
wait "$pid" || true
pid=
# the quiet tenant's denials in the log: its lines and its repeat counts
# add up to what the kernel counted (host cgroups share one metric series)
quiet_logged=$(python3 - "$tmp/soak.json" "$quiet_id" <<'PY'
import json, sys
n = 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("cgroup_id") != int(sys.argv[2]):
        continue
    n += 1 if r["type"] == "denial" else r.get("count", 0) if r["type"] == "repeat" else 0
print(n)
PY
)
echo "  $rounds rounds; the quiet tenant denied 3 calls a round, $((rounds * 3)) in all: the daemon's log says $quiet_logged ($([ "$quiet_logged" = $((rounds * 3)) ] && echo exact || echo NOT EXACT))"
rmdir "$quiet" 2>/dev/null || true
