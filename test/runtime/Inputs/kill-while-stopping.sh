#!/bin/sh
# kill-while-stopping.sh DELAY OUT -- BTRUN-ARGS...: starts btrun (output to OUT), waits for
# its banner, sends SIGINT and, DELAY seconds later, SIGKILL: btrun dies in the middle of
# stopping (detaching, printing). Prints how it ended.
delay=$1 out=$2
shift 3
"$@" > "$out" 2>&1 &
pid=$!
for i in $(seq 200); do grep -q Attaching "$out" && break; sleep 0.05; done
sleep 0.3
kill -INT "$pid"
sleep "$delay"
kill -KILL "$pid" 2>/dev/null
wait "$pid"
echo "btrun ended, status $?"
