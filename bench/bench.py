#!/usr/bin/env python3
"""Side-by-side benchmark of btrun, Debian's bpftrace and hand-written libbpf C.

Run through bench/run.sh (which builds the C parts first); see bench/README.md.
Every figure runs the same script under every contender in the same run, interleaved.
"""
import argparse
import json
import os
import pickle
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
BUILD = os.path.join(BENCH, "build")
TMP = os.path.join(BUILD, "tmp")
OBJ = os.path.join(BUILD, "obj")
XLATED = os.path.join(BUILD, "xlated")
# Other engineers rebuild build/bin while the suite runs: every run uses a snapshot of it.
PROJECT_BIN = os.path.join(ROOT, "build", "bin")
BIN = os.path.join(BUILD, "bin")
BTC = os.path.join(BIN, "btc")
BTRUN = os.path.join(BIN, "btrun")
BTRUN_STATIC = os.path.join(BIN, "btrun-static")
BPFTRACE = shutil.which("bpftrace") or "/usr/bin/bpftrace"
LOADGEN = os.path.join(BUILD, "tools", "loadgen")
STAMP = os.path.join(BUILD, "tools", "stamp")
STARTLAT = os.path.join(BUILD, "tools", "startlat")
TIME = "/usr/bin/time"
STATS_SYSCTL = "/proc/sys/kernel/bpf_stats_enabled"
STOP_TIMEOUT = 60  # seconds a contender may take to print its maps and exit after SIGINT
RESIGNAL_AFTER = 10  # seconds after which a contender that ignored SIGINT gets another

CONSUMER_CPU = 0  # contenders' user side
GENERATOR_CPU = 1  # loadgen, hence every BPF program run

# Per-event scripts: the system call loadgen makes, and what the output must show
# (a regex whose first group, when there is one, must be at least the number of calls).
EVENT_SCRIPTS = {
    "count_comm": ("getppid", r"@\[loadgen\]: (\d+)"),
    "latency": ("getppid", r"@total: \d+"),
    "tuple_count": ("read", r"@\[\d+, loadgen, 3\]: (\d+)"),
    "filter": ("read", r"@hits: (\d+)"),
    "printf": ("getppid", r"\d+ loadgen \d+"),
    "lhist": ("read", r"@bytes:"),
}
STARTUP_SCRIPTS = ["begin_exit", "tp_count"]
STOP_SCRIPT = "sys_enter_all"  # the stop figure: hundreds of tracepoints
PRINTF_LINE = re.compile(r"^\d+ loadgen \d+$", re.M)
LOST = re.compile(r"Lost (\d+) events")

FULL = dict(reps_stop=5, reps_start=15, reps_event=5, reps_out=3, reps_compile=5, n_getppid=600_000,
            n_read=400_000, n_printf=300_000, out_rate=50_000, out_seconds=3, out_n_max=600_000,
            settle=0.3, bpftrace_d=True)
SMOKE = dict(reps_stop=1, reps_start=1, reps_event=1, reps_out=1, reps_compile=1, n_getppid=20_000,
             n_read=20_000, n_printf=20_000, out_rate=50_000, out_seconds=0.4, out_n_max=50_000,
             settle=0.15, bpftrace_d=False)

T0 = time.monotonic()
failures = []
incidents = []


def log(msg):
    print(f"[bench {time.monotonic() - T0:6.1f}s] {msg}", file=sys.stderr, flush=True)


def fail(msg):
    failures.append(msg)
    log("FAIL: " + msg)


def incident(msg):
    """Something that went wrong but was recovered from: listed in the report."""
    incidents.append(msg)
    log("incident: " + msg)


def sh(argv, **kw):
    return subprocess.run(argv, capture_output=True, text=True, **kw)


def script_path(name):
    return os.path.join(BENCH, "scripts", name + ".bt")


def obj_path(name, nosync=False, perf=False, raw=False):
    return os.path.join(OBJ, name + (".nosync" if nosync else "") + (".perf" if perf else "") +
                        (".raw" if raw else "") + ".bto")


# A contender is a function (script, extra options) -> argv.
CONTENDERS = {
    "btrun": lambda s, opts: [BTRUN, *opts, obj_path(s)],
    "btrun-static": lambda s, opts: [BTRUN_STATIC, *opts, obj_path(s)],
    "btrun --no-sync-start": lambda s, opts: [BTRUN, *opts, obj_path(s, nosync=True)],
    # the same script compiled with btc --perf-syscall-tracepoints: what btrun did before
    # raw_syscalls served syscall tracepoints (the kernel's detach cost, measured)
    "btrun, perf tracepoints": lambda s, opts: [BTRUN, *opts, obj_path(s, perf=True)],
    # btc --raw-syscall-tracepoints: one syscall tracepoint served by raw_syscalls, whose
    # link closes in microseconds (the perf-event tracepoint's close waits for grace periods)
    "btrun, raw_syscalls": lambda s, opts: [BTRUN, *opts, obj_path(s, raw=True)],
    "bpftrace": lambda s, opts: [BPFTRACE, *opts, script_path(s)],
    "libbpf C": lambda s, opts: [os.path.join(BUILD, "libbpf", s), *opts],
    # --baseline DIR: another build's btrun on the object its btc made (before/after a change)
    "btrun (baseline)": lambda s, opts: [os.path.join(BASELINE_BIN, "btrun"), *opts,
                                         os.path.join(OBJ, s + ".baseline.bto")],
}
BASELINE_BIN = os.path.join(BUILD, "baseline")


