#!/bin/bash
# make bench: prints the figures the README quotes.
set -eu
cd "$(dirname "$0")/.."
make -s build/tests/bench build/tests/scdeny
echo "sclens bench, $(date -u +%Y-%m-%d), $(uname -r), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
build/tests/bench "${BENCH_LOOP:-2000000}" "${BENCH_STORM:-1000000}"

# 4. The same storm through the real command line: sclens watch --json
#    formatting every event to a file, as a user would run it.
n=${BENCH_STORM:-1000000}
out=$(mktemp)
err=$(mktemp)
build/sclens watch --json --no-replay > "$out" 2> "$err" &
pid=$!
for _ in $(seq 100); do grep -q watching "$err" && break; sleep 0.1; done
start=$(date +%s.%N)
build/tests/scdeny loop_denied "$n" > /dev/null
sleep 1
kill -INT "$pid"; wait "$pid" || true
end=$(date +%s.%N)
summary=$(grep '"type":"summary"' "$out")
reported=$(grep -c '"type":"denial"' "$out")
lost=$(echo "$summary" | sed -n 's/.*"events_lost":\([0-9]*\).*/\1/p')
seen=$(echo "$summary" | sed -n 's/.*"denials_seen":\([0-9]*\).*/\1/p')
echo
echo "4. Storm through 'sclens watch --json' to a file: $n denials"
echo "  seen in kernel: $seen  lines written: $reported  counted as lost: $lost  (seen = written + lost: $([ "$seen" = $((reported + lost)) ] && echo yes || echo NO))"
rm -f "$out" "$err"
