#!/bin/bash
# make bench, 7: what recording costs a real workload. Redis, made from
# Debian's packages (tests/lib/workloads.sh), under redis-benchmark in its
# own container: requests per second of SET and GET without sclens, under
# the floor (empty programs on the two hooks the recorder uses), under
# `sclens watch` (what the daemon costs) and under `sclens record`,
# alternated in each round of one run;
# and the kernel's own accounting (kernel.bpf_stats_enabled) of the
# recorder's programs while the load ran.
set -eu
cd "$(dirname "$0")/.."
make -s build/sclens build/tests/bench
export ROOT=$PWD # engines.sh imports the test image from $ROOT/build
rounds=${BENCH_RECORDER_ROUNDS:-6}
requests=${BENCH_RECORDER_REQUESTS:-1000000}
ENGINE_STATE=$(mktemp -d)
# shellcheck source=../tests/lib/engines.sh
. tests/lib/engines.sh
# shellcheck source=../tests/lib/workloads.sh
. tests/lib/workloads.sh
echo
echo "7. Recording's cost on Redis (redis-benchmark -n $requests -P 16, SET and GET, in its container), $rounds rounds, the four alternated in each:"
name=sclens-bench-redis
rec=
stats_was=$(sysctl -n kernel.bpf_stats_enabled 2>/dev/null || echo 0)
cleanup() {
	[ -z "$rec" ] || { kill -INT "$rec" 2>/dev/null; wait "$rec" 2>/dev/null || true; }
	"$DOCKER" rm -f "$name" >/dev/null 2>&1 || true
	stop_dockerd
	sysctl -q -w kernel.bpf_stats_enabled="$stats_was" 2>/dev/null || true
	rm -rf "$ENGINE_STATE"
}
trap cleanup EXIT
start_dockerd || { echo "  Docker cannot run here: skipped"; exit 0; }
workload_image redis redis-server redis-tools || { echo "  cannot make the Redis image (mmdebstrap, mirror): skipped"; exit 0; }
"$DOCKER" rm -f "$name" >/dev/null 2>&1 || true
"$DOCKER" run -d --name "$name" sclens-redis redis-server --save "" --appendonly no --protected-mode no >/dev/null
for _ in $(seq 100); do "$DOCKER" exec "$name" redis-cli ping 2>/dev/null | grep -q PONG && break; sleep 0.2; done

rate() { # requests per second of SET and GET, averaged
	"$DOCKER" exec "$name" redis-benchmark -q -n "$requests" -P 16 -t set,get 2>/dev/null | tr '\r' '\n' |
		awk '/requests per second/ { for (i = 1; i <= NF; i++) if ($(i + 1) == "requests") { s += $i; n++ } }
			END { if (n) printf "%d", s / n; else printf "0" }'
}

# prog_stats BEFORE: "name runs ns" of each sclens program loaded since the
# program ids in the file BEFORE were listed (bpftool here cannot say
# which process holds a program, and nothing else runs sclens meanwhile)
prog_ids() { bpftool prog show --json 2>/dev/null | jq -r '.[].id'; }
prog_stats() {
	bpftool prog show --json 2>/dev/null |
		jq -r --slurpfile old <(jq -s . "$1") '.[] | select((.id as $id | $old[0] | index($id) | not) and (.name | test("^(handle|bench)_")))
			| "\(.name) \(.run_cnt // 0) \(.run_time_ns // 0)"'
}

# with ARM COMMAND...: COMMAND running (attached) while the load runs once;
# the run-time counts of the programs it loaded appended to
# $ENGINE_STATE/stats-ARM (in the accounting pass only: the accounting
# has a cost too)
with() {
	local arm=$1
	shift
	command -v bpftool >/dev/null && prog_ids >"$ENGINE_STATE/ids"
	"$@" 2>"$ENGINE_STATE/rec.err" >/dev/null &
	rec=$!
	for _ in $(seq 100); do grep -q watching "$ENGINE_STATE/rec.err" && break; sleep 0.1; done
	rate
	[ "$(sysctl -n kernel.bpf_stats_enabled 2>/dev/null)" != 1 ] || ! command -v bpftool >/dev/null ||
		prog_stats "$ENGINE_STATE/ids" >>"$ENGINE_STATE/stats-$arm"
	kill -INT "$rec"
	wait "$rec" || true
	rec=
}
floor=(build/tests/bench hold-floor)
watch=(build/sclens watch --container "$name")
record=(build/sclens record --container "$name" -o "$ENGINE_STATE/rec.json")

declare -a off floored watching on
for r in $(seq "$rounds"); do
	off+=("$(rate)")
	floored+=("$(with floor "${floor[@]}")")
	watching+=("$(with watch "${watch[@]}")")
	on+=("$(with record "${record[@]}")")
	echo "  round $r: ${off[-1]} without, ${floored[-1]} floor, ${watching[-1]} watching, ${on[-1]} recording"
done
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
less() { awk -v a="$1" -v b="$2" 'BEGIN { d = (1 - a / b) * 100; printf "%.1f%% %s", d < 0 ? -d : d, d < 0 ? "more" : "fewer" }'; }
mo=$(median "${off[@]}")
mf=$(median "${floored[@]}")
mw=$(median "${watching[@]}")
mr=$(median "${on[@]}")
echo "  median requests per second: $mo without; $mf under the floor ($(less "$mf" "$mo")); $mw watching ($(less "$mw" "$mo")); $mr recording ($(less "$mr" "$mo"))"
calls=$(jq '[.recorded[0].calls[].count] | add // 0' "$ENGINE_STATE/rec.json" 2>/dev/null || echo 0)
echo "  the last recording: $calls calls counted, $(jq -r '"lost: \(.lost.calls) calls, \(.lost.arg_values) argument values"' "$ENGINE_STATE/rec.json" 2>/dev/null)"
# the accounting pass: per-program times from the kernel, one load each
if sysctl -q -w kernel.bpf_stats_enabled=1 2>/dev/null; then
	with floor "${floor[@]}" >/dev/null
	with watch "${watch[@]}" >/dev/null
	with record build/sclens record --container "$name" -o /dev/null >/dev/null
	sysctl -q -w kernel.bpf_stats_enabled="$stats_was"
else
	echo "  (kernel.bpf_stats_enabled cannot be set: no per-program times)"
fi
for arm in floor watch record; do
	[ -s "$ENGINE_STATE/stats-$arm" ] || continue
	echo "  $arm: its programs during one more load, by the kernel's run-time accounting (every task on the host runs them):"
	awk '$1 != "" { runs[$1] += $2; ns[$1] += $3 } END { for (p in runs) if (runs[p]) printf "    %-28s %12d runs  %6.1f ns/run\n", p, runs[p], ns[p] / runs[p] }' \
		"$ENGINE_STATE/stats-$arm" | sort
done
