#!/usr/bin/env python3
"""Builds a btc-like fixture object for btrun's lit tests, without btc.

Compiles a hand-written BPF C program with clang-19, then adds the `.bt.manifest`
section (docs/OBJECT.md) with llvm-objcopy, filling in `integrity.sections` with the
SHA-256 of every other section. Options make deliberately broken objects.

  gen_fixture.py SRC.bpf.c MANIFEST.json -o OUT [--schema N] [--drop KEY.PATH]
                 [--no-manifest] [--corrupt SECTION] [--set KEY.PATH=JSON] [-D MACRO]
"""
import argparse
import hashlib
import json
import os
import struct
import subprocess
import sys
import tempfile


def sections(path):
    """(index, name, type, bytes, file offset) of every section but the null one."""
    data = open(path, "rb").read()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        sys.exit("gen_fixture: not a little-endian ELF64: " + path)
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    hdrs = []
    for i in range(shnum):
        name, typ, _flags, _addr, off, size = struct.unpack_from("<IIQQQQ", data, shoff + i * shentsize)
        hdrs.append((name, typ, off, size))
    strtab = hdrs[shstrndx]
    out = []
    for i, (name, typ, off, size) in enumerate(hdrs):
        if i == 0:
            continue
        start = strtab[2] + name
        nm = data[start:data.index(b"\0", start)].decode()
        body = b"" if typ == 8 else data[off:off + size]  # SHT_NOBITS has no bytes
        out.append((i, nm, typ, body, off))
    return out


def digests(path):
    secs = [s for s in sections(path) if s[1] != ".bt.manifest"]
    names = [s[1] for s in secs]
    res = {}
    for idx, name, _typ, body, _off in secs:
        key = name if names.count(name) == 1 else "%s#%d" % (name, idx)
        res[key] = hashlib.sha256(body).hexdigest()
    return res


def set_path(obj, path, value, delete=False):
    parts = path.split(".")
    for p in parts[:-1]:
        obj = obj[int(p)] if isinstance(obj, list) else obj[p]
    last = parts[-1]
    if isinstance(obj, list):
        last = int(last)
    if delete:
        del obj[last]
    else:
        obj[last] = value


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("manifest")
    ap.add_argument("-o", dest="out", required=True)
    ap.add_argument("--schema", type=int)
    ap.add_argument("--drop", action="append", default=[])
    ap.add_argument("--set", action="append", default=[])
    ap.add_argument("--no-manifest", action="store_true")
    ap.add_argument("--corrupt")
    ap.add_argument("-D", dest="defines", action="append", default=[])
    args = ap.parse_args()

    here = os.path.dirname(os.path.abspath(__file__))
    subprocess.check_call(["clang-19", "-target", "bpf", "-O2", "-g",
                           "-I/usr/include/x86_64-linux-gnu", "-I" + here] + ["-D" + d for d in args.defines] + [
                           "-c", args.src, "-o", args.out])
    if not args.no_manifest:
        m = json.load(open(args.manifest))
        src = open(args.src).read()
        m.setdefault("source", {"name": os.path.basename(args.src), "text": src,
                                "sha256": hashlib.sha256(src.encode()).hexdigest()})
        if args.schema is not None:
            m["schema_version"] = args.schema
        for kv in args.set:
            k, v = kv.split("=", 1)
            set_path(m, k, json.loads(v))
        with tempfile.TemporaryDirectory() as tmp:
            ph = os.path.join(tmp, "manifest")
            open(ph, "w").write("{}")
            subprocess.check_call(["llvm-objcopy", "--add-section", ".bt.manifest=" + ph, args.out])
            m["integrity"] = {"algorithm": "sha256", "sections": digests(args.out),
                              "file_sha256": "0" * 64}
            for k in args.drop:
                set_path(m, k, None, delete=True)
            text = json.dumps(m, indent=1)
            text += " " * ((-len(text)) % 16)  # padded with spaces, as btc pads it
            open(ph, "w").write(text)
            subprocess.check_call(["llvm-objcopy", "--update-section", ".bt.manifest=" + ph, args.out])
        if "integrity" in m and digests(args.out) != m["integrity"]["sections"]:
            sys.exit("gen_fixture: llvm-objcopy changed other sections; digests are stale")
        if "file_sha256" in m.get("integrity", {}):
            # The whole-file digest is taken with its own field still zero.
            data = bytearray(open(args.out, "rb").read())
            zeros = b"0" * 64
            at = data.find(b'"file_sha256": "' + zeros)
            digest = hashlib.sha256(bytes(data)).hexdigest().encode()
            at += len(b'"file_sha256": "')
            data[at:at + 64] = digest
            open(args.out, "wb").write(bytes(data))
    if args.corrupt:
        for _idx, name, _typ, body, off in sections(args.out):
            if name == args.corrupt and body:
                with open(args.out, "r+b") as f:
                    f.seek(off + len(body) // 2)
                    b = f.read(1)
                    f.seek(off + len(body) // 2)
                    f.write(bytes([b[0] ^ 0x5A]))
                break
        else:
            sys.exit("gen_fixture: no section %s with bytes to corrupt" % args.corrupt)


if __name__ == "__main__":
    main()
