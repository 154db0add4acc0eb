#!/usr/bin/env python3
"""Every printf format the test suite and the examples use, through both sides.

  printf-formats.py sides ROOT WORK     btc's verdict on each format against btrun's
  printf-formats.py script ROOT OUT.bt  a script printing every format btc accepts
                                        (for test/runtime/Inputs/diff.sh: bpftrace's text)

ROOT is the source tree; formats come from printf("...") in test/**/*.bt, test/**/*.test
and examples/*.bt, and from btrun-format-test's {"printf": "..."} inputs in *.test (in
RUN lines lit's %% is one %). Each format gets arguments by a loose reading of its
conversions (%s: a string, %r: a buffer, anything else: an integer), independent of lib/Format: where
the guess is wrong both sides must refuse alike.

`sides`: btc compiles one script holding every format (one printf per line; Sema reports
every refused line). btrun then reads (--dry-run) the object of the accepted ones,
whose manifest must carry each format unchanged, and, for each refused one, an object
compiled with the same argument kinds whose manifest format is replaced by it (mangle.py
--reseal), which btrun must refuse at load. Prints one `MISMATCH:` line per disagreement
and a summary.
"""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lit", "bad-input", "Inputs"))
import mangle  # noqa: E402

LITERAL = r'"((?:[^"\\\n]|\\.)*)"'
PRINTF_CALL = re.compile(r"printf\(\s*" + LITERAL)
PRINTF_JSON = re.compile(r'"printf"\s*:\s*' + LITERAL)
SIMPLE = {"n": 10, "t": 9, "r": 13, "a": 7, "b": 8, "f": 12, "v": 11, "e": 27,
          "\\": 92, '"': 34, "'": 39, "?": 63}


def decode_literal(body):
    """The bytes of a script string literal (btc's escapes); None if btc would refuse it."""
    out = bytearray()
    i = 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out += c.encode()
            i += 1
            continue
        e = body[i + 1]
        if e in SIMPLE:
            out.append(SIMPLE[e])
            i += 2
        elif e == "x":
            m = re.match(r"[0-9a-fA-F]{1,2}", body[i + 2:])
            if not m:
                return None
            out.append(int(m.group(0), 16))
            i += 2 + len(m.group(0))
        elif e in "01234567":
            m = re.match(r"[0-7]{1,3}", body[i + 1:])
            if int(m.group(0), 8) > 255:
                return None
            out.append(int(m.group(0), 8))
            i += 1 + len(m.group(0))
        else:
            return None
    return bytes(out)


def collect(root):
    """{format bytes: script literal body}, from every file the suite and examples hold."""
    found = {}
    files = []
    for top in ("test", "examples"):
        for d, _, names in os.walk(os.path.join(root, top)):
            files += [os.path.join(d, n) for n in names if n.endswith((".bt", ".test"))]
    for path in sorted(files):
        is_test = path.endswith(".test")
        for line in open(path, encoding="utf-8", errors="surrogateescape"):
            run = is_test and "RUN:" in line
            if run:
                line = line.replace("%%", "%")
            for m in PRINTF_CALL.finditer(line):
                raw = m.group(1).encode("utf-8", "surrogateescape").decode("latin-1")
                fmt = decode_literal(raw)
                if fmt is not None and b"\0" not in fmt:
                    found.setdefault(fmt, None)
            if run:
                for m in PRINTF_JSON.finditer(line):
                    try:
                        fmt = json.loads('"' + m.group(1) + '"').encode()
                    except ValueError:
                        continue
                    if b"\0" not in fmt:
                        found.setdefault(fmt, None)
    return sorted(found)


def literal(fmt):
    """`fmt` as a script string literal."""
    out = ""
    for b in fmt:
        ch = chr(b)
        if ch in '"\\':
            out += "\\" + ch
        elif 0x20 <= b < 0x7f:
            out += ch
        else:
            out += "\\x%02x" % b
    return '"' + out + '"'


def arg_kinds(fmt):
    """A loose reading: 's' for %s, 'r' for %r (a buffer), 'i' for any other conversion."""
    text = fmt.decode("latin-1").replace("%%", "")
    return [m.group(1) if m.group(1) in ("s", "r") else "i"
            for m in re.finditer(r"%[-+ #0-9.]*[hlLqjzt]*(.?)", text)]


def call(fmt, kinds):
    values = {"s": '"str"', "r": 'buf("str", 3)', "i": "-81985529216486895"}
    args = "".join(", " + values[k] for k in kinds)
    return "printf(%s%s);" % (literal(fmt), args)


def btc_verdicts(btc, formats, work):
    """{format: None if btc accepts it, else its error line}."""
    path = os.path.join(work, "all.bt")
    with open(path, "w") as f:
        f.write("BEGIN {\n")
        for fmt in formats:
            f.write("  %s\n" % call(fmt, arg_kinds(fmt)))
        f.write("}\n")
    r = subprocess.run([btc, path, "-o", os.path.join(work, "all.bto")],
                       capture_output=True, text=True, errors="replace")
    errors = {}
    for line in r.stderr.splitlines():
        m = re.match(r".*all\.bt:(\d+):\d+: error: (.*)", line)
        if m:
            errors.setdefault(int(m.group(1)) - 2, m.group(2))
    if r.returncode != 0 and not errors:
        sys.exit("printf-formats.py: btc failed without a located error:\n" + r.stderr)
    return {fmt: errors.get(i) for i, fmt in enumerate(formats)}


