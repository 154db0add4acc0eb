"""Before the figures: the binaries copied, the objects compiled, the machine described."""

import os
import platform
import shutil
import time

from benchlib.common import (BIN, BPFTRACE, BTC, BTRUN, BTRUN_STATIC, EVENT_SCRIPTS, OBJ,
    PROJECT_BIN, ROOT, STARTUP_SCRIPTS, STOP_SCRIPT, fail, obj_path, script_path, sh)


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
