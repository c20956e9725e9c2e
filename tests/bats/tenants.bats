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
	# made here, not inside `run` (a subshell): teardown must know them
	in_tenant "sclens-flood-$$" true
	in_tenant "sclens-quiet-$$" true
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

# storm_beside_quiet: a storm of N denials in one tenant with a quiet
# tenant's three denials in the middle of it; watch (its options given)
# on a 1 MiB ring buffer
storm_beside_quiet() {
	local n=$1
	shift
	in_tenant "sclens-storm-$$" true
	in_tenant "sclens-quiet-$$" true
	start_watch --json --buffer-mb 1 "$@"
	in_tenant "sclens-storm-$$" "$SCDENY" loop_denied "$n" >/dev/null &
	local storm_pid=$!
	sleep 0.5
	in_tenant "sclens-quiet-$$" "$SCDENY" errno >/dev/null
	wait "$storm_pid"
	stop_watch
	STORM=$(stat -c %i "$CG2/sclens-storm-$$")
	QUIET=$(stat -c %i "$CG2/sclens-quiet-$$")
	SUMMARY=$(grep '^{"type":"summary"' "$WATCH_OUT")
	# the lines of each tenant, read once (the unpaced storm writes GBs)
	STORM_LINES=$(grep -c "^{\"type\":\"denial\".*\"cgroup_id\":$STORM," "$WATCH_OUT" || true)
	QUIET_LINES=$(grep -c "^{\"type\":\"denial\".*\"cgroup_id\":$QUIET," "$WATCH_OUT" || true)
	# the repeats: a few lines, found without parsing the storm's
	REPEATS=$BATS_TEST_TMPDIR/repeats
	grep '^{"type":"repeat"' "$WATCH_OUT" >"$REPEATS" || true
	echo "storm lines $STORM_LINES, quiet lines $QUIET_LINES, summary $(echo "$SUMMARY" | jq -c 'del(.counts)')" >&3
}

@test "a storm of 2,000,000 denials in one tenant, paced in the kernel: a quiet tenant's denials in the middle of it are each reported, once; nothing lost, the rest counted" {
	storm_beside_quiet 2000000
	# the quiet tenant: its three denials, each a line, exactly once
	[ "$(denials "select(.cgroup_id == $QUIET)" | wc -l)" -eq 3 ]
	[ "$(denials "select(.cgroup_id == $QUIET) | .syscall" | sort | tr '\n' ' ')" = '"clock_settime" "getpgid" "getuid" ' ]
	# the storm spent its own rate: a burst of 1,000 and about 1,000 a
	# second, the rest counted as suppressed, none lost to the full buffer
	storm=$(denials "select(.cgroup_id == $STORM)" | wc -l)
	[ "$storm" -ge 1000 ] && [ "$storm" -le 20000 ]
	echo "$SUMMARY" | jq -e '.events_lost == 0 and .events_suppressed > 1900000'
	# every denial counted exactly, whatever was sent
	[ "$(echo "$SUMMARY" | jq "[.counts[] | select(.cgroup_id == $STORM) | .count] | add")" = 2000000 ]
	[ "$(echo "$SUMMARY" | jq "[.counts[] | select(.cgroup_id == $QUIET) | .count] | add")" = 3 ]
	# and said as it happens: the storm's key repeated (at most one line a
	# second), the lines shown and the repeats adding up to the kernel's count
	[ "$storm" -eq "$STORM_LINES" ]
	repeats=$(jq -c "select(.cgroup_id == $STORM)" "$REPEATS" | wc -l)
	repeated=$(jq -s "[.[] | select(.cgroup_id == $STORM) | .count] | add // 0" "$REPEATS")
	echo "storm: $storm lines shown, $repeats repeat lines for $repeated more" >&3
	[ "$repeats" -ge 1 ] && [ "$repeats" -le 120 ]
	[ $((storm + repeated)) -eq 2000000 ]
	jq -se "[.[] | select(.cgroup_id == $STORM)] | all(.syscall == \"getppid\" and .action == \"errno\" and .errno == 1)" "$REPEATS"
	# nothing for the quiet tenant: all it did was shown
	[ "$(jq -c "select(.cgroup_id == $QUIET)" "$REPEATS" | wc -l)" -eq 0 ]
}

