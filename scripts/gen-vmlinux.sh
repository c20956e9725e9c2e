#!/bin/sh
# Regenerates vmlinux/<arch>/vmlinux.h from the running kernel's BTF. The
# result is committed: CO-RE relocates it to whatever kernel runs it.
set -eu
arch=${1:-x86}
btf=${BTF:-/sys/kernel/btf/vmlinux}
[ -r "$btf" ] || { echo "gen-vmlinux: $btf missing: needs a kernel with CONFIG_DEBUG_INFO_BTF" >&2; exit 1; }
mkdir -p "vmlinux/$arch"
bpftool btf dump file "$btf" format c > "vmlinux/$arch/vmlinux.h.tmp"
mv "vmlinux/$arch/vmlinux.h.tmp" "vmlinux/$arch/vmlinux.h"
echo "wrote vmlinux/$arch/vmlinux.h"
