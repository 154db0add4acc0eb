#!/bin/sh
# Prints the capabilities of the parent (btrun) and of this process.
grep -E '^Cap(Prm|Eff)' /proc/$PPID/status
grep CapEff /proc/self/status
