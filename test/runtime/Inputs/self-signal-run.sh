#!/bin/sh
# self-signal-run.sh BTRUN OBJ OUT N: runs BTRUN OBJ in the background with its output
# in OUT, waits for BEGIN's "ready" line (btrun catches SIGUSR1 by then), sends it
# SIGUSR1 N times, 0.3 s apart, waits for it to end and prints its exit status.
btrun=$1 obj=$2 out=$3 n=$4
"$btrun" --timeout 10 "$obj" > "$out" 2>&1 &
pid=$!
for i in $(seq 50); do grep -q ready "$out" 2>/dev/null && break; sleep 0.1; done
for i in $(seq "$n"); do
  kill -USR1 "$pid"
  sleep 0.3
done
wait "$pid"
echo "exit status $?"
