#!/bin/bash
# Runs the unit tests and the bats tests (all TAP) and ends with the line
# "N passed, N failed, N skipped". Exits non-zero if anything failed.
set -u
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
for t in build/tests/test_*; do
	[ -x "$t" ] || continue
	echo "# unit: $t"
	"$t" | tee -a "$log" || status=1
done
echo "# bats: tests/bats"
bats --tap tests/bats | tee -a "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
skipped=$(grep -cE '^ok [0-9]+ .*# skip' "$log")
passed=$(( $(grep -cE '^ok [0-9]+' "$log") - skipped ))
failed=$(grep -cE '^not ok [0-9]+' "$log")
[ "$failed" -eq 0 ] || status=1
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
