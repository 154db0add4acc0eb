"""Figure 1 (start-up: wall time, exec to armed, max RSS) and figure 5 (stop: SIGINT to
exit), with btrun's phases, map costs and binary sizes."""

import json
import os
import re
import shutil
import signal
import subprocess
import time

from benchlib.common import (BASELINE_BIN, BPFTRACE, BTRUN, BTRUN_STATIC, BUILD, CONTENDERS, OBJ,
    STAMP, STARTLAT, STARTUP_SCRIPTS, STOP_SCRIPT, STOP_TIMEOUT, TIME, TMP, argv_text, fail, log,
    obj_path, script_path, sh, wait_for)


def startlat(argv, out):
    """One start-up measurement of ARGV (output to OUT); None if it hangs."""
    stamp = os.path.join(TMP, "stamp")
    try:
        r = sh([STARTLAT, stamp, out] + argv, timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        fail(f"{argv_text(argv)}: still running after {STOP_TIMEOUT} s")
        return None
    return json.loads(r.stdout)


def fig_startup(cfg):
    """Median wall time, exec->armed time and max RSS per (script, contender)."""
    names = STARTUP_CONTENDERS
    res = {}
    stamp = os.path.join(TMP, "stamp")
    for s in STARTUP_SCRIPTS:
        opts = ["-c", f"{STAMP} {stamp}"] if s == "tp_count" else []
        for rep in range(cfg["reps_start"]):
            for name in names + (["floor"] if opts else []):
                # floor: no contender, startlat runs the -c command itself
                argv = [STAMP, stamp] if name == "floor" else CONTENDERS[name](s, opts)
                out = os.path.join(TMP, "startup.out")
                r = startlat(argv, out)
                if r is None:
                    continue
                text = open(out, errors="replace").read()
                if r["rc"] != 0 or ("Attaching 1 probe" not in text and name != "floor"):
                    fail(f"start-up {s} {name}: rc {r['rc']}: {text.strip()[-300:]}")
                    continue
                if s == "tp_count" and r["armed_ns"] < 0:
                    fail(f"start-up {s} {name}: the -c command never ran")
                res.setdefault((s, name), []).append(r)
                res.setdefault((s, name, "argv"), argv)
        log(f"start-up {s}: {cfg['reps_start']} repetitions done")
    return res


STARTUP_CONTENDERS = ["btrun", "btrun, raw_syscalls", "btrun-static", "bpftrace", "libbpf C"]
STOP_CONTENDERS = ["btrun", "btrun (baseline)", "btrun, perf tracepoints", "bpftrace", "libbpf C"]


def stop_run(argv):
    """One run of the stop figure: start, armed (the -c command's stamp), SIGINT 0.3 s
    later, exit. Returns armed, stop (SIGINT to exit) and max RSS, or None."""
    stamp = os.path.join(TMP, "stop-stamp")
    if os.path.exists(stamp):
        os.unlink(stamp)
    out_path, rss_path = os.path.join(TMP, "stop.out"), os.path.join(TMP, "stop.rss")
    full = argv[:1] + ["-c", f"{STAMP} {stamp} 600"] + argv[1:]
    t0 = time.monotonic_ns()
    # GNU time forks the contender from a small process: wait4's max RSS of a child
    # forked from Python would count Python's pages before the exec.
    with open(out_path, "w") as out:
        p = subprocess.Popen([TIME, "-f", "%M", "-o", rss_path] + full, stdout=out,
                             stderr=subprocess.STDOUT)
    if not wait_for(lambda: os.path.exists(stamp) and os.path.getsize(stamp) > 0 or p.poll() is not None,
                    120, f"{argv_text(full)} to arm"):
        p.kill()
        p.wait()
        return None
    if p.poll() is not None:
        fail(f"stop {argv_text(full)}: exited early: {open(out_path).read()[-300:]}")
        return None
    armed = int(open(stamp).read()) - t0
    time.sleep(0.3)
    contender = int(open(f"/proc/{p.pid}/task/{p.pid}/children").read().split()[0])
    t1 = time.monotonic_ns()
    os.kill(contender, signal.SIGINT)
    p.wait()
    stop = time.monotonic_ns() - t1
    text = open(out_path, errors="replace").read()
    if p.returncode != 0 or "Attaching" not in text:
        fail(f"stop {argv_text(full)}: rc {p.returncode}: {text.strip()[-300:]}")
        return None
    return dict(armed_ns=armed, stop_ns=stop, maxrss_kb=int(open(rss_path).read().split()[-1]),
                probes=re.search(r"Attaching (\d+) probe", text).group(1))


def snapshot_baseline(bin_dir):
    """Copy another build's btc and btrun (--baseline) and compile the stop script with it."""
    os.makedirs(BASELINE_BIN, exist_ok=True)
    for b in ("btc", "btrun"):
        shutil.copy2(os.path.join(bin_dir, b), os.path.join(BASELINE_BIN, b))
    r = sh([os.path.join(BASELINE_BIN, "btc"), script_path(STOP_SCRIPT), "-o",
            os.path.join(OBJ, STOP_SCRIPT + ".baseline.bto")])
    if r.returncode != 0:
        fail(f"baseline btc {STOP_SCRIPT}: {r.stderr.strip()}")


def fig_stop(cfg, contenders):
    """Start to armed, SIGINT to exit and max RSS of sys_enter_all per contender."""
    res = {}
    for rep in range(cfg["reps_stop"]):
        for name in contenders:
            argv = CONTENDERS[name](STOP_SCRIPT, [])
            r = stop_run(argv)
            if r is not None:
                res.setdefault(name, []).append(r)
            res.setdefault((name, "argv"), argv)
        log(f"stop: repetition {rep + 1} done")
    return res


def btrun_phases(cfg):
    """btrun's start-up cut into cumulative phases: each mode stops later in the pipeline."""
    obj = obj_path("tp_count")
    stamp = os.path.join(TMP, "stamp")
    modes = [("--help", "process start, options"),
             ("--print-manifest", "+ read the object, parse the manifest"),
             ("--verify-only", "+ integrity, host checks, load (verifier), unload"),
             ("-c", "+ attach, BEGIN, arm, start the -c command (armed)")]
    res = {}
    for rep in range(cfg["reps_start"]):
        for binary in (BTRUN, BTRUN_STATIC):
            for mode, _ in modes:
                argv = {"--help": [binary, "--help"],
                        "--print-manifest": [binary, "--print-manifest", obj],
                        "--verify-only": [binary, "--verify-only", obj],
                        "-c": [binary, "-c", f"{STAMP} {stamp}", obj]}[mode]
                r = startlat(argv, os.path.join(TMP, "phases.out"))
                if r is None or r["rc"] != 0:
                    fail(f"btrun phases: {argv_text(argv)} failed")
                    continue
                res.setdefault((binary, mode), []).append(r["armed_ns"] if mode == "-c" else r["wall_ns"])
    return modes, res


def map_costs():
    r = sh([os.path.join(BUILD, "tools", "mapcost")])
    if r.returncode != 0:
        fail(f"mapcost: {r.stderr.strip()}")
        return []
    return [json.loads(l) for l in r.stdout.splitlines()]


def binary_facts():
    rows = []
    for path in [BTRUN, BTRUN_STATIC, os.path.join(BUILD, "libbpf", "tp_count"), BPFTRACE]:
        stripped = os.path.join(TMP, "stripped")
        sh(["strip", "-o", stripped, path])
        ldd = sh(["ldd", path]).stdout
        libs = [l.split()[0] for l in ldd.splitlines() if "=>" in l or l.strip().startswith("/")]
        rows.append(dict(path=path, size=os.path.getsize(path), stripped=os.path.getsize(stripped),
                         libs=[l for l in libs if not l.startswith("linux-vdso")],
                         static="not a dynamic executable" in ldd or "statically linked" in ldd))
    return rows
