#!/bin/bash
# Runs inside the test VM (tests/kernels/init): the capture tests under
# each method this kernel offers, as TAP, each test's name prefixed with
# the kernel and the method. Ends with a line "# done". The kernel's
# command line passes, as environment variables, SCLENS_EXPECT_AUTO (the
# method `auto` must choose here), SCLENS_VM_SET (full or capture) and
# SCLENS_VM_MODE (bench: make bench's program instead of the tests).
cd "$(dirname "$0")/../.."
kernel=$(uname -r)
arch=$(uname -m)
echo "# kernel $kernel $arch"
SCLENS=$PWD/build/sclens
export SCLENS_BIN=$SCLENS SCLENS_EXPECT_AUTO

if [ "${SCLENS_VM_MODE:-}" = bench ]; then
	# make bench's figures on this kernel (scripts/bench.sh), as comments
	echo "# bench on $kernel $arch (TCG: ratios in one run, not absolute costs)"
	build/tests/bench "${BENCH_LOOP:-200000}" "${BENCH_STORM:-100000}" 2>&1 | sed 's/^/# /'
	echo "# done"
	exit 0
fi

if [ "${SCLENS_EXPECT_AUTO:-}" = refused ]; then
	# a kernel older than the minimum: refused at start, plainly
	"$SCLENS" watch -d 1 >/tmp/out 2>&1
	rc=$?
	sed 's/^/# /' /tmp/out
	if [ $rc -eq 3 ] && grep -qE "sclens needs Linux 5.17 or later|lacks BTF" /tmp/out && ! grep -qi verifier /tmp/out; then
		echo "ok 1 [$kernel $arch] an older kernel is refused at start with a plain message (exit 3)"
	else
		echo "not ok 1 [$kernel $arch] an older kernel is refused at start with a plain message (exit $rc)"
	fi
	echo "# done"
	exit 0
fi

auto=$("$SCLENS" watch -d 1 --json -p 1 2>/tmp/auto.err | jq -r 'select(.type == "summary") | .method')
echo "# auto-method ${auto:-none}"
echo "# $(grep -m1 watching /tmp/auto.err || head -n 3 /tmp/auto.err)"
auto=${auto/_/-} # as --method and SCLENS_METHOD spell it

# suite METHOD FILTER FILE...: one bats run, its TAP lines named
suite() {
	local method=$1 filter=$2
	shift 2
	SCLENS_METHOD=$method timeout -k 10 "${SCLENS_VM_TIMEOUT:-900}" \
		bats --tap ${SCLENS_VM_TIMING:+-T} ${filter:+-f "$filter"} "$@" 2>&1 |
		sed "s/^\(\(not \)\?ok [0-9]*\)/\1 [$kernel $arch $method]/"
}

if [ "${SCLENS_VM_SET:-full}" = capture ]; then
	# a slower emulation (another arch under TCG): every action, threads,
	# USER_NOTIF, under the method auto chose; the method's choice and its
	# cost in program runs; filter dump; a runc container named
	suite "$auto" "" tests/bats/watch_actions.bats
	suite "$auto" "the method|programs run only|70 stacked filters" tests/bats/kernel_filters.bats
	suite "$auto" "filter dump: instructions" tests/bats/filter.bats
	suite "$auto" "date -s in a runc container" tests/bats/containers.bats
	echo "# done"
	exit 0
fi

# everything under the method auto chose: capture, replay, filter dump,
# storms, a runc container named, record
suite "$auto" "" tests/bats/watch_actions.bats tests/bats/kernel_filters.bats \
	tests/bats/filter.bats tests/bats/watch_controls.bats
suite "$auto" "date -s in a runc container|human output of watch" tests/bats/containers.bats
suite "$auto" "record: a cgroup its runtime names" tests/bats/daemon.bats
# the capture tests under each other method
for method in fexit one-hook two-hooks; do
	[ "$method" = "$auto" ] && continue
	[ "$method" = fexit ] && [ "$auto" != fexit ] && continue
	suite "$method" "" tests/bats/watch_actions.bats
done
echo "# done"
