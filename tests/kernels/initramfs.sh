#!/bin/bash
# initramfs.sh ARCH OUT: an initramfs (uncompressed newc cpio) that runs
# sclens's capture tests on whatever kernel boots it. It holds busybox, the
# host's bash, bats, jq, strace and runc with their libraries, build/ (or
# build-ARCH/ for a cross build) and the bats files; /init is
# tests/kernels/init. Every binary comes from the build host, or, for a
# cross build, from the :arm64 packages installed through multiarch.
set -euo pipefail
arch=$1 out=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build
[ "$arch" = "$(uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')" ] || build=$root/build-$arch
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

# copy_bin FILE...: each file at its own path, with the shared libraries
# ldd names (the loader included)
copy_bin() {
	local f lib
	for f in "$@"; do
		[ -e "$f" ] || { echo "initramfs: $f is missing" >&2; return 1; }
		mkdir -p "$stage$(dirname "$f")"
		cp -L "$f" "$stage$f"
		for lib in $(ldd "$f" 2>/dev/null | grep -oE '/[^ ]+' || true); do
			[ -e "$stage$lib" ] && continue
			mkdir -p "$stage$(dirname "$lib")"
			cp -L "$lib" "$stage$lib"
		done
	done
}

host_arch=$(uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
if [ "$arch" = "$host_arch" ]; then
	# merged /usr, as Debian 12 lays it out
	mkdir -p "$stage"/{usr/bin,usr/sbin,usr/lib,usr/lib64}
	for d in bin sbin lib lib64; do ln -s usr/$d "$stage/$d"; done
	# GNU tools where bats or the tests rely on their behaviour; busybox
	# provides the rest
	tools=(bash jq strace runc timeout seq mktemp stat date sleep sort head tail wc
		cut tr xargs nproc cat grep sed mawk ps pgrep pkill kill env id mkdir rm ls
		readlink dirname basename touch chmod printf tee uniq)
	for t in "${tools[@]}"; do
		p=$(command -v "$t" 2>/dev/null || true)
		case $p in /*)
			real=$(readlink -f "$p")
			copy_bin "$real"
			[ -e "$stage$p" ] || ln -s "$real" "$stage$p" ;;
		esac
	done
	cp /bin/busybox "$stage/usr/bin/busybox"
else
	# another arch: its Debian packages, unpacked (not installed: nothing
	# of theirs runs here), cached by package list
	deb_arch=$arch; [ "$arch" = x86 ] && deb_arch=amd64
	pkgs="bash,jq,strace,runc,coreutils,grep,sed,mawk,procps,busybox-static,findutils,libc6,libbpf1,libelf1,zlib1g,libseccomp2,libcjson1,libmicrohttpd12,libyaml-0-2"
	cache=${SCLENS_KERNEL_CACHE:-/var/cache/sclens-test/kernels}/rootfs-$deb_arch-$(echo "$pkgs" | md5sum | cut -c1-8).tar
	if [ ! -s "$cache" ]; then
		mkdir -p "$(dirname "$cache")"
		mmdebstrap --quiet --variant=extract --architectures="$deb_arch" --include="$pkgs" \
			bookworm "${cache%.tar}.tmp.tar" || { echo "initramfs: mmdebstrap of the $deb_arch packages failed" >&2; exit 1; }
		mv "${cache%.tar}.tmp.tar" "$cache"
	fi
	tar -C "$stage" -xf "$cache"
	rm -rf "$stage/var/cache" "$stage/var/lib/apt" "$stage/usr/share" "$stage"/usr/lib/*-linux-gnu/perl* \
		"$stage"/usr/lib/*-linux-gnu/gconv "$stage"/usr/lib/*-linux-gnu/libperl*
	mkdir -p "$stage/usr/bin"
	[ -e "$stage/usr/bin/awk" ] || ln -s mawk "$stage/usr/bin/awk"
fi
mkdir -p "$stage"/{proc,sys,dev,tmp,run,etc,newroot,var/tmp,root}
# busybox last, where no GNU tool is (a link written first would be
# written through by cp)
for a in $(/bin/busybox --list); do
	for d in bin sbin usr/bin usr/sbin; do [ -e "$stage/$d/$a" ] && continue 2; done
	ln -s /bin/busybox "$stage/usr/bin/$a"
done
# popen() and system() run /bin/sh (dash on Debian; not unpacked above)
[ -e "$stage/bin/sh" ] || ln -s /bin/busybox "$stage/bin/sh"
# bats: its scripts as Debian installs them
mkdir -p "$stage/usr/lib" "$stage/usr/libexec"
cp -a /usr/bin/bats "$stage/usr/bin/bats"
cp -a /usr/lib/bats-core "$stage/usr/lib/"
cp -a /usr/libexec/bats-core "$stage/usr/libexec/"
# the project: what the tests use, at the same relative paths
mkdir -p "$stage/sclens/build/tests" "$stage/sclens/tests"
cp -a "$root/tests/bats" "$root/tests/lib" "$root/tests/kernels" "$stage/sclens/tests/"
mkdir -p "$stage/sclens/build"
if [ "$arch" = "$host_arch" ]; then
	copy_bin "$build/sclens"
	mv "$stage$build/sclens" "$stage/sclens/build/sclens"
else
	cp "$build/sclens" "$stage/sclens/build/sclens"
fi
for h in "$build"/tests/*; do
	[ -f "$h" ] && cp -a "$h" "$stage/sclens/build/tests/"
done
cp -a "$build/tests/rootfs" "$stage/sclens/build/tests/rootfs"
# the real profiles some tests read, where they look for them
[ -d "$root/../shared/profiles" ] && mkdir -p "$stage/shared" && cp -a "$root/../shared/profiles" "$stage/shared/"
cp "$root/tests/kernels/init" "$stage/init"
chmod 755 "$stage/init"
cat >"$stage/etc/passwd" <<PW
root:x:0:0:root:/root:/bin/bash
nobody:x:65534:65534:nobody:/nonexistent:/bin/sh
PW
printf 'root:x:0:\nnogroup:x:65534:\n' >"$stage/etc/group"
(cd "$stage" && find . | /bin/busybox cpio -o -H newc 2>/dev/null) >"$out"
