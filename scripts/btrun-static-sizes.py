#!/usr/bin/env python3
"""Where btrun-static's bytes go (docs/FLEET.md, "Small runner").

Relinks build/bin/btrun-static as ninja links it, unstripped and with a linker map
(-Wl,-Map), into a temporary directory, and sums the code and read-only data each archive
and each archive member brings: .text, .rodata, .gcc_except_table and .data.rel.ro input
sections (gold merges .eh_frame, about 260 KB, into one: it is not counted). The build
directory is left as it was.

usage: scripts/btrun-static-sizes.py [BUILD_DIR] [--members N]
"""
import argparse
import collections
import os
import re
import subprocess
import sys
import tempfile

SECTIONS = re.compile(r"\.(text|rodata|gcc_except_table|data\.rel\.ro)\b")
# A map line naming an input section: " .text.name 0xADDR 0xSIZE FILE", or the address,
# size and file alone on the line after a long section name.
INPUT = re.compile(r"^ (\.\S+)?\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+(\S.*)$")
LONG_NAME = re.compile(r"^ (\.\S+)\s*$")
MEMBER = re.compile(r"([^/]+\.a)\(([^)]+)\)$")


def link_command(build):
    commands = subprocess.run(["ninja", "-C", build, "-t", "commands", "bin/btrun-static"],
                              capture_output=True, text=True, check=True).stdout.splitlines()
    link = commands[-1]
    if " -o bin/btrun-static " not in link:
        sys.exit("btrun-static-sizes: ninja's last command for bin/btrun-static is not its link")
    return link


def sizes(map_path):
    """Bytes per archive (or object file) and per archive member."""
    archives, members = collections.Counter(), collections.Counter()
    with open(map_path) as f:
        lines = f.read().split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("Memory map"))
    section = None
    for line in lines[start:]:
        long_name = LONG_NAME.match(line)
        if long_name:
            section = long_name.group(1)
            continue
        m = INPUT.match(line)
        if not m:
            continue
        name, section = m.group(1) or section, None
        if not name or not SECTIONS.match(name):
            continue
        size, path = int(m.group(2), 16), m.group(3)
        member = MEMBER.search(path)
        archive = member.group(1) if member else os.path.basename(path)
        archives[archive] += size
        members[f"{archive}({member.group(2)})" if member else archive] += size
    return archives, members


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("build", nargs="?", default=os.path.join(os.path.dirname(__file__), "..", "build"))
    ap.add_argument("--members", type=int, default=30, help="how many of the largest members to list")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    link = link_command(build)
    with tempfile.TemporaryDirectory() as tmp:
        out, map_path = os.path.join(tmp, "btrun-static"), os.path.join(tmp, "btrun-static.map")
        link = link.replace(" -s ", " ").replace(" -o bin/btrun-static ",
                                                 f" -Wl,-Map,{map_path} -o {out} ")
        subprocess.run(["sh", "-c", link], cwd=build, check=True)
        archives, members = sizes(map_path)
    print(f"build/bin/btrun-static: {os.path.getsize(os.path.join(build, 'bin', 'btrun-static')):,} bytes "
          f"(limit 3,000,000)")
    print(f"code and read-only data by archive: {sum(archives.values()):,} bytes")
    for name, size in archives.most_common():
        print(f"{size:12,}  {name}")
    print(f"the {args.members} largest archive members:")
    for name, size in members.most_common(args.members):
        print(f"{size:12,}  {name}")


if __name__ == "__main__":
    main()
