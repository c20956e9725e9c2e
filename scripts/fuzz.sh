#!/bin/bash
# Runs every libFuzzer target for SECONDS (default 10) each, seeded with
# the corpora kept in tests/fuzz/corpus/, the real profiles in
# ../shared/profiles and the runtime fixture trees; what a run finds is
# kept in build/fuzz-corpus/. Prints one TAP line per target.
set -u
cd "$(dirname "$0")/.."
secs=${1:-10}
status=0
seeds_for() { # extra seed files of a target, comma-separated
	case $1 in
	profile) find ../shared/profiles tests/fixtures -name '*.json' -size -200k 2>/dev/null ;;
	metadata) find tests/fixtures -name '*.json' -size -200k 2>/dev/null ;;
	esac | paste -sd, -
}
for bin in build/fuzz/fuzz_*; do
	[ -x "$bin" ] || continue
	name=${bin##*/fuzz_}
	corpus=build/fuzz-corpus/$name
	mkdir -p "$corpus" build/fuzz-artifacts
	seeds=$(seeds_for "$name")
	out=$("$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -artifact_prefix=build/fuzz-artifacts/ \
		${seeds:+-seed_inputs="$seeds"} "$corpus" "tests/fuzz/corpus/$name" 2>&1)
	rc=$?
	runs=$(echo "$out" | sed -n 's/^Done \([0-9]*\) runs.*/\1/p')
	if [ "$rc" -eq 0 ] && [ -n "$runs" ]; then
		echo "ok - fuzz $name: $runs runs in $secs s, no crash, leak or sanitizer report"
	else
		echo "not ok - fuzz $name (exit $rc)"
		echo "$out" | grep -v '^#' | tail -30 | sed 's/^/# /'
		status=1
	fi
done
exit $status
