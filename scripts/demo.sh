#!/bin/bash
# make demo: a real runc container whose seccomp profile denies
# clock_settime (as Docker's default does without CAP_SYS_TIME) runs
# `date -s`, and sclens shows the denial. The clock is only ever "set" to
# its current value, and the call is denied anyway.
set -eu
cd "$(dirname "$0")/.."
source tests/lib/bundle.sh
[ "$(id -u)" = 0 ] || { echo "demo: run as root (sclens loads BPF programs; runc needs root)" >&2; exit 3; }
work=$(mktemp -d)
id=sclens-demo-$$
watch_pid=
cleanup() {
	[ -n "$watch_pid" ] && kill -INT "$watch_pid" 2>/dev/null && wait "$watch_pid" 2>/dev/null
	runc delete -f "$id" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT

seccomp=$work/seccomp.json
cat >"$seccomp" <<'JSON'
{ "defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
  "syscalls": [ { "names": ["clock_settime", "settimeofday", "clock_adjtime", "adjtimex"],
                  "action": "SCMP_ACT_ERRNO", "errnoRet": 1 } ] }
JSON
make_bundle "$work/bundle" "$seccomp" "$DOCKER_DEFAULT_CAPS" \
	sh -c 'date -s "$(date "+%Y-%m-%d %H:%M:%S")"'

echo "== sclens watch (in the background)"
build/sclens watch > "$work/watch.out" 2> "$work/watch.err" &
watch_pid=$!
for _ in $(seq 100); do grep -q watching "$work/watch.err" && break; sleep 0.1; done

echo "== runc run $id: date -s <now>"
runc run --bundle "$work/bundle" "$id" </dev/null || true
sleep 0.5
kill -INT "$watch_pid"; wait "$watch_pid" || true; watch_pid=
echo
echo "== what sclens saw"
cat "$work/watch.out"
cat "$work/watch.err" | grep -v watching
grep -q clock_settime "$work/watch.out" || { echo "demo: sclens did not report the denial" >&2; exit 1; }
