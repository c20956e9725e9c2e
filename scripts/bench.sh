#!/bin/bash
# make bench: prints the figures the README quotes.
set -eu
cd "$(dirname "$0")/.."
make -s build/tests/bench build/tests/scdeny build/tests/test_profile
echo "sclens bench, $(date -u +%Y-%m-%d), $(uname -r), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
build/tests/bench "${BENCH_LOOP:-2000000}" "${BENCH_STORM:-1000000}"

# 4. The same storm through the real command line: sclens watch --json
#    formatting every event to a file, as a user would run it; then again
#    with a profile known, so that every event carries its explanation
#    (explanations are cached: the storm must not lose more for it).
n=${BENCH_STORM:-1000000}
storm() { # storm LABEL WATCH_ARGS...
	local label=$1 out err pid
	shift
	out=$(mktemp)
	err=$(mktemp)
	build/sclens watch --json --no-replay "$@" > "$out" 2> "$err" &
	pid=$!
	for _ in $(seq 100); do grep -q watching "$err" && break; sleep 0.1; done
	local t0 t1
	t0=$(date +%s.%N)
	build/tests/scdeny loop_denied "$n" > /dev/null
	t1=$(date +%s.%N)
	sleep 1
	kill -INT "$pid"; wait "$pid" || true
	local summary reported lost seen explained suppressed bytes
	summary=$(grep '"type":"summary"' "$out")
	reported=$(grep -c '"type":"denial"' "$out" || true)
	explained=$(grep -c '"explanation"' "$out" || true)
	lost=$(echo "$summary" | sed -n 's/.*"events_lost":\([0-9]*\).*/\1/p')
	seen=$(echo "$summary" | sed -n 's/.*"denials_seen":\([0-9]*\).*/\1/p')
	suppressed=$(echo "$summary" | sed -n 's/.*"events_suppressed":\([0-9]*\).*/\1/p')
	bytes=$(stat -c %s "$out")
	echo "  $label: seen in kernel $seen, lines written $reported ($explained explained), over the cgroup's rate $suppressed, counted as lost $lost (seen = written + suppressed + lost: $([ "$seen" = $((reported + suppressed + lost)) ] && echo yes || echo NO))"
	echo "  $label  $(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }') MiB written; the storm ran at $(awk -v n="$n" -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", n / (b - a) }') denials per second"
	rm -f "$out" "$err"
}
echo
echo "4. Storm through 'sclens watch --json' to a file: $n denials"
storm "no profile, unpaced " -c scdeny --rate-limit 0
storm "profile, unpaced    " -c scdeny --rate-limit 0 --profile profiles/docker/docker-v20.10.24.json
storm "profile, paced      " -c scdeny --profile profiles/docker/docker-v20.10.24.json

# 4b. The pipeline against an earlier build, alternated in one run
#     (SCLENS_BENCH_BASELINE=path/to/old/sclens): lines per CPU second
if [ -n "${SCLENS_BENCH_BASELINE:-}" ]; then
	echo
	echo "4b. The pipeline, $SCLENS_BENCH_BASELINE (before) against build/sclens (after):"
	scripts/bench-pipeline.sh "$SCLENS_BENCH_BASELINE" build/sclens 6 400000
fi

# 5. Loading a large profile: 200,000 entries with arguments (linear).
echo
echo "5. Loading a profile of 200,000 entries with arguments:"
build/tests/test_profile 2>/dev/null | grep 'entries with args loaded' | sed 's/^# /  /'
scripts/soak.sh
scripts/soak-hostile.sh
scripts/bench-recorder.sh

# 8. The fexit method, where this kernel refuses it: the same program on
#    Debian's kernels under QEMU (tests/kernels/matrix.txt, x86), the
#    methods alternated in one run on each (TCG: read the ratios)
if command -v qemu-system-x86_64 >/dev/null && [ -z "${SCLENS_BENCH_NO_QEMU:-}" ]; then
	echo
	echo "8. On Debian's kernels under QEMU (fexit, the floors and the tracepoint methods):"
	SCLENS_VM_MODE=bench BENCH_LOOP=${BENCH_QEMU_LOOP:-200000} BENCH_STORM=100000 scripts/test-kernels.sh x86 |
		grep '^#' | grep -v '^# done'
fi
