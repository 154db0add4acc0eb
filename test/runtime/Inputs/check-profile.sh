#!/bin/sh
# usage: check-profile.sh OUTPUT
# Checks a profile.bt run: one "@[cpu]: n" line per online CPU, each cpu < nproc,
# each n at most 80 (about 50 expected at 99 Hz; no lower bound beyond the key being there, since a loaded VM can starve a vCPU of timer ticks: 3 in 0.5 s was seen). Prints "ok" or what is wrong.
out=$1
ncpu=$(nproc)
bad=0
lines=$(grep -c '^@\[' "$out")
if [ "$lines" -ne "$ncpu" ]; then
  echo "expected $ncpu CPU keys, got $lines"
  bad=1
fi
grep '^@\[' "$out" | sed 's/^@\[\([0-9]*\)\]: \([0-9]*\)$/\1 \2/' | {
  b=$bad
  while read -r cpu n; do
    if [ "$cpu" -ge "$ncpu" ]; then echo "cpu $cpu >= nproc $ncpu"; b=1; fi
    if [ "$n" -gt 80 ]; then echo "cpu $cpu: $n samples, more than 80"; b=1; fi
  done
  [ "$b" -eq 0 ] && echo ok
}
