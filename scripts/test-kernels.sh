#!/bin/bash
# test-kernels.sh [ARCH...]: boots each kernel of tests/kernels/matrix.txt
# (Debian's own packages, the newest of each line, cached in
# $SCLENS_KERNEL_CACHE) under QEMU with the build in an initramfs, runs the
# capture tests there (tests/kernels/in-vm.sh) and prints their TAP lines,
# each named with its kernel and method, for the suite's totals. KVM where
# /dev/kvm exists, TCG otherwise. A kernel that cannot be had or booted is
# a failed test, never a silent pass. SCLENS_VM_MODE=bench runs make
# bench's program instead (scripts/bench.sh).
set -uo pipefail
cd "$(dirname "$0")/.."
cache=${SCLENS_KERNEL_CACHE:-/var/cache/sclens-test/kernels}
arches=${*:-x86}
results=${SCLENS_KERNEL_RESULTS:-build/kernels}
matrix=${SCLENS_KERNEL_MATRIX:-tests/kernels/matrix.txt}
mkdir -p "$cache" "$results"
status=0

# apt for another Debian suite (a matrix line "SUITE:REGEX"), with its own
# lists in the cache, the system's sources untouched
suite_apt=()
use_suite() { # SUITE or "" for the system's own
	suite_apt=()
	[ -n "$1" ] || return 0
	local d=$cache/apt-$1
	mkdir -p "$d/lists/partial"
	echo "deb http://deb.debian.org/debian $1 main" >"$d/sources.list"
	suite_apt=(-o "Dir::Etc::SourceList=$d/sources.list" -o Dir::Etc::SourceParts=/nonexistent
		-o "Dir::State::Lists=$d/lists" -o APT::Get::List-Cleanup=0)
	[ -n "$(ls "$d/lists" 2>/dev/null | grep -v partial)" ] || apt-get -q "${suite_apt[@]}" update >/dev/null 2>&1
}

# newest PACKAGE matching the pattern of a matrix line, as apt knows it
newest_package() { # REGEX
	apt-cache "${suite_apt[@]}" search --names-only "$1" 2>/dev/null | awk '{print $1}' | sort -V | tail -n 1
}

