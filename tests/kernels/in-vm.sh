#!/bin/bash
# Runs inside the test VM (tests/kernels/init): the capture tests under
# each method this kernel offers, as TAP, each test's name prefixed with
# the kernel and the method. Ends with a line "# done".
cd "$(dirname "$0")/../.."
kernel=$(uname -r)
arch=$(uname -m)
echo "# kernel $kernel $arch"
SCLENS=$PWD/build/sclens
# what `auto` chooses here, and why
auto=$("$SCLENS" watch -d 1 --json -p 1 2>/dev/null | jq -r 'select(.type == "summary") | .method')
echo "# auto-method ${auto:-none}"
files=(tests/bats/watch_actions.bats tests/bats/kernel_filters.bats tests/bats/filter.bats)
for method in ${SCLENS_VM_METHODS:-one-hook two-hooks}; do
	SCLENS_METHOD=$method SCLENS_BIN=$SCLENS timeout -k 10 "${SCLENS_VM_TIMEOUT:-900}" \
		bats --tap ${SCLENS_VM_TIMING:+-T} "${files[@]}" 2>&1 |
		sed "s/^\(\(not \)\?ok [0-9]*\)/\1 [$kernel $arch $method]/"
done
echo "# done"
