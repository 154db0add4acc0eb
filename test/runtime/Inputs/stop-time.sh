#!/bin/sh
# stop-time.sh LIMIT_MS OUT -- BTRUN-ARGS...: starts btrun (output to OUT), waits for its
# "Attaching" banner and 0.3 s more, sends SIGINT, and prints "stopped within LIMIT_MS ms"
# once btrun has exited, or how long it took if that was longer.
limit=$1 out=$2
shift 3
"$@" > "$out" 2>&1 &
pid=$!
for i in $(seq 200); do grep -q Attaching "$out" && break; sleep 0.05; done
sleep 0.3
start=$(date +%s%N)
kill -INT "$pid"
wait "$pid"
status=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
if [ "$ms" -le "$limit" ]; then echo "stopped within $limit ms, exit status $status"
else echo "stopped after $ms ms (limit $limit), exit status $status"; fi
