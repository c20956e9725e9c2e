#!/bin/bash
# Runs the unit tests and the bats tests (all TAP), then the same again
# built with AddressSanitizer and UBSan (build-san/), the capture tests on
# other kernels under QEMU (scripts/test-kernels.sh), and the fuzzers for a
# bounded time. Ends with the line "N passed, N failed, N skipped"; exits
# non-zero if anything failed or a sanitizer reported anything.
set -u
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0

run_suite() { # run_suite BUILD_DIR LABEL
	local dir=$1 label=$2
	for t in "$dir"/tests/test_*; do
		[ -x "$t" ] || continue
		echo "# unit ($label): $t"
		"$t" | tee -a "$log" || status=1
	done
	echo "# bats ($label): tests/bats"
	# a hung test must fail the run, not outlive CI's time: 35 minutes
	# is about twice what the whole bats suite takes (real engines, pods
	# and servers: 12 to 18 minutes here)
	SCLENS_BIN=$PWD/$dir/sclens timeout -k 10 2100 bats --tap tests/bats | tee -a "$log"
	local rc=${PIPESTATUS[0]}
	[ "$rc" -ne 124 ] || echo "not ok - the bats suite ($label) did not finish in 35 minutes" | tee -a "$log"
	[ "$rc" -eq 0 ] || status=1
}

# the source layout docs/architecture.md promises (floors, no circles)
if out=$(scripts/check-layers.sh); then
	echo "ok - user/: no include a floor up, no two files including each other, no two files of one name" | tee -a "$log"
else
	echo "not ok - user/ layout (scripts/check-layers.sh)" | tee -a "$log"
	echo "$out" | sed 's/^/# /'
	status=1
fi

# every watch JSON line of the suite is collected and checked against the schema
export SCLENS_JSON_LOG=$PWD/build/json-lines.log
: >"$SCLENS_JSON_LOG"
run_suite build plain
# the capture tests again on the fallback method (the suite above runs the
# one this kernel allows best: one hook)
echo "# bats (plain, two-hook method): capture tests"
SCLENS_METHOD=two-hooks SCLENS_BIN=$PWD/build/sclens timeout -k 10 600 bats --tap \
	tests/bats/watch_actions.bats tests/bats/watch_controls.bats tests/bats/kernel_filters.bats |
	sed 's/^\(\(not \)\?ok [0-9]*\)/\1 [two-hooks]/' | tee -a "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
/usr/bin/python3 scripts/check-json.py docs/json-schema.json "$SCLENS_JSON_LOG" | tee -a "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
unset SCLENS_JSON_LOG

# Sanitized: any report is a failure. ASan and LSan reports go to files,
# which must not exist afterwards (this catches a process whose exit status
# no test looks at); UBSan aborts the process (-fno-sanitize-recover: its
# message on stderr, which GCC's runtime will not write to a log_path when
# linked with ASan), and the test sees the failed exit.
san_logs=$PWD/build-san/reports
rm -rf "$san_logs"
mkdir -p "$san_logs"
export ASAN_OPTIONS="log_path=$san_logs/asan:detect_leaks=1"
export UBSAN_OPTIONS="print_stacktrace=1"
run_suite build-san sanitized
unset ASAN_OPTIONS UBSAN_OPTIONS
if compgen -G "$san_logs/*" >/dev/null; then
	echo "not ok - sanitizer reports:" | tee -a "$log"
	head -50 "$san_logs"/* | sed 's/^/# /'
	status=1
else
	echo "ok - no sanitizer report in the sanitized run" | tee -a "$log"
fi

# the kernels users run, booted under QEMU (tests/kernels/matrix.txt);
# SCLENS_SKIP_KERNELS=1 leaves them out of a quick local run, and says so
if [ -n "${SCLENS_SKIP_KERNELS:-}" ]; then
	echo "ok - the kernel matrix under QEMU # skip SCLENS_SKIP_KERNELS is set" | tee -a "$log"
else
	echo "# kernels: tests/kernels/matrix.txt under QEMU"
	scripts/test-kernels.sh x86 arm64 | tee -a "$log"
	[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
fi

echo "# fuzz: each target for ${FUZZ_SECONDS:-10} s"
scripts/fuzz.sh "${FUZZ_SECONDS:-10}" | tee -a "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1

skipped=$(grep -cE '^ok [0-9]* ?.*# skip' "$log")
passed=$(( $(grep -cE '^ok( |$)' "$log") - skipped ))
failed=$(grep -cE '^not ok( |$)' "$log")
[ "$failed" -eq 0 ] || status=1
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