def argv_text(argv):
    return " ".join(a.replace(ROOT + "/", "") if a.startswith(ROOT) else a for a in argv)


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def ratio(a, b):
    return a / b if b else float("nan")


# ---------------------------------------------------------------- preparation

def snapshot_binaries():
    os.makedirs(BIN, exist_ok=True)
    for path in (BTC, BTRUN, BTRUN_STATIC):
        shutil.copy2(os.path.join(PROJECT_BIN, os.path.basename(path)), path)


def compile_objects():
    os.makedirs(OBJ, exist_ok=True)
    for s in STARTUP_SCRIPTS + list(EVENT_SCRIPTS):
        for nosync in (False, True):
            argv = [BTC, script_path(s), "-o", obj_path(s, nosync)] + (["--no-sync-start"] if nosync else [])
            r = sh(argv)
            if r.returncode != 0:
                fail(f"btc {s}: {r.stderr.strip()}")
    for s in (STOP_SCRIPT, "tp_count"):
        r = sh([BTC, script_path(s), "-o", obj_path(s, perf=True), "--perf-syscall-tracepoints"])
        if r.returncode != 0:
            fail(f"btc --perf-syscall-tracepoints {s}: {r.stderr.strip()}")
    for s in STARTUP_SCRIPTS:
        r = sh([BTC, script_path(s), "-o", obj_path(s, raw=True), "--raw-syscall-tracepoints"])
        if r.returncode != 0:
            fail(f"btc --raw-syscall-tracepoints {s}: {r.stderr.strip()}")
    r = sh([BTC, script_path(STOP_SCRIPT), "-o", obj_path(STOP_SCRIPT)])
    if r.returncode != 0:
        fail(f"btc {STOP_SCRIPT}: {r.stderr.strip()}")


