#!/bin/sh
# pid-run.sh TARGET OBJECT [TOOL]: TOOL -p (btrun, or bpftrace with a script) with two
# processes of one binary. Starts TARGET 5
# and TARGET 7 (Inputs/pid-target.c), each blocked reading its FIFO; runs `btrun -p` on the first;
# once btrun is armed ("armed" from BEGIN) releases the second, waits for it, then the
# first. btrun must exit by itself when the first exits: its output and exit status
# are printed (a btrun still running after 10 s is killed and reported).
target=$1 object=$2 tool=${3:-btrun}
dir=$(mktemp -d "${TMPDIR:-/tmp}/btpid.XXXXXX") || exit 2
trap 'rm -rf "$dir"' EXIT
mkfifo "$dir/one" "$dir/two"
# Opened read-write, a FIFO does not block: both processes are the target before btrun starts.
exec 3<>"$dir/one" 4<>"$dir/two"
"$target" 5 <&3 &
one=$!
"$target" 7 <&4 &
two=$!
for p in $one $two; do
  for i in $(seq 100); do [ "$(readlink /proc/$p/exe)" = "$target" ] && break; sleep 0.02; done
done
"$tool" -p "$one" "$object" > "$dir/out" 2> "$dir/err" &
bt=$!
for i in $(seq 200); do grep -q armed "$dir/out" && break; sleep 0.05; done
echo go >&4
wait "$two"
echo go >&3
wait "$one"
for i in $(seq 200); do kill -0 "$bt" 2>/dev/null || break; sleep 0.05; done
if kill -0 "$bt" 2>/dev/null; then
  echo "$tool still running 10 s after the traced process exited"
  kill -INT "$bt"
fi
wait "$bt"
status=$?
cat "$dir/out"
cat "$dir/err" >&2
echo "exit status $status"
