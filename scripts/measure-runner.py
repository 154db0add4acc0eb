#!/usr/bin/env python3
# docs/FLEET.md, "Small runner": start-up of btrun binaries (medians of 200 interleaved runs).
# usage: (in a directory with key.pub and signed.bto) measure-runner.py BTRUN...
import subprocess, time, statistics, sys
bins = sys.argv[1:]
cases = {"--help": ["--help"], "--trust ... --dry-run": ["--trust", "key.pub", "--require-signature", "--dry-run", "signed.bto"]}
res = {}
for rep in range(200):
    for b in bins:
        for name, args in cases.items():
            t = time.perf_counter()
            subprocess.run([b] + args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            res.setdefault((b, name), []).append(time.perf_counter() - t)
print("| binary | bytes | " + " | ".join(cases) + " |")
print("|---|---|" + "---|" * len(cases))
import os
for b in bins:
    print(f"| {b} | {os.path.getsize(b):,} | " + " | ".join("%.2f ms" % (statistics.median(res[(b, n)]) * 1000) for n in cases) + " |")
