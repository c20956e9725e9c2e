#!/usr/bin/env bats
# JSON that pipes: every kind of JSON line sclens prints, checked against
# the machine-readable schema beside docs/json-schema.md. (The watch lines
# of the whole suite are collected too, and checked by run-tests.sh.)
load helpers

check() { # check: validates the JSON lines of $output
	echo "$output" | grep '^{' >"$BATS_TEST_TMPDIR/lines"
	[ -s "$BATS_TEST_TMPDIR/lines" ]
	[ -z "${SCLENS_JSON_LOG:-}" ] || cat "$BATS_TEST_TMPDIR/lines" >>"$SCLENS_JSON_LOG"
	/usr/bin/python3 "$ROOT/scripts/check-json.py" "$ROOT/docs/json-schema.json" "$BATS_TEST_TMPDIR/lines"
}

@test "schema: explain, for one call and for a class" {
	run "$SCLENS" explain --json -f docker-20.10 -s clock_settime -s socket --arg 0=40
	check
	run "$SCLENS" explain --json -f docker-20.10 -s %clock
	check
}

@test "schema: errors, for bad options, unknown names and bad profiles" {
	run "$SCLENS" watch --json --bogus
	check
	run "$SCLENS" explain --json -f docker-20.10 -s raed
	check
	printf '{"defaultAction": 1}' >"$BATS_TEST_TMPDIR/bad.json"
	run "$SCLENS" explain --json -f "$BATS_TEST_TMPDIR/bad.json" -s read
	check
	echo "$output" | grep '^{' | jq -e '.detail | contains("bad.json") and contains("defaultAction")'
}

@test "schema: watch events of every kind, installs and the summary" {
	need_root
	start_watch --json --installs -c scdeny
	for m in errno trap trace kill_process; do "$SCDENY" $m >/dev/null 2>&1 || true; done
	stop_watch
	output=$(cat "$WATCH_OUT")
	check
	grep -q '"type":"filter_install"' "$WATCH_OUT"
	grep -q '"type":"summary"' "$WATCH_OUT"
}

@test "schema: run, filter dump and eval, posture" {
	need_root
	run "$SCLENS" run --json -f docker-20.10 -- "$ROOT/build/tests/settime-now"
	check
	"$SCDENY" stack errno_errno >"$BATS_TEST_TMPDIR/park.out" 2>&1 &
	pid=$!
	for _ in $(seq 50); do grep -q parked "$BATS_TEST_TMPDIR/park.out" && break; sleep 0.1; done
	run "$SCLENS" filter dump --json "$pid"
	check
	run "$SCLENS" filter eval --json "$pid" -s getuid
	check
	kill -USR2 "$pid" 2>/dev/null || true
	kill "$pid" 2>/dev/null || true
	run "$SCLENS" posture --json
	check
}
