#!/usr/bin/env python3
"""btf-from-image.py IMAGE OUT: the kernel's BTF (what /sys/kernel/btf/vmlinux
serves) cut out of an uncompressed kernel image, such as Debian's arm64
vmlinuz (a raw Image): the blob starts with the BTF header (magic 0xeb9f,
version 1, a 24-byte header) and its types and strings follow it. The
longest well-formed blob is the kernel's own. scripts/gen-vmlinux.sh uses it
to make vmlinux/<arch>/vmlinux.h for an arch this machine does not run."""
import struct
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: btf-from-image.py IMAGE OUT")
    data = open(sys.argv[1], "rb").read()
    best = None
    i = data.find(b"\x9f\xeb\x01\x00\x18\x00\x00\x00")
    while i >= 0:
        _, _, _, hdr, type_off, type_len, str_off, str_len = struct.unpack_from("<HBBIIIII", data, i)
        total = hdr + str_off + str_len
        if type_off == 0 and str_off == type_len and i + total <= len(data):
            if not best or total > best[1]:
                best = (i, total)
        i = data.find(b"\x9f\xeb\x01\x00\x18\x00\x00\x00", i + 1)
    if not best:
        sys.exit("btf-from-image: no BTF in %s (a compressed image? CONFIG_DEBUG_INFO_BTF?)" % sys.argv[1])
    open(sys.argv[2], "wb").write(data[best[0]:best[0] + best[1]])


main()