# fetch PACKAGE DEBARCH: the kernel image's path in the cache
fetch_kernel() {
	local pkg=$1 deb_arch=$2 dir=$cache/$1
	if ! compgen -G "$dir/boot/vmlinuz-*" >/dev/null; then
		rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
		(cd "$dir.tmp" && apt-get "${suite_apt[@]}" download -q "$pkg:$deb_arch" >/dev/null 2>&1) || return 1
		dpkg-deb -x "$dir.tmp"/*.deb "$dir.tmp/x" || return 1
		mkdir -p "$dir/boot"
		mv "$dir.tmp"/x/boot/vmlinuz-* "$dir/boot/"
		rm -rf "$dir.tmp"
	fi
	ls "$dir"/boot/vmlinuz-* | head -n 1
}

# boot ARCH VMLINUZ INITRD SERIAL_OUT ENV...: runs the VM to its poweroff;
# ENV (KEY=VALUE) reaches /init's environment through the command line.
# TCG runs one thread for all vCPUs: with one per vCPU, the kernel's
# live code patching (static keys flipped when programs attach) races
# with the translation cache and oopses on an int3.
boot() {
	local arch=$1 kernel=$2 initrd=$3 out=$4 accel=tcg,thread=single cpu
	shift 4
	local append="rdinit=/init quiet panic=-1 $*"
	[ -w /dev/kvm ] && [ "$arch" = "$(uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')" ] && accel=kvm
	case $arch in
	x86)
		cpu=max; [ "$accel" = kvm ] && cpu=host
		timeout -k 10 "${SCLENS_VM_WALL:-1500}" qemu-system-x86_64 -machine q35 -accel $accel -cpu $cpu \
			-m 2048 -smp 2 -nographic -no-reboot -kernel "$kernel" -initrd "$initrd" \
			-append "console=ttyS0 SCLENS_VM_OUT=/dev/ttyS1 $append" \
			-serial mon:stdio -serial "file:$out" </dev/null >"$out.console" 2>&1 ;;
	arm64)
		# one UART on this machine: the kernel (quiet) and the results
		# share it; the TAP lines are read out of it
		cpu=max; [ "$accel" = kvm ] && cpu=host
		timeout -k 10 "${SCLENS_VM_WALL:-1500}" qemu-system-aarch64 -machine virt,gic-version=max -accel $accel \
			-cpu $cpu -m 2048 -smp 2 -nographic -no-reboot -kernel "$kernel" -initrd "$initrd" \
			-append "console=ttyAMA0 $append" -serial "file:$out" </dev/null >"$out.console" 2>&1
		cp "$out" "$out.console" ;;
	esac
}

for arch in $arches; do
	case $arch in x86) deb_arch=amd64 ;; arm64) deb_arch=arm64 ;; *) echo "not ok - unknown arch $arch"; status=1; continue ;; esac
	initrd=$results/initramfs-$arch.cpio
	if ! tests/kernels/initramfs.sh "$arch" "$initrd" >"$results/initramfs-$arch.log" 2>&1; then
		echo "not ok - [$arch] building the test initramfs failed:"
		sed 's/^/# /' "$results/initramfs-$arch.log"
		status=1
		continue
	fi
	# every kernel of the arch at once: TCG runs each VM on one host thread
	pids=()
	while read -r march expect set regex; do
		[ "$march" = "$arch" ] || continue
		case $regex in *:*) use_suite "${regex%%:*}"; regex=${regex#*:} ;; *) use_suite "" ;; esac
		pkg=$(newest_package "$regex")
		if [ -z "$pkg" ] || ! kernel=$(fetch_kernel "$pkg" "$deb_arch"); then
			echo "not ok - [$arch] no kernel package matching $regex could be fetched (apt-get update? network?)"
			status=1
			continue
		fi
		(
			start=$(date +%s)
			boot "$arch" "$kernel" "$initrd" "$results/$pkg.tap" "SCLENS_EXPECT_AUTO=$expect" "SCLENS_VM_SET=$set" \
				${SCLENS_VM_TIMING:+SCLENS_VM_TIMING=1} ${SCLENS_VM_MODE:+SCLENS_VM_MODE=$SCLENS_VM_MODE} \
				${BENCH_LOOP:+BENCH_LOOP=$BENCH_LOOP} ${BENCH_STORM:+BENCH_STORM=$BENCH_STORM}
			echo "$(( $(date +%s) - start ))" >"$results/$pkg.seconds"
		) &
		pids+=($!)
		echo "$pkg" >>"$results/run.list"
	done < <(grep -v '^#' "$matrix")
	wait "${pids[@]}" 2>/dev/null
done

# the results, each VM's in turn, and the table the README quotes
table=$results/tested-kernels.md
printf '| kernel | arch | method chosen | tests passed |\n|---|---|---|---|\n' >"$table"
for pkg in $(cat "$results/run.list" 2>/dev/null); do
	out=$results/$pkg.tap
	tr -d '\r' <"$out" | grep -E '^(not )?ok |^# '
	if ! grep -q '^# done' "$out"; then
		echo "not ok - [$pkg] the VM did not finish its tests ($(cat "$results/$pkg.seconds") s); its console:"
		tail -n 30 "$out.console" | sed 's/^/# /'
		status=1
	fi
	grep -q '^not ok' "$out" && status=1
	kernel=$(sed -n 's/^# kernel \([^ ]*\) .*/\1/p' "$out")
	march=$(sed -n 's/^# kernel [^ ]* \(.*\)/\1/p' "$out")
	printf '| %s | %s | %s | %s of %s |\n' "${kernel:-$pkg}" "${march:-?}" \
		"$(sed -n 's/^# auto-method //p' "$out" | tr -d '\r')" "$(grep -c '^ok ' "$out")" \
		"$(grep -cE '^(not )?ok ' "$out")" >>"$table"
	echo "# $pkg: $(cat "$results/$pkg.seconds") s"
done
rm -f "$results/run.list"
exit $status
