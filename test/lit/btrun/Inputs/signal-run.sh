#!/bin/sh
# signal-run.sh SIGNAL BTRUN OBJ OUT MAP: runs BTRUN OBJ in the background with its
# output in OUT, waits until its probes are attached, sends SIGNAL, waits for
# it to end, then counts the maps named MAP still in the kernel (a program or
# link left behind would keep its maps alive).
sig=$1 btrun=$2 obj=$3 out=$4 map=$5
"$btrun" "$obj" > "$out" 2>&1 &
pid=$!
for i in $(seq 50); do grep -q Attaching "$out" 2>/dev/null && break; sleep 0.1; done
sleep 0.3
kill -"$sig" "$pid"
wait "$pid"
echo "exit status $?"
if left=$("$(dirname "$0")/../../../Inputs/bpf-leftovers.sh" "$map"); then
  echo "maps after: 0"
else
  echo "maps after: not 0, or unknown:"
  echo "$left"
fi