@test "the same storm unpaced (--rate-limit 0) fills the ring buffer: the attack the pacing stops is real" {
	storm_beside_quiet 2000000 --rate-limit 0
	echo "$SUMMARY" | jq -e '.events_lost > 0 and .events_suppressed == 0'
	[ "$(echo "$SUMMARY" | jq "[.counts[] | select(.cgroup_id == $STORM) | .count] | add")" = 2000000 ]
	# the lost ones are repeated too: shown and repeated add up
	repeated=$(jq -s "[.[] | select(.cgroup_id == $STORM) | .count] | add // 0" "$REPEATS")
	[ $((STORM_LINES + repeated)) -eq 2000000 ]
}

@test "--rate-limit: bad values are refused" {
	run "$SCLENS" watch --rate-limit fast
	[ "$status" -eq 2 ]
	[[ "$output" == *"--rate-limit takes N or N,BURST"* ]]
	run "$SCLENS" watch --rate-limit 0,10
	[ "$status" -eq 2 ]
}

@test "the daemon's log: a tenant varying numbers and errnos writes at most 64 kinds an interval, the rest one over_budget line; a quiet tenant's denials are all written" {
	log=$BATS_TEST_TMPDIR/d.json
	"$SCLENS" daemon --metrics-addr none --log-file "$log" --log-first 2 --log-interval 2s \
		>"$BATS_TEST_TMPDIR/d.out" 2>"$BATS_TEST_TMPDIR/d.err" &
	WATCH_PID=$!
	for _ in $(seq 100); do grep -q watching "$BATS_TEST_TMPDIR/d.err" && break; sleep 0.1; done
	in_tenant "sclens-flood-$$" "$SCDENY" flood 20000 >/dev/null
	in_tenant "sclens-quiet-$$" "$SCDENY" errno >/dev/null
	sleep 2.5 # the interval ends: its repeat lines
	kill -TERM "$WATCH_PID"
	wait "$WATCH_PID"
	WATCH_PID=
	flood=$(stat -c %i "$CG2/sclens-flood-$$")
	quiet=$(stat -c %i "$CG2/sclens-quiet-$$")
	kinds=$(jq -r "select(.type == \"denial\" and .cgroup_id == $flood) | \"\(.nr) \(.errno)\"" "$log" |
		awk '{ print ($1 >= 1024 ? "unknown" : $1), $2 }' | sort -u | wc -l)
	lines=$(jq -c "select(.type == \"denial\" and .cgroup_id == $flood)" "$log" | wc -l)
	over=$(jq -s "[.[] | select(.type == \"repeat\" and .cgroup_id == $flood and .syscall == \"over_budget\") | .count] | add // 0" "$log")
	echo "flood: $lines lines of $kinds kinds, over_budget $over; quiet: $(jq -c "select(.type == \"denial\" and .cgroup_id == $quiet)" "$log" | wc -l) lines" >&3
	[ "$kinds" -le 64 ]
	[ "$lines" -le 128 ]
	[ "$over" -gt 0 ]
	[ "$(jq -c "select(.type == \"denial\" and .cgroup_id == $quiet)" "$log" | wc -l)" -eq 3 ]
	/usr/bin/python3 "$ROOT/scripts/check-json.py" "$ROOT/docs/json-schema.json" "$log"
}

@test "--cgroup selects one tenant everywhere: watch's summary counts only it, record records only it; record refuses -p, -c and -s" {
	in_tenant "sclens-a-$$" true
	in_tenant "sclens-b-$$" true
	a=$(stat -c %i "$CG2/sclens-a-$$")
	start_watch --json --cgroup "$CG2/sclens-a-$$"
	in_tenant "sclens-a-$$" "$SCDENY" errno >/dev/null
	in_tenant "sclens-b-$$" "$SCDENY" errno >/dev/null
	stop_watch
	jq -e "select(.type == \"summary\") | (.counts | length) == 3 and all(.counts[]; .cgroup_id == $a)" "$WATCH_OUT"
	rec=$BATS_TEST_TMPDIR/a.rec.json
	"$SCLENS" record --cgroup "$CG2/sclens-a-$$" -d 3 -o "$rec" 2>"$BATS_TEST_TMPDIR/rec.err" &
	rpid=$!
	for _ in $(seq 100); do grep -q watching "$BATS_TEST_TMPDIR/rec.err" && break; sleep 0.1; done
	in_tenant "sclens-a-$$" "$SCDENY" errno >/dev/null
	in_tenant "sclens-b-$$" "$SCDENY" errno >/dev/null
	wait "$rpid"
	jq -e "[.recorded[].cgroup_id] == [$a] and .selection.cgroup == \"$CG2/sclens-a-$$\"" "$rec"
	run "$SCLENS" record -s getppid -d 1
	[ "$status" -eq 2 ]
	[[ "$output" == *"-p, -c and -s do not apply"* ]]
}

@test "repeats are what the kernel held back, not what the user's filters left out: -c keeps another command's denials of the same call out of them" {
	cp "$SCDENY" "$BATS_TEST_TMPDIR/otherdeny"
	start_watch --json -c scdeny
	"$BATS_TEST_TMPDIR/otherdeny" loop_denied 20000 >/dev/null
	"$SCDENY" loop_denied 5000 >/dev/null
	stop_watch
	shown=$(grep -c '^{"type":"denial".*"comm":"scdeny"' "$WATCH_OUT" || true)
	repeated=$(grep '^{"type":"repeat"' "$WATCH_OUT" | jq -s '[.[] | select(.syscall == "getppid") | .count] | add // 0')
	echo "scdeny: $shown shown, $repeated repeated" >&3
	[ "$shown" -ge 1000 ] && [ "$shown" -lt 5000 ]
	[ $((shown + repeated)) -eq 5000 ]
	! grep -q '"comm":"otherdeny"' "$WATCH_OUT"
}

@test "the recorder and the daemon: a flood of distinct numbers fills only its tenant's budgets (counted, in the recording and the metrics); a quiet tenant is recorded exactly" {
	in_tenant "sclens-flood-$$" true
	in_tenant "sclens-quiet-$$" true
	flood=$(stat -c %i "$CG2/sclens-flood-$$")
	quiet=$(stat -c %i "$CG2/sclens-quiet-$$")
	port=$((19700 + $$ % 200))
	rec=$BATS_TEST_TMPDIR/d.rec.json
	"$SCLENS" daemon --metrics-addr "127.0.0.1:$port" --record "$rec" --log-file "$BATS_TEST_TMPDIR/d.json" \
		2>"$BATS_TEST_TMPDIR/d.err" &
	dpid=$!
	for _ in $(seq 100); do grep -q watching "$BATS_TEST_TMPDIR/d.err" && break; sleep 0.1; done
	in_tenant "sclens-flood-$$" "$SCDENY" flood 5000 >/dev/null
	in_tenant "sclens-quiet-$$" "$SCDENY" errno >/dev/null
	sleep 1.5
	curl -sf "http://127.0.0.1:$port/metrics" >"$BATS_TEST_TMPDIR/page"
	kill -INT "$dpid"
	wait "$dpid"
	overflow() { awk -v c="cache=\"$1\"" 'index($0, "sclens_cache_overflows_total{" c "}") == 1 { print $2 }' "$BATS_TEST_TMPDIR/page"; }
	echo "recorder_kinds $(overflow recorder_kinds), log_keys $(overflow log_keys)"
	[ "$(overflow recorder_kinds)" -gt 0 ]
	[ "$(overflow log_keys)" -gt 0 ]
	[ "$(overflow filters)" = 0 ]
	! command -v promtool >/dev/null || promtool check metrics <"$BATS_TEST_TMPDIR/page"
	# the flood: at most its budget of kinds, the rest counted as lost
	jq -e '.lost.denial_kinds > 0' "$rec"
	[ "$(jq "[.recorded[] | select(.cgroup_id == $flood) | .denials | length] | add" "$rec")" -le 256 ]
	# the quiet tenant: each of its three denials, exactly once
	jq -c ".recorded[] | select(.cgroup_id == $quiet) | .denials" "$rec"
	[ "$(jq "[.recorded[] | select(.cgroup_id == $quiet) | .denials[] | .count] | add" "$rec")" = 3 ]
}
