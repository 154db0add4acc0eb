"""Paths, run settings, logging and the contenders: what every figure of bench.py shares."""

import os
import re
import shutil
import statistics
import subprocess
import sys
import time

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
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


def wait_for(pred, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.01)
    fail(f"timed out waiting for {what}")
    return False
