#!/bin/sh
# stopped-run.sh OUT ERR CMD -- BTRUN-ARGS...: starts btrun with BTRUN-ARGS (output to OUT,
# errors to ERR), waits until the script prints "armed", stops btrun (SIGSTOP) so that it
# reads nothing from the ring buffer, runs CMD, lets btrun go on (SIGCONT) until it ends,
# and prints its exit status.
out=$1 err=$2 cmd=$3
shift 4
"$@" > "$out" 2> "$err" &
pid=$!
for i in $(seq 100); do grep -q armed "$out" && break; sleep 0.05; done
kill -STOP "$pid"
$cmd
kill -CONT "$pid"
wait "$pid"
echo "btrun exit status $?"
