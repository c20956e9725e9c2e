#!/bin/bash
# make demo: the reference case on a real container. A runc container with
# Docker's default seccomp profile (converted for Docker's default
# capabilities, as Docker does) runs `date -s`; sclens watch shows the
# denial, the rule and the fix. The clock is only ever "set" to its
# current value, and the call is denied anyway.
set -eu
cd "$(dirname "$0")/.."
source tests/lib/bundle.sh
[ "$(id -u)" = 0 ] || { echo "demo: run as root (sclens loads BPF programs; runc needs root)" >&2; exit 3; }
profile=${DOCKER_PROFILE:-../shared/profiles/docker-default.json}
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
watch_args=()
if [ -r "$profile" ]; then
	echo "== sclens profile convert -f $profile   (what Docker hands to runc)"
	build/sclens profile convert -f "$profile" > "$seccomp"
	watch_args=(--docker-default "$profile")
else
	echo "== $profile not found (set DOCKER_PROFILE): using a small profile that denies clock_settime"
	cat >"$seccomp" <<'JSON'
{ "defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
  "syscalls": [ { "names": ["clock_settime", "settimeofday", "clock_adjtime", "adjtimex"],
                  "action": "SCMP_ACT_ERRNO", "errnoRet": 1 } ] }
JSON
fi
make_bundle "$work/bundle" "$seccomp" "$DOCKER_DEFAULT_CAPS" \
	sh -c 'date -s "$(date "+%Y-%m-%d %H:%M:%S")"'

echo "== sclens watch ${watch_args[*]}   (in the background)"
build/sclens watch "${watch_args[@]}" > "$work/watch.out" 2> "$work/watch.err" &
watch_pid=$!
for _ in $(seq 100); do grep -q watching "$work/watch.err" && break; sleep 0.1; done

echo "== runc run $id: date -s <now>"
runc run --bundle "$work/bundle" "$id" </dev/null || true
sleep 0.5
kill -INT "$watch_pid"; wait "$watch_pid" || true; watch_pid=
echo
echo "== what sclens saw"
cat "$work/watch.out"
grep -v watching "$work/watch.err" || true
grep -q clock_settime "$work/watch.out" || { echo "demo: sclens did not report the denial" >&2; exit 1; }
