#!/usr/bin/env bats
# Hostile tenants: one cgroup attacks the node's telemetry, another must
# still be seen exactly. Each cgroup is made by hand under the cgroup2
# root, as a tenant with cgroup delegation could.
load helpers

setup() {
	need_root
	CG2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
	[ -n "$CG2" ] || skip "no cgroup2 hierarchy"
	TENANTS=()
}

teardown() {
	[ -n "${WATCH_PID:-}" ] && kill -INT "$WATCH_PID" 2>/dev/null || true
	for d in "${TENANTS[@]:-}"; do
		[ -n "$d" ] && [ -d "$d" ] && { sleep 0.2; rmdir "$d" 2>/dev/null || true; }
	done
	true
}

# in_tenant NAME CMD...: runs CMD in the cgroup NAME (made if need be)
in_tenant() {
	local cg=$CG2/$1
	shift
	[ -d "$cg" ] || { mkdir "$cg"; TENANTS+=("$cg"); }
	sh -c 'echo $$ >"$1/cgroup.procs"; shift; exec "$@"' sh "$cg" "$@"
}

@test "a flood of 20,000 distinct numbers and errnos: its own counts stay exact in sum, a quiet tenant's one denial is counted exactly" {
	start_watch --json
	run in_tenant "sclens-flood-$$" "$SCDENY" flood 20000
	[[ "$output" == *"call=flood"*"ret=20000"* ]]
	run in_tenant "sclens-quiet-$$" "$SCDENY" errno
	[ "$status" -eq 0 ]
	stop_watch
	flood=$(stat -c %i "$CG2/sclens-flood-$$")
	quiet=$(stat -c %i "$CG2/sclens-quiet-$$")
	summary() { jq -c "select(.type == \"summary\") | $1" "$WATCH_OUT"; }
	# the quiet tenant: each of its three denials, exactly once
	[ "$(summary "[.counts[] | select(.cgroup_id == $quiet and .syscall == \"clock_settime\" and .errno == 1) | .count] | add")" = 1 ]
	[ "$(summary "[.counts[] | select(.cgroup_id == $quiet) | .count] | add")" = 3 ]
	# the flood: every denial counted, in at most its budget of rows plus one
	[ "$(summary "[.counts[] | select(.cgroup_id == $flood) | .count] | add")" = 20000 ]
	rows=$(summary "[.counts[] | select(.cgroup_id == $flood)] | length")
	echo "flood rows: $rows"
	[ "$rows" -le 257 ]
	[ "$(summary "[.counts[] | select(.cgroup_id == $flood and .syscall == \"over_budget\")] | length")" = 1 ]
	# numbers no arch has are one row
	[ "$(summary "[.counts[] | select(.cgroup_id == $flood and .syscall == \"unknown\")] | length")" -le 128 ]
	[ "$(summary '.counter_overflow')" = 0 ]
}
