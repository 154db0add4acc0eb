#!/bin/sh
# usage: check-profile.sh OUTPUT STDERR-OF-BTRUN-V
# Checks a profile.bt run. Deterministic: btrun attached one perf event per online CPU
# (plus the interval's one). From the samples: at most one "@[cpu]: n" line per CPU,
# each cpu below nproc, each n at most 80 (about 50 expected in 0.5 s at 99 Hz).
# A CPU without samples is not an error: on a loaded CI VM a vCPU can be starved of
# timer ticks, or busy in another test's BPF program (the kernel then skips the sample).
# Prints "ok" or what is wrong.
out=$1 err=$2
ncpu=$(nproc)
bad=0
if ! grep -q "^btrun: attached $((ncpu + 1)) links$" "$err"; then
  echo "expected $((ncpu + 1)) links (one per CPU and the interval's): $(grep attached "$err")"
  bad=1
fi
lines=$(grep -c '^@\[' "$out")
if [ "$lines" -gt "$ncpu" ]; then
  echo "expected at most $ncpu CPU keys, got $lines"
  bad=1
fi
if [ "$(grep '^@\[' "$out" | sort | uniq -d | wc -l)" -ne 0 ]; then
  echo "a CPU key appears twice"
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
