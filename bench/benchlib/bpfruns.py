"""Figures 2 and 3: BPF programs run by loadgen's system calls: per-event cost from the
kernel's run-time statistics, and output throughput."""

import json
import os
import re
import signal
import subprocess
import time

from benchlib.common import (CONSUMER_CPU, CONTENDERS, EVENT_SCRIPTS, GENERATOR_CPU, LOADGEN, LOST,
    PRINTF_LINE, RESIGNAL_AFTER, STOP_TIMEOUT, TMP, XLATED, fail, incident, log, sh, wait_for)


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
