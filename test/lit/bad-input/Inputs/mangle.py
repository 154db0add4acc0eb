#!/usr/bin/env python3
"""Damages a btc object in one precise way, for the bad-input gallery.

  mangle.py IN OUT truncate N        keep the first N bytes (N < 0: drop -N from the end;
                                     'shoff': everything before the section headers)
  mangle.py IN DIR flip-each         one file per section with bytes in the file:
                                     DIR/NN-<name>.bto with the section's middle byte
                                     inverted (DIR/names lists them)
  mangle.py IN DIR flip-headers      one file per section header: its sh_offset set past
                                     the end of the file
  mangle.py IN OUT move SECTION TO   point SECTION's sh_offset at section TO's bytes
  mangle.py IN OUT rename SECTION N  rename SECTION in place (N as a Python string
                                     literal, of the same length: "'lic\\nnse'")
  mangle.py IN OUT header FIELD V    set an ELF header field: magic, class, data, machine,
                                     type, shoff, shnum, shstrndx (V: a number, or for
                                     shstrndx a section name)
  mangle.py IN OUT manifest EXPR [--reseal]
                                     edit the manifest: EXPR is Python run with `m` bound
                                     to the parsed manifest (e.g. "m['schema_version']=3").
                                     It is written back in place, padded to its section's
                                     size. With --reseal the section digests and the file
                                     digest are recomputed, so only the edit is wrong.

Only the standard library: the ELF is parsed with struct (ELF64, little-endian).
"""
import hashlib
import json
import os
import struct
import sys

EHDR = struct.Struct("<16sHHIQQQIHHHHHH")
SHDR = struct.Struct("<IIQQQQIIQQ")
SHT_NOBITS = 8


def sections(data):
    e = EHDR.unpack_from(data, 0)
    shoff, shentsize, shnum, shstrndx = e[6], e[11], e[12], e[13]
    hdrs = [SHDR.unpack_from(data, shoff + i * shentsize) for i in range(shnum)]
    strtab = hdrs[shstrndx]
    out = []
    for i, h in enumerate(hdrs):
        name_off = strtab[4] + h[0]
        name = data[name_off:data.index(b"\0", name_off)].decode()
        out.append({"index": i, "name": name, "type": h[1], "offset": h[4], "size": h[5],
                    "hdr": shoff + i * shentsize})
    return out


def manifest_section(data):
    for s in sections(data):
        if s["name"] == ".bt.manifest":
            return s
    sys.exit("mangle.py: no .bt.manifest section")


def reseal(data):
    """Recomputes integrity.sections and integrity.file_sha256 (docs/OBJECT.md)."""
    ms = manifest_section(data)
    text = bytes(data[ms["offset"]:ms["offset"] + ms["size"]]).decode().rstrip(" \0")
    m = json.loads(text)
    secs = [s for s in sections(data) if s["index"] != 0 and s["name"] != ".bt.manifest"]
    names = [s["name"] for s in secs]
    digests = {}
    for s in secs:
        key = s["name"] if names.count(s["name"]) == 1 else "%s#%d" % (s["name"], s["index"])
        body = b"" if s["type"] == SHT_NOBITS else bytes(data[s["offset"]:s["offset"] + s["size"]])
        digests[key] = hashlib.sha256(body).hexdigest()
    m["integrity"] = {"algorithm": "sha256", "sections": digests, "file_sha256": "0" * 64}
    write_manifest(data, m)
    whole = hashlib.sha256(bytes(data)).hexdigest()
    at = data.index(b'"file_sha256":"' + b"0" * 64, ms["offset"]) + len('"file_sha256":"')
    data[at:at + 64] = whole.encode()


def write_manifest(data, m):
    ms = manifest_section(data)
    text = json.dumps(m, separators=(",", ":")).encode()
    if len(text) > ms["size"]:
        sys.exit("mangle.py: the edited manifest does not fit its section")
    data[ms["offset"]:ms["offset"] + ms["size"]] = text + b" " * (ms["size"] - len(text))


def main(argv):
    src, dst, op, args = argv[1], argv[2], argv[3], argv[4:]
    data = bytearray(open(src, "rb").read())
    if op == "truncate":
        n = EHDR.unpack_from(data, 0)[6] if args[0] == "shoff" else int(args[0])
        data = data[:n] if n >= 0 else data[:len(data) + n]
    elif op == "flip-each" or op == "flip-headers":
        os.makedirs(dst, exist_ok=True)
        names = []
        for s in sections(data):
            if s["index"] == 0:
                continue
            copy = bytearray(data)
            if op == "flip-each":
                if s["type"] == SHT_NOBITS or s["size"] == 0:
                    continue
                copy[s["offset"] + s["size"] // 2] ^= 0xFF
            else:
                struct.pack_into("<Q", copy, s["hdr"] + 24, len(data) + 4096)
            safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in s["name"])
            fname = "%02d-%s.bto" % (s["index"], safe)
            open(os.path.join(dst, fname), "wb").write(copy)
            names.append("%s %s" % (fname, s["name"]))
        open(os.path.join(dst, "names"), "w").write("\n".join(names) + "\n")
        return
    elif op == "move":
        secs = {s["name"]: s for s in sections(data)}
        struct.pack_into("<Q", data, secs[args[0]]["hdr"] + 24, secs[args[1]]["offset"])
    elif op == "rename":
        import ast
        s = next(s for s in sections(data) if s["name"] == args[0])
        new = ast.literal_eval(args[1]).encode("latin-1")
        if len(new) != len(args[0]):
            sys.exit("mangle.py: rename keeps the name's length")
        e = EHDR.unpack_from(data, 0)
        strtab = SHDR.unpack_from(data, e[6] + e[13] * e[11])
        at = strtab[4] + SHDR.unpack_from(data, s["hdr"])[0]
        data[at:at + len(new)] = new
    elif op == "header":
        field, value = args
        offsets = {"magic": (0, "4s"), "class": (4, "B"), "data": (5, "B"), "type": (16, "H"),
                   "machine": (18, "H"), "shoff": (40, "Q"), "shnum": (60, "H"),
                   "shstrndx": (62, "H")}
        off, fmt = offsets[field]
        if field == "magic":
            v = value.encode("latin-1")
        elif field == "shstrndx" and not value[0].isdigit():
            v = next(s["index"] for s in sections(data) if s["name"] == value)
        else:
            v = int(value, 0)
        struct.pack_into("<" + fmt, data, off, v)
    elif op == "manifest":
        ms = manifest_section(data)
        m = json.loads(bytes(data[ms["offset"]:ms["offset"] + ms["size"]]).decode().rstrip(" \0"))
        exec(args[0], {"m": m})
        write_manifest(data, m)
        if "--reseal" in args[1:]:
            reseal(data)
    else:
        sys.exit("mangle.py: unknown operation " + op)
    open(dst, "wb").write(data)


if __name__ == "__main__":
    main(sys.argv)
