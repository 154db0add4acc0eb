#!/usr/bin/env python3
"""bpf-prog-run.py BTRUN TARGET FUNCTION CMD: a running BPF program for fentry:bpf to name.
Runs `BTRUN -q TARGET` (an object whose BEGIN prints "armed"), finds the id of its program
FUNCTION with bpftool (the one this btrun holds, not another process's), runs CMD with sh
and PROG_ID set to that id, then stops the btrun with SIGINT. Prints CMD's output and
"exit status N"."""
import json
import os
import signal
import subprocess
import sys
import time

btrun, target, function, cmd = sys.argv[1:5]
bt = subprocess.Popen([btrun, "-q", target], stdout=subprocess.PIPE, text=True)
try:
    if bt.stdout.readline().strip() != "armed":
        sys.exit("bpf-prog-run.py: %s did not arm" % target)
    progs = json.loads(subprocess.run(["bpftool", "-j", "prog", "show"], check=True,
                                      capture_output=True, text=True).stdout)
    ids = [p["id"] for p in progs if p.get("name") == function[:15]
           and any(q.get("pid") == bt.pid for q in p.get("pids", []))]
    if len(ids) != 1:
        sys.exit("bpf-prog-run.py: %d programs %s of btrun %d" % (len(ids), function, bt.pid))
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
