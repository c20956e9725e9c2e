#!/bin/bash
# Churn soak of `sclens daemon` (make bench): thousands of short-lived
# cgroups, each with a filtered process that is denied three calls, for
# SOAK_SECONDS (default 180). Prints the daemon's RSS and the sizes of its
# caches at the start, midway and at the end: they must stay flat.
set -eu
cd "$(dirname "$0")/.."
secs=${SOAK_SECONDS:-180}
port=${SOAK_PORT:-19991}
root=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
[ -n "$root" ] || { echo "  soak: no cgroup v2 hierarchy: skipped"; exit 0; }
tmp=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
. scripts/soak-lib.sh
soak_daemon 4
state() { # LABEL
	soak_state "$1" "denials counted $(curl -sf "http://127.0.0.1:$port/metrics" |
		awk '/^sclens_denials_total/ { s += $2 } END { print s + 0 }')"
}
echo "6. Churn soak: short-lived cgroups with a filtered process each, ${secs} s"
state start
n=0
end=$((SECONDS + secs))
half=$((SECONDS + secs / 2))
printed_half=
while [ "$SECONDS" -lt "$end" ]; do
	cg=$root/sclens-soak-$$-$n
	mkdir "$cg"
	sh -c "echo \$\$ > $cg/cgroup.procs; exec build/tests/scdeny errno" >/dev/null
	rmdir "$cg"
	n=$((n + 1))
	if [ -z "$printed_half" ] && [ "$SECONDS" -ge "$half" ]; then
		state "midway"
		printed_half=1
	fi
done
echo "  $n cgroups made and removed, each with three denials; waiting out the retention"
sleep 25
state end
