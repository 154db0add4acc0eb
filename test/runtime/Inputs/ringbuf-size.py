#!/usr/bin/env python3
"""ringbuf-size.py PID: prints the max_entries of the ring buffer map that process PID
holds open (read from /proc/PID/fdinfo), polling up to 5 s for it to appear."""
import os, sys, time

BPF_MAP_TYPE_RINGBUF = 27
pid = sys.argv[1]
for _ in range(50):
    try:
        fds = os.listdir("/proc/%s/fd" % pid)
    except FileNotFoundError:
        break
    for fd in fds:
        try:
            if os.readlink("/proc/%s/fd/%s" % (pid, fd)) != "anon_inode:bpf-map":
                continue
            info = dict(line.split(":", 1) for line in
                        open("/proc/%s/fdinfo/%s" % (pid, fd)).read().splitlines() if ":" in line)
        except OSError:
            continue
        if int(info.get("map_type", "-1")) == BPF_MAP_TYPE_RINGBUF:
            print("ring buffer: %d bytes" % int(info["max_entries"]))
            sys.exit(0)
    time.sleep(0.1)
print("no ring buffer held by process %s" % pid)
sys.exit(1)
