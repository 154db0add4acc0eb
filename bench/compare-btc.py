#!/usr/bin/env python3
"""Compile time of two btc builds side by side: did a change make btc slower?

    bench/compare-btc.py OLD_BTC NEW_BTC [--reps N] [-- EXTRA_BTC_ARGS...]

Compiles every script of bench/scripts/ and examples/ with each btc, the two runs
interleaved (old, new, old, new, ...) so that load on the machine hits both alike, and
prints per script the median CPU time (user + system) of each and the ratio new/old, then the ratio of
the summed medians. EXTRA_BTC_ARGS go to both (e.g. `--target FILE` when both take it).
Exits 1 when a compilation fails.
"""
import argparse
import glob
import os
import statistics
import subprocess
import sys
import tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def one_run(btc, script, out, extra):
    """CPU time (user + system) of one compilation: wall time on this shared machine
    measures the others' load as much as btc."""
    with tempfile.TemporaryFile() as err:
        p = subprocess.Popen([btc, script, "-o", out, *extra], stdout=subprocess.DEVNULL, stderr=err)
        _, status, ru = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        if p.returncode != 0:
            err.seek(0)
            sys.exit(f"{btc} {script}: exit {p.returncode}: {err.read().decode().strip()}")
    return ru.ru_utime + ru.ru_stime


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--reps", type=int, default=15)
    ap.add_argument("extra", nargs="*")
    args = ap.parse_args()
    scripts = sorted(glob.glob(os.path.join(root, "bench/scripts/*.bt")) +
                     glob.glob(os.path.join(root, "examples/*.bt")))
    times = {s: {"old": [], "new": []} for s in scripts}
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "o.bto")
        for _ in range(args.reps):
            for s in scripts:
                for which in ("old", "new"):
                    times[s][which].append(one_run(getattr(args, which), s, out, args.extra))
    total_old = total_new = 0.0
    print(f"{'script':34} {'old CPU ms':>10} {'new CPU ms':>10} {'new/old':>8}")
    for s in scripts:
        o = statistics.median(times[s]["old"]) * 1000
        n = statistics.median(times[s]["new"]) * 1000
        total_old += o
        total_new += n
        print(f"{os.path.relpath(s, root):34} {o:10.1f} {n:10.1f} {n / o:8.3f}")
    print(f"{'sum of medians':34} {total_old:10.1f} {total_new:10.1f} {total_new / total_old:8.3f}")


if __name__ == "__main__":
    main()
