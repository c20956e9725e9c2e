# Common set-up for the bats tests: paths, starting and stopping sclens.
ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
SCLENS=${SCLENS_BIN:-$ROOT/build/sclens}
SCDENY=$ROOT/build/tests/scdeny
source "$ROOT/tests/lib/bundle.sh"

# the arch sclens names for native calls here, and numbers the tests check
NATIVE_ARCH=$(uname -m)
case $NATIVE_ARCH in
aarch64) NR_CLOCK_SETTIME=112 NR_GETPPID=173 ;;
*) NR_CLOCK_SETTIME=227 NR_GETPPID=110 ;;
esac

# wait_until SECONDS CMD...: runs CMD every 0.2 s until it succeeds
wait_until() {
	local n=$(($1 * 5))
	shift
	for _ in $(seq "$n"); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
	return 1
}

need_root() {
	[ "$(id -u)" = 0 ] || skip "needs root (loads BPF programs)"
}

# start_watch ARGS...: runs `sclens watch ARGS` in the background, output
# in $WATCH_OUT / $WATCH_ERR, and waits until it is attached.
start_watch() {
	WATCH_OUT=$BATS_TEST_TMPDIR/watch.out
	WATCH_ERR=$BATS_TEST_TMPDIR/watch.err
	"$SCLENS" watch "$@" >"$WATCH_OUT" 2>"$WATCH_ERR" &
	WATCH_PID=$!
	for _ in $(seq 100); do
		grep -q "watching" "$WATCH_ERR" 2>/dev/null && return 0
		kill -0 "$WATCH_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "sclens watch did not start:" >&2
	cat "$WATCH_ERR" >&2
	return 1
}

# stop_watch: SIGINT, wait; its exit status in $WATCH_RC
stop_watch() {
	sleep 0.3 # let the ring buffer drain
	kill -INT "$WATCH_PID" 2>/dev/null || true
	WATCH_RC=0
	wait "$WATCH_PID" || WATCH_RC=$?
	# every JSON line watch printed is checked against the schema at the end
	# (the first 5,000 and the summary: a storm's lines differ only in numbers)
	[ -z "${SCLENS_JSON_LOG:-}" ] || { grep '^{' "$WATCH_OUT" | head -n 5000
		grep '^{"type":"summary"' "$WATCH_OUT"; } >>"$SCLENS_JSON_LOG" 2>/dev/null || true
}

# denials [JQ_FILTER]: the denial lines of the JSON output, filtered
denials() {
	jq -c "select(.type == \"denial\")${1:+ | $1}" "$WATCH_OUT"
}

# count_denials JQ_CONDITION
count_denials() {
	jq -s "[.[] | select(.type == \"denial\") | select($1)] | length" "$WATCH_OUT"
}

teardown_containers() {
	for id in "${CONTAINERS[@]:-}"; do
		[ -n "$id" ] && runc delete -f "$id" >/dev/null 2>&1 || true
	done
}