def btrun_reads(btrun, obj):
    """Whether btrun loads `obj`'s manifest (--dry-run: read and check it, load nothing),
    its manifest, and btrun's error."""
    r = subprocess.run([btrun, "--dry-run", obj], capture_output=True, text=True,
                       errors="replace")
    m = subprocess.run([btrun, "--print-manifest", obj], capture_output=True, text=True,
                       errors="replace")
    return r.returncode == 0, m.stdout, r.stderr.strip()


def sides(root, work):
    btc, btrun = "btc", "btrun"
    formats = collect(root)
    verdict = btc_verdicts(btc, formats, work)
    utf8 = {f for f in formats if is_utf8(f)}
    good = [f for f in formats if verdict[f] is None]
    refused = [f for f in formats if verdict[f] is not None and f in utf8]
    mismatches = 0

    # btc's object of every accepted format: btrun reads it, each format unchanged.
    path = os.path.join(work, "accepted.bt")
    with open(path, "w") as f:
        f.write("BEGIN {\n%s}\n" % "".join("  %s\n" % call(x, arg_kinds(x)) for x in good))
    obj = os.path.join(work, "accepted.bto")
    subprocess.run([btc, path, "-o", obj], check=True)
    ok, out, err = btrun_reads(btrun, obj)
    carried = [e["format"].encode() for e in json.loads(out)["events"]
               if e["kind"] == "printf"] if ok else []
    if not ok:
        print("MISMATCH: btrun refuses btc's object of the accepted formats: " + err)
        mismatches += 1
    elif carried != good:
        print("MISMATCH: the manifest's formats differ from the script's")
        mismatches += 1

    # Each refused format in an object btc wrote for the same argument kinds.
    for n, fmt in enumerate(refused):
        kinds = arg_kinds(fmt)
        stand_in = "".join("%" + k if k in ("s", "r") else "%d" for k in kinds)
        stand_in = (stand_in + " " * (len(json.dumps(fmt.decode())) + 8)).encode()
        src = os.path.join(work, "refused%d.bt" % n)
        with open(src, "w") as f:
            f.write("BEGIN { %s }\n" % call(stand_in, kinds))
        obj = os.path.join(work, "refused%d.bto" % n)
        subprocess.run([btc, src, "-o", obj], check=True)
        data = bytearray(open(obj, "rb").read())
        ms = mangle.manifest_section(data)
        m = json.loads(bytes(data[ms["offset"]:ms["offset"] + ms["size"]]).decode().rstrip(" \0"))
        m["events"][0]["format"] = fmt.decode()
        mangle.write_manifest(data, m)
        mangle.reseal(data)
        open(obj, "wb").write(data)
        ok, _, err = btrun_reads(btrun, obj)
        if ok:
            print("MISMATCH: btc refuses %s (%s); btrun accepts it" % (literal(fmt), verdict[fmt]))
            mismatches += 1
        elif "invalid manifest: 'events[0]': printf: " not in err:
            print("MISMATCH: btrun refuses %s, not for its format: %s" % (literal(fmt), err))
            mismatches += 1

    print("formats: %d" % len(formats))
    print("accepted by btc and btrun: %d" % len(good))
    print("refused by btc and btrun: %d" % len(refused))
    print("refused by btc as not UTF-8 (no manifest can carry them): %d"
          % (len(formats) - len(utf8)))
    print("mismatches: %d" % mismatches)
    return 1 if mismatches else 0


def is_utf8(fmt):
    try:
        fmt.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def script(root, out_path):
    """Every accepted format, printed once, but those with %% after their last conversion
    (bpftrace 0.17 prints that %% as is; btrun prints %: docs/RUNTIME.md), those with a
    conversion letter right after a %% (0.17 counts it as a conversion and refuses the
    call) and those with upstream's %gr (GFP flags by name), which 0.17 does not have."""
    work = os.path.dirname(os.path.abspath(out_path))
    formats = collect(root)
    verdict = btc_verdicts("btc", formats, work)
    lines = []
    for fmt in formats:
        if verdict[fmt] is not None:
            continue
        tail = re.split(r"%[-0-9.]*[hljzt]*[douxXcsp]", fmt.decode().replace("%%", "\0"))[-1]
        if "\0" in tail:
            continue
        if re.search(r"%[-0-9]*gr", fmt.decode().replace("%%", "\0")):
            continue
        if re.search(r"%%[-0-9.]*[hljzt]*[douxXcsp]", fmt.decode()):
            continue
        # A newline after each, so that a format without one stays on its own line.
        lines.append("  %s printf(\"\\n\");\n" % call(fmt, arg_kinds(fmt)))
    with open(out_path, "w") as f:
        f.write("BEGIN {\n%s  exit();\n}\n" % "".join(lines))
    print("printf-formats.py: %d formats" % len(lines))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("sides", "script"):
        sys.exit(__doc__)
    mode, root, arg = sys.argv[1:]
    sys.exit(sides(root, arg) if mode == "sides" else script(root, arg))
