#!/usr/bin/env python3
"""bpf-prog-run.py BTRUN TARGET FUNCTION MAP CMD: a running BPF program for fentry:bpf to
name. Runs `BTRUN -q TARGET` (an object whose BEGIN prints "armed"), finds the id of its
program FUNCTION with bpftool (the one that uses the map MAP, which only TARGET has: this
bpftool cannot tell programs' pids), runs CMD with sh and PROG_ID set to that id, then
stops the btrun with SIGINT. Prints CMD's output and "exit status N"."""
import json
import os
import signal
import subprocess
import sys
import time

btrun, target, function, map_name, cmd = sys.argv[1:6]
bt = subprocess.Popen([btrun, "-q", target], stdout=subprocess.PIPE, text=True)
try:
    if bt.stdout.readline().strip() != "armed":
        sys.exit("bpf-prog-run.py: %s did not arm" % target)
    def show(kind):
        return json.loads(subprocess.run(["bpftool", "-j", kind, "show"], check=True,
                                         capture_output=True, text=True).stdout)
    maps = [m["id"] for m in show("map") if m.get("name") == map_name[:15]]
    ids = [p["id"] for p in show("prog") if p.get("name") == function[:15]
           and set(p.get("map_ids", [])) & set(maps)]
    if len(ids) != 1:
        sys.exit("bpf-prog-run.py: %d programs %s using map %s" % (len(ids), function, map_name))
    run = subprocess.run(["sh", "-c", cmd], env=dict(os.environ, PROG_ID=str(ids[0])),
                         capture_output=True, text=True)
    sys.stdout.write(run.stdout)
    sys.stderr.write(run.stderr)
    print("exit status %d" % run.returncode)
finally:
    bt.send_signal(signal.SIGINT)
    for _ in range(100):
        if bt.poll() is not None:
            break
        time.sleep(0.05)
    else:
        bt.kill()
    bt.wait()
