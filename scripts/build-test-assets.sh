#!/bin/sh
# Builds what the end-to-end tests need beyond the helpers: the 32-bit
# helper (when gcc-multilib works) and a busybox rootfs for runc bundles.
set -eu
out=${1:-build/tests}
# a cross build (make cross-arm64) passes its compiler and its arch's busybox
cc=${CC:-gcc}
busybox=${BUSYBOX:-/bin/busybox}
mkdir -p "$out"
if [ ! -e "$out/scdeny32" ] || [ tests/helpers32/scdeny32.c -nt "$out/scdeny32" ]; then
	if [ "$cc" = gcc ] && gcc -m32 -static -O2 tests/helpers32/scdeny32.c -o "$out/scdeny32" 2>/dev/null; then
		echo "built $out/scdeny32"
	else
		echo "note: cannot build a 32-bit program here (gcc-multilib missing?): its test will skip"
		rm -f "$out/scdeny32"
	fi
fi
if [ ! -e "$out/settime-now" ] || [ tests/helpers32/settime_now.c -nt "$out/settime-now" ]; then
	$cc -static -O2 tests/helpers32/settime_now.c -o "$out/settime-now"
	rm -f "$out/rootfs/bin/settime-now"
fi
if [ ! -e "$out/calls" ] || [ tests/helpers32/calls.c -nt "$out/calls" ]; then
	$cc -static -O2 tests/helpers32/calls.c -o "$out/calls"
	rm -f "$out/rootfs/bin/calls"
fi
rootfs="$out/rootfs"
if [ ! -x "$rootfs/bin/busybox" ] && [ -f "$busybox" ]; then
	mkdir -p "$rootfs/bin" "$rootfs/proc" "$rootfs/sys" "$rootfs/dev" "$rootfs/tmp" "$rootfs/etc"
	cp "$busybox" "$rootfs/bin/busybox"
	for a in sh date sleep cat echo true false ls id; do ln -sf busybox "$rootfs/bin/$a"; done
	echo "root:x:0:0:root:/:/bin/sh" > "$rootfs/etc/passwd"
	echo "built $rootfs"
fi
[ -e "$rootfs/bin/settime-now" ] || cp "$out/settime-now" "$rootfs/bin/settime-now"
[ -e "$rootfs/bin/calls" ] || cp "$out/calls" "$rootfs/bin/calls"
