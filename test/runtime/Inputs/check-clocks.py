#!/usr/bin/env python3
"""Checks nsecs-clocks.test's output: each `NAME SECONDS` line against this host's clock
of that name, read right after btrun ran (within 3 s)."""
import sys
import time

clocks = {"monotonic": time.CLOCK_MONOTONIC, "boot": time.CLOCK_BOOTTIME, "tai": time.CLOCK_TAI}
seen = set()
for line in open(sys.argv[1]):
    words = line.split()
    if len(words) != 2 or words[0] not in clocks:
        continue
    got, now = int(words[1]), time.clock_gettime(clocks[words[0]])
    if not now - 3 <= got <= now:
        sys.exit(f"{words[0]}: btrun read {got} s, the host's clock is at {now:.0f} s")
    seen.add(words[0])
if seen != set(clocks):
    sys.exit(f"missing clocks: {sorted(set(clocks) - seen)}")
print("clocks agree: " + " ".join(sorted(seen)))
