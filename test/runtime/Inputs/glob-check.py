#!/usr/bin/env python3
"""glob-check.py FILE PATTERN...: FILE's lines are "BITS|PATH", one bit per PATTERN
(1: globmatch(PATH, PATTERN) was true). Checks each bit against Python's
fnmatch.fnmatchcase, whose rules (`*`, `?`, `[set]`, `[a-z]`, `[!set]`, nothing special
about `/`, the whole string) are those upstream documents for globmatch; prints the
lines that disagree, then how many lines, paths over 128 bytes and matches it saw."""
import fnmatch
import sys

path, patterns = sys.argv[1], sys.argv[2:]
lines = long_paths = matches = 0
for line in open(path, encoding="utf-8", errors="surrogateescape"):
    if "|" not in line:
        continue
    bits, text = line.rstrip("\n").split("|", 1)
    lines += 1
    long_paths += len(text.encode("utf-8", "surrogateescape")) > 128
    for bit, pattern in zip(bits.split(), patterns, strict=True):
        want = fnmatch.fnmatchcase(text, pattern)
        matches += want
        if (bit == "1") != want:
            print(f"disagree: {pattern!r} on {text!r}: got {bit}, fnmatch says {int(want)}")
print(f"lines {lines} long {long_paths} matches {matches}")
