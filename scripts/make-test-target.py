#!/usr/bin/env python3
"""Writes a target description (docs/TARGET.md) of this host, limited to the tracepoint
categories given, for compile tests that must not read tracefs (they run unprivileged).

    sudo scripts/make-test-target.py test/Inputs/targets/x86_64-6.18.json syscalls raw_syscalls sched

Probe types are those /sys/bus/event_source/devices shows; fentry/fexit are left out (only
a program load can tell, which btrun --describe-host will do).
"""
import json
import os
import re
import sys

TRACEFS = "/sys/kernel/tracing"
FIELD = re.compile(r"^\s*field:(.*);\s*offset:(\d+);\s*size:(\d+);\s*signed:(\d+);")
PMUS = {
    "tracepoint": ["tracepoint", "rawtracepoint"],
    "software": ["interval", "profile", "software"],
    "uprobe": ["uprobe", "uretprobe", "usdt"],
    "kprobe": ["kprobe", "kretprobe"],
}


def fields(category, name):
    out = []
    with open(os.path.join(TRACEFS, "events", category, name, "format")) as f:
        for line in f:
            m = FIELD.match(line)
            if not m:
                continue
            decl = m.group(1).strip()
            # The common fields (struct trace_entry) start every event: not listed.
            if re.search(r"\bcommon_\w+$", decl):
                continue
            out.append([decl, int(m.group(2)), int(m.group(3)), m.group(4) == "1"])
    return out


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    path, categories = sys.argv[1], set(sys.argv[2:])
    events = []
    with open(os.path.join(TRACEFS, "available_events")) as f:
        for line in f:
            cat, _, name = line.strip().partition(":")
            if cat in categories:
                events.append((cat, name))
    pmus = os.listdir("/sys/bus/event_source/devices")
    types = [t for pmu, ts in PMUS.items() if pmu in pmus for t in ts]
    u = os.uname()
    # One event per line, so a regenerated file diffs by event.
    lines = ['{', '  "btc_target": 1,',
             '  "arch": %s,' % json.dumps(u.machine),
             '  "kernel_release": %s,' % json.dumps(u.release),
             '  "probe_types": %s,' % json.dumps(types),
             '  "tracepoints": {']
    body = ['    %s: %s' % (json.dumps(c + ":" + n), json.dumps(fields(c, n)))
            for c, n in events]
    lines.append(",\n".join(body))
    lines += ['  }', '}']
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