def machine_facts():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    mem = next((l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal")), "0")

    def version(argv):
        r = sh(argv)
        return (r.stdout or r.stderr).strip().splitlines()[0] if r.returncode == 0 else "?"

    return {
        "kernel": platform.release(),
        "cpu": cpu,
        "nproc": os.cpu_count(),
        "memory": f"{int(mem) / 1048576:.1f} GiB",
        "bpftrace": version([BPFTRACE, "--version"]),
        "btc": version([BTC, "--version"]),
        "clang": version(["clang-19", "--version"]),
        "libbpf": version(["dpkg-query", "-W", "-f", "${Version}", "libbpf-dev"]),
        "commit": version(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"]),
        "built": time.strftime("%Y-%m-%d %H:%M", time.localtime(os.path.getmtime(BTRUN))),
    }


def loadavg():
    return open("/proc/loadavg").read().split()[:3]


# ---------------------------------------------------------------- figure 1: start-up

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


# ---------------------------------------------------------------- figure 2 and 3: BPF runs

def prog_ids(pid):
    ids = []
    fddir = f"/proc/{pid}/fdinfo"
    for fd in os.listdir(fddir):
        try:
            for line in open(os.path.join(fddir, fd)):
                if line.startswith("prog_id:"):
                    ids.append(int(line.split()[1]))
        except OSError:
            pass
    return ids


def prog_stats(ids):
    r = sh(["bpftool", "prog", "show", "-j"])
    progs = json.loads(r.stdout or "[]")
    return {p["id"]: p for p in progs if p["id"] in ids}


def wait_for(pred, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.01)
    fail(f"timed out waiting for {what}")
    return False


def wait_quiet(path, settle=0.3, timeout=30):
    """Waits until PATH stops growing (the consumer has caught up); returns when it stopped."""
    last, since = -1, time.monotonic()
    deadline = since + timeout
    while time.monotonic() < deadline:
        size = os.path.getsize(path)
        now = time.monotonic()
        if size != last:
            last, since = size, now
        elif now - since >= settle:
            return since
        time.sleep(0.02)
    return time.monotonic()


def pin_consumer():
    os.sched_setaffinity(0, {CONSUMER_CPU})


def dump_xlated(tag, progs):
    os.makedirs(XLATED, exist_ok=True)
    for q in progs:
        r = sh(["bpftool", "prog", "dump", "xlated", "id", str(q["id"])])
        with open(os.path.join(XLATED, f"{tag}.{q['name']}.txt"), "w") as f:
            f.write(r.stdout)


def thread_states(pid):
    states = []
    for t in sorted(os.listdir(f"/proc/{pid}/task")):
        try:
            st = next(l.split(None, 1)[1].strip() for l in open(f"/proc/{pid}/task/{t}/status") if l.startswith("State"))
            states.append(f"{t} {st} in {open(f'/proc/{pid}/task/{t}/wchan').read()}")
        except OSError:
            pass
    return "; ".join(states)


# btrun's raw_syscalls dispatchers run on every system call of the machine and tail-call
# the handler (whose time is theirs: a tail-called program has no statistics of its own).
DISPATCHERS = {"bt_sys_enter", "bt_sys_exit"}


def per_event(q, calls):
    """ns per generated event of program Q: a dispatcher's whole time (its runs on every
    other syscall of the machine during the window included) over the generator's calls;
    any other program's time over its own runs."""
    return q["ns"] / calls if q["name"] in DISPATCHERS else q["ns"] / q["runs"]


def measured_run(argv, gen_args, tag, settle, dump=False):
    """Starts a contender, waits until armed, drives loadgen, reads bpf_stats of the
    contender's own programs (found through /proc/PID/fdinfo) before and after, stops it.
    DUMP keeps the translated programs that ran in build/xlated/TAG.NAME.txt."""
    out_path, err_path = os.path.join(TMP, tag + ".out"), os.path.join(TMP, tag + ".err")
    with open(out_path, "w") as out, open(err_path, "w") as err:
        p = subprocess.Popen(argv, stdout=out, stderr=err, preexec_fn=pin_consumer)
    try:
        ok = wait_for(lambda: "Attaching" in open(out_path, errors="replace").read() or p.poll() is not None,
                      60, f"{tag} to attach")
        time.sleep(settle)  # bpftrace prints its banner before it attaches; btrun arms after BEGIN
        if not ok or p.poll() is not None:
            fail(f"{tag}: did not start: {open(err_path).read().strip()[-300:]}")
            return None
        ids = prog_ids(p.pid)
        before = prog_stats(ids)
        t_start = time.monotonic()
        gen = sh([LOADGEN, "-p", str(GENERATOR_CPU)] + gen_args)
        after = prog_stats(ids)
        progs = []
        for id_, a in after.items():
            b = before.get(id_, {})
            runs = a.get("run_cnt", 0) - b.get("run_cnt", 0)
            if runs > 0:
                progs.append(dict(id=id_, name=a.get("name", "?"), runs=runs,
                                  ns=a.get("run_time_ns", 0) - b.get("run_time_ns", 0),
                                  xlated=a.get("bytes_xlated", 0), jited=a.get("bytes_jited", 0)))
        if dump:
            dump_xlated(tag, progs)
        t_quiet = wait_quiet(out_path)
        p.send_signal(signal.SIGINT)
        try:
            rc = p.wait(timeout=RESIGNAL_AFTER)
        except subprocess.TimeoutExpired:
            # bpftrace 0.17 now and then sleeps on in epoll_wait after one SIGINT
            incident(f"{tag}: still running {RESIGNAL_AFTER} s after SIGINT "
                     f"(threads: {thread_states(p.pid)}); sent a second SIGINT")
            p.send_signal(signal.SIGINT)
            try:
                rc = p.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                fail(f"{tag}: still running {STOP_TIMEOUT} s after a second SIGINT; "
                     f"threads: {thread_states(p.pid)}")
                return None
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    m = re.search(r"calls=(\d+) seconds=([\d.]+) rate=(\d+)", gen.stdout)
    if gen.returncode != 0 or not m:
        fail(f"{tag}: loadgen failed: {gen.stderr.strip()}")
        return None
    out_text = open(out_path, errors="replace").read()
    err_text = open(err_path, errors="replace").read()
    lost = sum(int(x) for x in LOST.findall(out_text + err_text))
    return dict(rc=rc, out=out_text, err=err_text, progs=progs, lost=lost,
                calls=int(m.group(1)), gen_seconds=float(m.group(2)), gen_rate=int(m.group(3)),
                seconds=max(t_quiet - t_start, float(m.group(2))),
                ns_per_event=sum(per_event(q, int(m.group(1))) for q in progs) if progs else float("nan"))


def check_output(tag, run, pattern, calls):
    if run["rc"] != 0:
        fail(f"{tag}: exit status {run['rc']}: {run['err'].strip()[-300:]}")
    m = re.search(pattern, run["out"])
    if not m:
        fail(f"{tag}: output lacks /{pattern}/: {run['out'].strip()[-300:]}")
    elif m.groups() and int(m.group(1)) < calls:
        fail(f"{tag}: output shows {m.group(1)} < {calls} calls")
    if not run["progs"]:
        fail(f"{tag}: no program of the contender ran")


def fig_per_event(cfg):
    names = ["btrun", "btrun --no-sync-start", "bpftrace", "libbpf C"]
    res = {}
    for s, (syscall, pattern) in EVENT_SCRIPTS.items():
        n = cfg["n_printf"] if s == "printf" else cfg["n_" + syscall]
        gen = ["-s", syscall, "-n", str(n)]
        for rep in range(cfg["reps_event"]):
            for name in names:
                tag = f"{s}.{name.split()[0]}{'-nosync' if 'no-sync' in name else ''}"
                run = measured_run(CONTENDERS[name](s, []), gen, tag, cfg["settle"], dump=rep == 0)
                if run is None:
                    continue
                check_output(f"per-event {s} {name}", run, pattern, n if s != "printf" else 1)
                res.setdefault((s, name), []).append(run)
        res[(s, "loadgen")] = "loadgen " + " ".join(gen + ["-p", str(GENERATOR_CPU)])
        log(f"per-event {s}: done")
    return res


def fig_output(cfg):
    names = ["btrun", "bpftrace", "libbpf C"]
    n_rate = int(cfg["out_rate"] * cfg["out_seconds"])
    loads = {
        f"offered {cfg['out_rate'] // 1000}k/s": ["-s", "getppid", "-n", str(n_rate), "-r", str(cfg["out_rate"])],
        "maximum": ["-s", "getppid", "-n", str(cfg["out_n_max"])],
    }
    res = {}
    for load, gen in loads.items():
        for rep in range(cfg["reps_out"]):
            for name in names:
                tag = f"output.{name.split()[0]}"
                run = measured_run(CONTENDERS[name]("printf", []), gen, tag, cfg["settle"])
                if run is None:
                    continue
                run["delivered"] = len(PRINTF_LINE.findall(run["out"]))
                check_output(f"output {load} {name}", run, r"\d+ loadgen \d+", 1)
                res.setdefault((load, name), []).append(run)
        res[(load, "loadgen")] = "loadgen " + " ".join(gen + ["-p", str(GENERATOR_CPU)])
        log(f"output {load}: done")
    return res


# ---------------------------------------------------------------- figure 4: compile time

def fig_compile(cfg):
    examples = sorted(f[:-3] for f in os.listdir(os.path.join(ROOT, "examples")) if f.endswith(".bt"))
    files = [("bench", s, script_path(s)) for s in STARTUP_SCRIPTS + list(EVENT_SCRIPTS)]
    files += [("examples", s, os.path.join(ROOT, "examples", s + ".bt")) for s in examples]
    tools = {
        "btc": lambda src: [BTC, src, "-o", os.path.join(TMP, "compile.bto")],
        "bpftrace --emit-elf": lambda src: [BPFTRACE, "--emit-elf", os.path.join(TMP, "compile.elf"), src],
    }
    if cfg["bpftrace_d"]:
        tools["bpftrace -d"] = lambda src: [BPFTRACE, "-d", src]
    res = {}
    for rep in range(cfg["reps_compile"]):
        for group, s, src in files:
            for tool, mk in tools.items():
                argv = mk(src)
                r = startlat(argv, os.path.join(TMP, "compile.out"))
                if r is None:
                    continue
                if r["rc"] != 0:
                    fail(f"compile {s} with {tool}: rc {r['rc']}")
                    continue
                res.setdefault((group, s, tool), []).append(r)
                res[(tool, "argv")] = argv
    log("compile times: done")
    return res, files, list(tools)


# ---------------------------------------------------------------- report

def ms(ns):
    return f"{ns / 1e6:.1f}"


def mb(kb):
    return f"{kb / 1024:.1f}"


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def fmt_ratio(x):
    return "n/a" if x != x else f"{x:.3f}" if x < 0.1 else f"{x:.2f}"


def verdict(ok):
    return "met" if ok else "**missed**"


def report(raw):
    mode, facts, loads = raw["mode"], raw["facts"], raw["loads"]
    start, events, output, compiled = raw["start"], raw["events"], raw["output"], raw["compiled"]
    L = []
    w = L.append
    w(f"# Benchmark results ({mode})\n")
    w(f"Generated by `{raw['argv_line']}`, run on {raw['when']}. "
      "Every figure runs the same script under each contender in the same run, interleaved "
      "(one repetition of every contender, then the next repetition).\n")
    w("## Machine\n")
    w(table(["fact", "value"], [
        ["kernel", facts["kernel"]], ["CPU", facts["cpu"]], ["nproc", facts["nproc"]],
        ["memory", facts["memory"]], ["load average at start (1/5/15 min)", " ".join(loads[0])],
        ["load average at end", " ".join(loads[1])], ["btc, btrun", f"{facts['btc']}, checkout at commit {facts['commit']}, build/bin built "
                       f"{facts['built']} (copied to bench/build/bin for the run)"],
        ["bpftrace", facts["bpftrace"]], ["clang (libbpf C, BPF side)", facts["clang"]],
        ["libbpf-dev", facts["libbpf"]]]))
    w("The machine is shared with other engineers' builds and tests: timings carry their noise. "
      "Load generator pinned to CPU 1 (every BPF program runs there), contenders' user side to CPU 0.\n")

    targets = []
    # ---- figure 1
    if start:
        w("## 1. Start-up\n")
        w("`startlat` (bench/tools/startlat.c) forks and execs the contender and waits for it. "
          "**wall**: fork to exit. **armed**: fork to the moment the `-c` command "
          "(bench/tools/stamp, which writes CLOCK_MONOTONIC) starts — every contender starts it only "
          "once all its probes are armed, so this is exec to armed plus one fork+exec. "
          "**max RSS**: `ru_maxrss` of `wait4()` (what `/usr/bin/time -v` prints as "
          "\"Maximum resident set size\"). Median of the repetitions; min–max in brackets.\n")
        for s in STARTUP_SCRIPTS:
            w(f"### `{s}.bt`\n")
            w("```\n" + open(script_path(s)).read().strip() + "\n```\n")
            bt = start.get((s, "bpftrace"), [])
            floor = start.get((s, "floor"), [])
            rows = []
            for name in STARTUP_CONTENDERS:
                rs = start.get((s, name), [])
                if not rs:
                    continue
                wall = [r["wall_ns"] for r in rs]
                armed = [r["armed_ns"] for r in rs if r["armed_ns"] >= 0]
                rss = [r["maxrss_kb"] for r in rs]
                rows.append([name, f"{ms(median(wall))} [{ms(min(wall))}–{ms(max(wall))}]",
                             f"{ms(median(armed))} [{ms(min(armed))}–{ms(max(armed))}]" if armed else "—"] +
                            ([ms(median(armed) - median([r["armed_ns"] for r in floor]))] if floor else []) +
                            [f"{mb(median(rss))} [{mb(min(rss))}–{mb(max(rss))}]",
                             fmt_ratio(ratio(median(wall), median([r["wall_ns"] for r in bt]))) if bt else "n/a",
                             fmt_ratio(ratio(median(rss), median([r["maxrss_kb"] for r in bt]))) if bt else "n/a",
                             len(rs)])
            w(table(["contender", "wall ms", "armed ms"] + (["armed − floor ms"] if floor else []) +
                    ["max RSS MiB", "wall / bpftrace", "RSS / bpftrace", "runs"], rows))
            if floor:
                w(f"**floor**: startlat runs `stamp` itself, no contender: "
                  f"{ms(median([r['armed_ns'] for r in floor]))} ms from fork to `stamp`'s start "
                  f"(min {ms(min(r['armed_ns'] for r in floor))}), the cost of one fork + exec on this "
                  "machine. Each contender's armed time contains one such start (its `-c` command) "
                  "besides its own: **armed − floor** estimates exec → armed, and is what the "
                  "targets use.\n")
            w("Command lines:\n\n```\n" + "\n".join(
                f"startlat STAMP OUT {argv_text(start[(s, n, 'argv')])}"
                for n in STARTUP_CONTENDERS if (s, n, "argv") in start) + "\n```\n")
            w("Raw wall / armed / max RSS per run (ms / ms / KiB):\n\n" + "".join(
                f"- {name}: " + ", ".join(
                    f"{ms(r['wall_ns'])}/{ms(r['armed_ns']) if r['armed_ns'] >= 0 else '-'}/{r['maxrss_kb']}"
                    for r in start.get((s, name), [])) + "\n"
                for name in STARTUP_CONTENDERS + (["floor"] if floor else [])))
        tp = lambda n, k: median([r[k] for r in start.get(("tp_count", n), [])])
        net = lambda n: tp(n, "armed_ns") - tp("floor", "armed_ns")
        for name in ["btrun", "btrun-static"]:
            targets.append([f"start-up ≤ 1/50 of bpftrace's, ≤ 10 ms (tp_count, exec→armed = armed − floor, {name})",
                            f"{ms(net(name))} ms vs {ms(net('bpftrace'))} ms = "
                            f"1/{ratio(net('bpftrace'), net(name)):.0f} (libbpf C: {ms(net('libbpf C'))} ms)",
                            verdict(net(name) <= 10e6 and net(name) * 50 <= net("bpftrace"))])
            targets.append([f"max RSS ≤ 1/20 of bpftrace's, ≤ 4.5 MB = 4.29 MiB (tp_count, {name})",
                            f"{mb(tp(name, 'maxrss_kb'))} MiB vs {mb(tp('bpftrace', 'maxrss_kb'))} MiB = "
                            f"1/{ratio(tp('bpftrace', 'maxrss_kb'), tp(name, 'maxrss_kb')):.0f}",
                            verdict(tp(name, "maxrss_kb") * 1024 <= 4.5e6 and tp(name, "maxrss_kb") * 20 <= tp("bpftrace", "maxrss_kb"))])
            targets.append([f"one tracepoint, whole run ≤ 20 ms (tp_count with -c: fork to exit, {name})",
                            f"{ms(tp(name, 'wall_ns'))} ms vs bpftrace {ms(tp('bpftrace', 'wall_ns'))} ms "
                            f"({fmt_ratio(ratio(tp(name, 'wall_ns'), tp('bpftrace', 'wall_ns')))}), "
                            f"libbpf C {ms(tp('libbpf C', 'wall_ns'))} ms "
                            f"({fmt_ratio(ratio(tp(name, 'wall_ns'), tp('libbpf C', 'wall_ns')))})",
                            verdict(tp(name, "wall_ns") <= 20e6)])
        if start.get(("tp_count", "btrun, raw_syscalls")):
            name = "btrun, raw_syscalls"
            targets.append([f"one tracepoint, whole run ≤ 20 ms (tp_count with -c: fork to exit, {name})",
                            f"{ms(tp(name, 'wall_ns'))} ms vs btrun {ms(tp('btrun', 'wall_ns'))} ms, "
                            f"libbpf C {ms(tp('libbpf C', 'wall_ns'))} ms "
                            f"({fmt_ratio(ratio(tp(name, 'wall_ns'), tp('libbpf C', 'wall_ns')))})",
                            verdict(tp(name, "wall_ns") <= 20e6)])
        modes, phases = start["phases"]
        w("### Where btrun's start-up goes (`tp_count.bto`)\n")
        w("Each mode stops later in btrun's pipeline; wall time of the mode (the last: time to "
          "armed, as above), median of the repetitions.\n")
        rows = []
        for mode, what in modes:
            rows.append([f"`{mode}`", what] + [
                ms(median(phases.get((b, mode), []))) for b in (BTRUN, BTRUN_STATIC)])
        w(table(["mode", "what it adds", "btrun ms", "btrun-static ms"], rows))
        if start["maps"]:
            w("Kernel cost of creating a map (`bench/build/tools/mapcost`: fastest of 20 "
              "`bpf(BPF_MAP_CREATE)`): btc gives a keyless count a preallocated per-CPU hash of "
              "4096 entries and every object a 1 MiB ring buffer; the C program uses a per-CPU "
              "array of one entry and no ring buffer for tp_count.\n")
            w(table(["map", "µs"], [[m["map"], m["min_us"]] for m in start["maps"]]))
        bins = start["bins"]
        w("### Binaries\n")
        w(table(["binary", "size", "stripped", "shared libraries (ldd)"], [
            [argv_text([b["path"]]), f"{b['size'] / 1e6:.2f} MB", f"{b['stripped'] / 1e6:.2f} MB",
             "static" if b["static"] else f"{len(b['libs'])}: " + ", ".join(os.path.basename(l) for l in b["libs"])]
            for b in bins]))

    # ---- figure 2
    if events:
        w("## 2. Per-event cost\n")
        w("Kernel BPF statistics (`kernel.bpf_stats_enabled=1` during the run, restored after): "
          "`run_time_ns` and `run_cnt` of each contender's own programs (found through "
          "`/proc/PID/fdinfo` of the contender's process, read with `bpftool prog show -j`), "
          "before and after the load generator ran. **ns/event** = sum over the script's programs "
          "of Δrun_time_ns / Δrun_cnt (latency.bt has two programs, one per syscall entry and exit); "
          "for btrun's raw_syscalls dispatchers (which run on every system call of the machine and "
          "tail-call the handler) Δrun_time_ns / the generator's calls, so their runs on other "
          "processes' syscalls during the window count against btrun, "
          "median of the repetitions. The statistics themselves add a constant ~2 clock reads per "
          "run to every contender. xlated / JITed: `bytes_xlated` / `bytes_jited`, summed over "
          "the programs that ran. btc objects start every program with the arming predicate "
          "(`if (!bt_armed) return 0;`); `btrun --no-sync-start` runs the same script compiled "
          "with `btc --no-sync-start`.\n")
        for s in EVENT_SCRIPTS:
            w(f"### `{s}.bt` — `{events[(s, 'loadgen')]}`\n")
            w("```\n" + open(script_path(s)).read().strip() + "\n```\n")
            c = median([r["ns_per_event"] for r in events.get((s, "libbpf C"), [])])
            b = median([r["ns_per_event"] for r in events.get((s, "bpftrace"), [])])
            rows = []
            for name in ["btrun", "btrun --no-sync-start", "bpftrace", "libbpf C"]:
                rs = events.get((s, name), [])
                if not rs:
                    continue
                nse = median([r["ns_per_event"] for r in rs])
                r0 = rs[0]
                rows.append([name, f"{nse:.1f}", fmt_ratio(ratio(nse, c)), fmt_ratio(ratio(nse, b)),
                             " ".join(f"{r['ns_per_event']:.1f}" for r in rs),
                             len(r0["progs"]), sum(q["xlated"] for q in r0["progs"]),
                             sum(q["xlated"] for q in r0["progs"]) // 8,
                             sum(q["jited"] for q in r0["progs"]),
                             f"{median([r['gen_rate'] for r in rs]) / 1e3:.0f}k",
                             median([r["lost"] for r in rs])])
                if name == "btrun":
                    targets.append([f"per-event ≤ 1.05× libbpf C and < bpftrace ({s})",
                                    f"{nse:.1f} ns vs C {c:.1f} ns ({fmt_ratio(ratio(nse, c))}×), "
                                    f"bpftrace {b:.1f} ns ({fmt_ratio(ratio(nse, b))}×)",
                                    verdict(nse <= 1.05 * c and nse < b)])
            w(table(["contender", "ns/event", "× C", "× bpftrace", "raw ns/event", "progs",
                     "xlated B", "insns", "JITed B", "generator calls/s", "lost"], rows))
        w("Command lines (the contender runs in the background pinned to CPU 0; the load generator "
          "runs once it is armed; then SIGINT):\n\n```\n" +
          "\n".join(argv_text(CONTENDERS[n]("SCRIPT", [])) for n in
                    ["btrun", "btrun --no-sync-start", "bpftrace", "libbpf C"]) + "\n```\n")
        w("(`bench/build/obj/S.bto` = `btc bench/scripts/S.bt -o …`; `S.nosync.bto` adds "
          "`--no-sync-start`; `bench/build/libbpf/S` is the hand-written program.) The translated "
          "programs are kept in `bench/build/xlated/` (`bpftool prog dump xlated`).\n")

    # ---- figure 3
    if output:
        w("## 3. Output throughput (`printf.bt`)\n")
        w("Every getppid() of the generator makes one printf record. **delivered** = lines "
          "`TID loadgen CPU` in the contender's output (a file); **lost** = what the contender "
          "reports (`Lost N events`); **unaccounted** = calls − delivered − lost. **events/s** = "
          "delivered / (generator start to the output going quiet). Ring buffers: btrun 1 MiB "
          "(BPF ring buffer), libbpf C 1 MiB (BPF ring buffer), bpftrace 0.17 perf buffers of 64 "
          "pages per CPU. Median of the repetitions.\n")
        for load in dict.fromkeys(k[0] for k in output if k[1] != "loadgen"):
            w(f"### {load} — `{output[(load, 'loadgen')]}`\n")
            rows = []
            for name in ["btrun", "bpftrace", "libbpf C"]:
                rs = output.get((load, name), [])
                if not rs:
                    continue
                calls = rs[0]["calls"]
                deliv = median([r["delivered"] for r in rs])
                lost = median([r["lost"] for r in rs])
                rate = median([r["delivered"] / r["seconds"] for r in rs])
                rows.append([name, calls, int(deliv), int(lost),
                             int(median([r["calls"] - r["delivered"] - r["lost"] for r in rs])),
                             f"{rate / 1e3:.1f}k", f"{median([r['gen_rate'] for r in rs]) / 1e3:.1f}k",
                             f"{median([r['ns_per_event'] for r in rs]):.1f}",
                             "; ".join(f"{r['delivered']}/{r['lost']}" for r in rs)])
            w(table(["contender", "calls", "delivered", "lost", "unaccounted", "events/s",
                     "generator calls/s", "BPF ns/event", "raw delivered/lost"], rows))
            if load.startswith("offered"):
                bl = median([r["lost"] for r in output.get((load, "bpftrace"), [])])
                ol = median([r["lost"] + r["calls"] - r["delivered"] for r in output.get((load, "btrun"), [])])
                targets.append([f"zero lost events at the offered rate where bpftrace loses none ({load})",
                                f"btrun lost or missing {int(ol)}, bpftrace lost {int(bl)}",
                                verdict(ol == 0 or bl > 0)])

    # ---- figure 4
    if compiled:
        res, files, tools = compiled
        w("## 4. Compile time\n")
        bt_tools = [t for t in tools if t.startswith("bpftrace")]
        w("Wall time of one compilation (startlat), median of the repetitions; peak RSS in brackets. "
          "bpftrace 0.17 has no compile-only flag (no `--dry-run`); its dry-run paths are timed: "
          "`--emit-elf FILE` (parse, analyse, LLVM codegen, write the ELF; no attach)"
          + (" and `-d` (the same passes with debug dumps, no attach)" if len(bt_tools) > 1 else "")
          + "; the cheapest is taken for the ratio.\n")
        w("Command lines:\n\n```\n" + "\n".join(argv_text(res[(t, "argv")]) for t in tools if (t, "argv") in res) + "\n```\n")
        rows, totals, worst = [], {}, (0, "")
        for group, s, _ in files:
            med = {t: median([r["wall_ns"] for r in res.get((group, s, t), [])]) for t in tools}
            rss = {t: median([r["maxrss_kb"] for r in res.get((group, s, t), [])]) for t in tools}
            rel = ratio(med["btc"], min(med[t] for t in bt_tools))
            worst = max(worst, (rel, f"{group}/{s}.bt"))
            for t in tools:
                totals[(group, t)] = totals.get((group, t), 0) + med[t]
            rows.append([f"{group}/{s}.bt"] + [f"{ms(med[t])} [{mb(rss[t])} MiB]" for t in tools] +
                        [fmt_ratio(rel)])
        for group in ("bench", "examples"):
            cheap = min(totals[(group, t)] for t in bt_tools)
            rows.append([f"**all {group}/**"] + [f"**{ms(totals[(group, t)])}**" for t in tools] +
                        [f"**{fmt_ratio(ratio(totals[(group, 'btc')], cheap))}**"])
            targets.append([f"btc compile ≤ 1/3 of bpftrace's compile-only ({group}/ suite)",
                            f"{ms(totals[(group, 'btc')])} ms vs {ms(cheap)} ms = "
                            f"{fmt_ratio(ratio(totals[(group, 'btc')], cheap))}",
                            verdict(totals[(group, "btc")] * 3 <= cheap)])
        targets.append(["btc compile ≤ 1/3 of bpftrace's compile-only (worst single script)",
                        f"{worst[1]}: {fmt_ratio(worst[0])}", verdict(worst[0] <= 1 / 3)])
        w(table(["script"] + [f"{t} ms" for t in tools] + ["btc / bpftrace"], rows))

    # ---- figure 5
    stop = raw.get("stop")
    if stop:
        w("## 5. Stop: hundreds of tracepoints (`sys_enter_all.bt`)\n")
        w("```\n" + open(script_path(STOP_SCRIPT)).read().strip() + "\n```\n")
        w("Each contender runs with `-c 'stamp FILE 600'`: **armed** is start (Popen) to the "
          "command's stamp (every contender starts it once armed; one fork + exec included); "
          "0.3 s later SIGINT; **stop** is SIGINT to the contender's exit (its maps printed, "
          "everything detached); **max RSS** from `wait4()` (through GNU time, which starts the contender). `btrun, perf tracepoints` is the "
          "same script compiled with `btc --perf-syscall-tracepoints` (one perf-event tracepoint "
          "per syscall, as before raw_syscalls served them); the libbpf C program attaches one "
          "program to each `syscalls/sys_enter_*` tracepoint with libbpf (bench/libbpf/"
          "sys_enter_all.c); `btrun (baseline)`, when run with `--baseline DIR`, is another build's "
          "btc and btrun (the run's command line names it). Median of the repetitions; min–max in brackets.\n")
        bt = stop.get("bpftrace", [])
        c = stop.get("libbpf C", [])
        med = lambda rs, k: median([r[k] for r in rs])
        rows = []
        for name in STOP_CONTENDERS:
            rs = stop.get(name, [])
            if not rs:
                continue
            rows.append([name, rs[0]["probes"]] + [
                f"{ms(med(rs, k))} [{ms(min(r[k] for r in rs))}–{ms(max(r[k] for r in rs))}]"
                for k in ("armed_ns", "stop_ns")] + [
                f"{mb(med(rs, 'maxrss_kb'))}",
                fmt_ratio(ratio(med(rs, "stop_ns"), med(bt, "stop_ns"))) if bt else "n/a",
                fmt_ratio(ratio(med(rs, "stop_ns"), med(c, "stop_ns"))) if c else "n/a",
                fmt_ratio(ratio(med(rs, "armed_ns"), med(bt, "armed_ns"))) if bt else "n/a",
                len(rs)])
        w(table(["contender", "probes", "armed ms", "stop ms", "max RSS MiB", "stop / bpftrace",
                 "stop / C", "armed / bpftrace", "runs"], rows))
        w("Command lines:\n\n```\n" + "\n".join(
            argv_text(stop[(n, "argv")][:1] + ["-c", "'stamp FILE 600'"] + stop[(n, "argv")][1:])
            for n in STOP_CONTENDERS if (n, "argv") in stop) + "\n```\n")
        w("Raw armed / stop / max RSS per run (ms / ms / KiB):\n\n" + "".join(
            f"- {n}: " + ", ".join(f"{ms(r['armed_ns'])}/{ms(r['stop_ns'])}/{r['maxrss_kb']}"
                                   for r in stop[n]) + "\n" for n in STOP_CONTENDERS if n in stop))
        b = stop.get("btrun", [])
        if b:
            targets.append(["stop ≤ 0.5 s (sys_enter_all, SIGINT to exit, btrun)",
                            f"{ms(med(b, 'stop_ns'))} ms vs bpftrace {ms(med(bt, 'stop_ns')) if bt else 'n/a'} ms, "
                            f"libbpf C {ms(med(c, 'stop_ns')) if c else 'n/a'} ms",
                            verdict(med(b, "stop_ns") <= 0.5e9)])
            targets.append(["start to armed ≤ 0.15 s (sys_enter_all, btrun)",
                            f"{ms(med(b, 'armed_ns'))} ms vs bpftrace {ms(med(bt, 'armed_ns')) if bt else 'n/a'} ms",
                            verdict(med(b, "armed_ns") <= 0.15e9)])
            targets.append(["max RSS ≤ 8 MiB (sys_enter_all, btrun)",
                            f"{mb(med(b, 'maxrss_kb'))} MiB vs bpftrace {mb(med(bt, 'maxrss_kb')) if bt else 'n/a'} MiB",
                            verdict(med(b, "maxrss_kb") <= 8 * 1024)])

    if raw.get("incidents") or raw.get("failures"):
        w("## Incidents and failures of this run\n")
        w("".join(f"- incident: {m}\n" for m in raw.get("incidents", [])) +
          "".join(f"- **failure**: {m}\n" for m in raw.get("failures", [])))
    head = ["## Targets\n", table(["target", "measured", "verdict"], targets)]
    body = "\n".join(L)
    i = body.index("## 1.") if "## 1." in body else len(body)
    analysis = os.path.join(BENCH, "ANALYSIS.md")
    tail = "\n" + open(analysis).read() if os.path.exists(analysis) else ""
    return body[:i] + "\n".join(head) + "\n" + body[i:] + tail


# ---------------------------------------------------------------- main

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
