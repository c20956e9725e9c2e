#!/bin/bash
# The pipeline's own cost, two builds compared in one run: a storm of
# denials through `sclens watch --json` with a profile known (every line
# carries its explanation), written to a file. The consumer is saturated,
# so what counts is lines written per CPU second of the watch process
# (user + system, from /proc), the builds alternated round by round.
#   scripts/bench-pipeline.sh BEFORE_BINARY AFTER_BINARY [ROUNDS] [DENIALS]
set -eu
cd "$(dirname "$0")/.."
before=$1 after=$2 rounds=${3:-5} n=${4:-300000}
profile=profiles/docker/docker-v20.10.24.json
make -s build/tests/scdeny
tick=$(getconf CLK_TCK)

one() { # one BINARY: prints "LINES CPU_TICKS"
	local bin=$1 out err pid cpu
	out=$(mktemp)
	err=$(mktemp)
	# unpaced where the build paces: the pipeline's cost, not the rate's
	local pace=()
	"$bin" watch --help 2>/dev/null | grep -q -- --rate-limit && pace=(--rate-limit 0)
	"$bin" watch --json --no-replay -c scdeny --profile "$profile" "${pace[@]}" >"$out" 2>"$err" &
	pid=$!
	for _ in $(seq 100); do grep -q watching "$err" && break; sleep 0.1; done
	sleep 0.5
	# utime + stime, fields 14 and 15 (after the comm's closing
	# parenthesis): the storm's share only, not the start-up's
	cpu0=$(sed 's/.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}')
	build/tests/scdeny loop_denied "$n" >/dev/null
	sleep 1
	cpu=$(sed 's/.*) //' "/proc/$pid/stat" | awk -v c0="$cpu0" '{print $12 + $13 - c0}')
	kill -INT "$pid"
	wait "$pid" || true
	echo "$(grep -c '"type":"denial"' "$out") $cpu"
	rm -f "$out" "$err"
}

declare -a rb ra
for r in $(seq "$rounds"); do
	for which in before after; do
		bin=$before
		[ "$which" = after ] && bin=$after
		read -r lines cpu < <(one "$bin")
		rate=$(awk -v l="$lines" -v c="$cpu" -v t="$tick" 'BEGIN { printf "%d", c ? l / (c / t) : 0 }')
		echo "  round $r $which: $lines lines in $(awk -v c="$cpu" -v t="$tick" 'BEGIN{printf "%.2f", c/t}') CPU s: $rate lines per CPU second"
		if [ "$which" = before ]; then rb+=("$rate"); else ra+=("$rate"); fi
	done
done
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
mb=$(median "${rb[@]}")
ma=$(median "${ra[@]}")
echo "  median: before $mb, after $ma lines per CPU second (after/before $(awk -v a="$ma" -v b="$mb" 'BEGIN{printf "%.2f", a/b}'))"
