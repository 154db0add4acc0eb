#!/usr/bin/env python3
"""build-id-frames.py BINARY OUT: OUT with each ustack(build_id) frame of BINARY, or of a
shared library it loads (`ldd`), named.

A frame `BUILDID 0xOFFSET` whose build id is one of those files' (as `readelf -n` prints it) is
printed as `<build id of NAME> SYMBOL+DELTA`: the file offset mapped back to an address
through that file's PT_LOAD segments (`readelf -lW`) and named by its function symbols
(`nm`, `nm -D` for a library without a symbol table), as one symbolizes such a stack
after the process is gone. Other lines, and the frames of other files, are printed as
they are.
"""
import os, re, subprocess, sys


def run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def segments_of(binary):
    """(file offset, virtual address, file size) of each loaded segment."""
    return [(int(m.group(1), 16), int(m.group(2), 16), int(m.group(3), 16))
            for m in re.finditer(r"^\s*LOAD\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+0x[0-9a-f]+\s+0x([0-9a-f]+)",
                                 run("readelf", "-lW", binary), re.M)]


def functions_of(binary):
    """(address, size, name) of each defined function symbol."""
    out = []
    for flags in (["-S"], ["-S", "-D"]):
        for line in run("nm", *flags, "--defined-only", binary).splitlines():
            parts = line.split()
            if len(parts) == 4 and parts[2] in "tTwWiI":
                out.append((int(parts[0], 16), int(parts[1], 16), parts[3]))
        if out:
            break
    return out


def name(binary, offset):
    for file_offset, vaddr, size in segments_of(binary):
        if file_offset <= offset < file_offset + size:
            address = vaddr + offset - file_offset
            for start, length, symbol in functions_of(binary):
                if start <= address < start + length:
                    return "%s+%d" % (symbol, address - start)
            return "0x%x (no symbol)" % address
    return "0x%x (in no segment)" % offset


program, out_path = sys.argv[1], sys.argv[2]
files = [program]
ldd = subprocess.run(["ldd", program], capture_output=True, text=True)  # fails if static
files += re.findall(r"=> (/\S+) \(", ldd.stdout if ldd.returncode == 0 else "")
binaries = {}
for binary in files:
    ids = re.findall(r"Build ID: ([0-9a-f]+)", run("readelf", "-n", binary))
    if len(ids) != 1:
        sys.exit("build-id-frames: %s has %d build ids" % (binary, len(ids)))
    binaries[ids[0]] = binary

frame = re.compile(r"^([0-9a-f]{40}) 0x([0-9a-f]{2,})$")
for line in open(out_path).read().splitlines():
    m = frame.match(line)
    if m and m.group(1) in binaries:
        binary = binaries[m.group(1)]
        line = "<build id of %s> %s" % (os.path.basename(binary), name(binary, int(m.group(2), 16)))
    print(line)
