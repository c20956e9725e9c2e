#!/bin/sh
# Installs the Debian packages sclens needs to build, test and demo, only
# those missing (so a second run costs nothing and needs no network).
set -eu
# --cross arm64: what `make cross-arm64` needs besides (the arch added to
# dpkg, the cross compiler, the :arm64 libraries, the arch's busybox)
if [ "${1:-}" = --cross ]; then
	arch=$2
	dpkg --print-foreign-architectures | grep -qx "$arch" || { dpkg --add-architecture "$arch"; apt-get update -q; }
	pkgs="gcc-aarch64-linux-gnu libc6-dev-arm64-cross libbpf-dev:$arch libelf-dev:$arch zlib1g-dev:$arch
libseccomp-dev:$arch libcjson-dev:$arch libmicrohttpd-dev:$arch libyaml-dev:$arch libcrypt-dev:$arch mmdebstrap qemu-system-arm"
else
pkgs="make gcc clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev libcjson-dev
libseccomp-dev pkg-config bats jq runc busybox-static gcc-multilib libclang-rt-14-dev
docker.io podman containerd strace python3-jsonschema python3-grpcio python3-grpc-tools tmux
libmicrohttpd-dev libyaml-dev libcrypt-dev openssl prometheus python3-yaml systemd
debhelper dpkg-dev lintian man-db qemu-system-x86 mmdebstrap"
fi
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing packages:$missing; run as root or: sudo apt-get install$missing" >&2
	exit 1
fi
echo "install-deps: installing:$missing"
apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
