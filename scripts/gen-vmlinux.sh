#!/bin/sh
# Regenerates vmlinux/<arch>/vmlinux.h from a kernel's BTF. The result is
# committed: CO-RE relocates it to whatever kernel runs it.
#   gen-vmlinux.sh [ARCH]             the running kernel's BTF
#   BTF=FILE gen-vmlinux.sh ARCH      a BTF blob
#   IMAGE=VMLINUZ gen-vmlinux.sh ARCH an uncompressed kernel image (Debian's
#                                     arm64 vmlinuz: vmlinux/arm64 came so
#                                     from linux-image-6.12.118+deb12-cloud-arm64)
set -eu
arch=${1:-x86}
btf=${BTF:-/sys/kernel/btf/vmlinux}
if [ -n "${IMAGE:-}" ]; then
	btf=$(mktemp)
	trap 'rm -f "$btf"' EXIT
	"$(dirname "$0")/btf-from-image.py" "$IMAGE" "$btf"
fi
[ -r "$btf" ] || { echo "gen-vmlinux: $btf missing: needs a kernel with CONFIG_DEBUG_INFO_BTF" >&2; exit 1; }
mkdir -p "vmlinux/$arch"
bpftool btf dump file "$btf" format c > "vmlinux/$arch/vmlinux.h.tmp"
mv "vmlinux/$arch/vmlinux.h.tmp" "vmlinux/$arch/vmlinux.h"
echo "wrote vmlinux/$arch/vmlinux.h"
