#!/usr/bin/env python3
"""Checks that a tool's man page (rendered by man) and bash completion name every option
its --help lists: prints the count, or each one missing, and exits 1 when any is.

usage: check-manual.py TOOL_BINARY MAN_PAGE COMPLETION
"""
import re, subprocess, sys

binary, page, completion = sys.argv[1:4]
helptext = subprocess.run([binary, "--help"], capture_output=True, text=True, check=True).stdout
options = sorted(set(re.findall(r"(?<![\w-])--[a-z][\w-]*", helptext)))
rendered = subprocess.run(["man", "-l", page], capture_output=True, text=True, check=True,
                          env={"MANWIDTH": "200", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}).stdout
rendered = rendered.replace("\u2010", "-")  # man may hyphenate with U+2010
words = set(re.findall(r"--?[\w-]+", open(completion).read()))
missing = [f"{o} not in the man page" for o in options if o not in rendered]
missing += [f"{o} not in the completion" for o in options if o not in words]
for m in missing:
    print(m)
print(f"{len(options)} options, {len(missing)} missing")
sys.exit(1 if missing else 0)
