"""Figure 4: compile time."""

import os

from benchlib.common import (BPFTRACE, BTC, EVENT_SCRIPTS, ROOT, STARTUP_SCRIPTS, TMP, fail, log,
    script_path)
from benchlib.startstop import startlat


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
