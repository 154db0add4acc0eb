#!/usr/bin/env python3
"""Side-by-side benchmark of btrun, Debian's bpftrace and hand-written libbpf C.

Run through bench/run.sh (which builds the C parts first); see bench/README.md.
Every figure runs the same script under every contender in the same run, interleaved.
"""
import argparse
import os
import pickle
import signal
import sys
import time

from benchlib.common import BENCH, BUILD, FULL, SMOKE, STATS_SYSCTL, TMP, failures, incidents, log
from benchlib.prepare import compile_objects, loadavg, machine_facts, snapshot_binaries
from benchlib.startstop import (STOP_CONTENDERS, binary_facts, btrun_phases, fig_startup, fig_stop,
    map_costs, snapshot_baseline)
from benchlib.bpfruns import fig_output, fig_per_event
from benchlib.compiletime import fig_compile
from benchlib.report import report


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--smoke", action="store_true", help="one repetition, small event counts (< 60 s)")
    ap.add_argument("--only", choices=["startup", "events", "output", "compile", "stop"], action="append",
                    help="run only these figures (repeatable)")
    ap.add_argument("-o", "--output", help="report file (default bench/RESULTS.md; "
                    "bench/build/RESULTS-smoke.md with --smoke)")
    ap.add_argument("--render", action="store_true",
                    help="run nothing: rewrite the report from the raw data of the last run of this "
                    "mode (bench/build/raw-MODE.pickle) with the current ANALYSIS.md")
    ap.add_argument("--reps", type=int, help="repetitions of every figure (instead of the mode's)")
    ap.add_argument("--stop-contenders", help="comma-separated contenders of the stop figure "
                    f"(default: {', '.join(n for n in STOP_CONTENDERS if n != 'btrun (baseline)')})")
    ap.add_argument("--baseline", metavar="DIR", help="also run DIR/btrun on DIR/btc's object in the "
                    "stop figure, as 'btrun (baseline)': another build, side by side in the same run")
    args = ap.parse_args()
    cfg = dict(SMOKE if args.smoke else FULL)
    if args.reps:
        cfg.update({k: args.reps for k in cfg if k.startswith("reps_")})
    stop_contenders = (args.stop_contenders.split(",") if args.stop_contenders
                       else [n for n in STOP_CONTENDERS if n != "btrun (baseline)"])
    if args.baseline and "btrun (baseline)" not in stop_contenders:
        stop_contenders.insert(1, "btrun (baseline)")
    if any(n not in STOP_CONTENDERS for n in stop_contenders):
        sys.exit(f"bench: --stop-contenders: one of {', '.join(STOP_CONTENDERS)}")
    if "btrun (baseline)" in stop_contenders and not args.baseline:
        sys.exit("bench: the contender 'btrun (baseline)' needs --baseline DIR")
    mode = "smoke" if args.smoke else "full"
    out = args.output or (os.path.join(BUILD, "RESULTS-smoke.md") if args.smoke else os.path.join(BENCH, "RESULTS.md"))
    raw_path = os.path.join(BUILD, f"raw-{mode}.pickle")
    if args.render:
        with open(raw_path, "rb") as f:
            raw = pickle.load(f)
        with open(out, "w") as f:
            f.write(report(raw))
        log(f"wrote {out} from {raw_path}")
        return
    figures = set(args.only or ["startup", "events", "output", "compile", "stop"])
    if os.geteuid() != 0:
        sys.exit("bench: must run as root")
    os.makedirs(TMP, exist_ok=True)
    raw = dict(mode=mode, loads=[loadavg()], when=time.strftime("%Y-%m-%d %H:%M:%S %Z"),
               argv_line="bench/run.sh" + "".join(" " + a for a in sys.argv[1:]),
               start=None, events=None, output=None, compiled=None, stop=None)
    log(f"{mode} run, load average {' '.join(raw['loads'][0])}; report -> {out}")
    snapshot_binaries()
    raw["facts"] = machine_facts()
    compile_objects()
    if args.baseline:
        snapshot_baseline(args.baseline)

    if "startup" in figures:
        log("figure 1: start-up")
        start = fig_startup(cfg)
        start["phases"], start["maps"], start["bins"] = btrun_phases(cfg), map_costs(), binary_facts()
        raw["start"] = start
    if figures & {"events", "output"}:
        saved = open(STATS_SYSCTL).read().strip()
        try:
            with open(STATS_SYSCTL, "w") as f:
                f.write("1")
            if "events" in figures:
                log("figure 2: per-event cost")
                raw["events"] = fig_per_event(cfg)
            if "output" in figures:
                log("figure 3: output throughput")
                raw["output"] = fig_output(cfg)
        finally:
            with open(STATS_SYSCTL, "w") as f:
                f.write(saved)
    if "stop" in figures:
        log("figure 5: stop")
        raw["stop"] = fig_stop(cfg, stop_contenders)
    if "compile" in figures:
        log("figure 4: compile time")
        raw["compiled"] = fig_compile(cfg)
    raw["loads"].append(loadavg())
    raw["incidents"], raw["failures"] = incidents, failures

    with open(raw_path, "wb") as f:
        pickle.dump(raw, f)
    with open(out, "w") as f:
        f.write(report(raw))
    log(f"wrote {out} (raw data: {raw_path})")
    if failures:
        log(f"{len(failures)} failure(s):")
        for msg in failures:
            print("  " + msg, file=sys.stderr)
        sys.exit(1)
    log("all contenders ran and every figure was produced")


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    main()
