#!/bin/bash
# make demo: the reference case on a real Docker host, as a user types it.
# dockerd is started here if none runs (and stopped after); the image is
# made offline from busybox-static. `sclens watch`, given no option but the
# demo container's name, names the rule of Docker's built-in default
# profile and the fix. Where Docker cannot run, the same case runs in a
# runc container with Docker's default converted as Docker does.
# The clock is only ever "set" to its current value, and is denied anyway.
set -eu
cd "$(dirname "$0")/.."
ROOT=$PWD
source tests/lib/bundle.sh
source tests/lib/engines.sh
[ "$(id -u)" = 0 ] || { echo "demo: run as root (sclens loads BPF programs; Docker needs root)" >&2; exit 3; }
ENGINE_STATE=$(mktemp -d)
name=sclens-demo-$$
watch_pid=
cleanup() {
	[ -n "$watch_pid" ] && kill -INT "$watch_pid" 2>/dev/null && wait "$watch_pid" 2>/dev/null
	runc delete -f "$name" >/dev/null 2>&1 || true
	stop_dockerd
	rm -rf "$ENGINE_STATE"
}
trap cleanup EXIT

watch() {
	echo "== sclens watch --container $name   (in the background: no profile option)"
	${SCLENS_BIN:-build/sclens} watch --container "$name" > "$ENGINE_STATE/watch.out" 2> "$ENGINE_STATE/watch.err" &
	watch_pid=$!
	for _ in $(seq 100); do grep -q watching "$ENGINE_STATE/watch.err" && break; sleep 0.1; done
}

if start_dockerd; then
	watch
	echo "== docker run --rm --name $name $ENGINE_IMAGE date -s \"$(now)\""
	"$DOCKER" run --rm --name "$name" "$ENGINE_IMAGE" date -s "$(now)" || true
else
	echo "== Docker cannot run here: the same case in runc, with Docker's default converted"
	seccomp=$ENGINE_STATE/seccomp.json
	${SCLENS_BIN:-build/sclens} profile convert -f profiles/docker/docker-v20.10.24.json > "$seccomp"
	make_bundle "$ENGINE_STATE/bundle" "$seccomp" "$DOCKER_DEFAULT_CAPS" sh -c 'date -s "$(date "+%Y-%m-%d %H:%M:%S")"'
	watch
	runc run --bundle "$ENGINE_STATE/bundle" "$name" </dev/null || true
fi
sleep 0.5
kill -INT "$watch_pid"; wait "$watch_pid" || true; watch_pid=
echo
echo "== what sclens saw"
cat "$ENGINE_STATE/watch.out"
grep -v watching "$ENGINE_STATE/watch.err" || true
grep -q clock_settime "$ENGINE_STATE/watch.out" || { echo "demo: sclens did not report the denial" >&2; exit 1; }
