#!/bin/sh
# uprobe-wildcard.sh [BTRUN_DIR]: `uprobe:/bin/bash:*` (every function of bash) under btrun
# and bpftrace in the same run: seconds from exec to armed (BEGIN's "armed" line, printed
# once every probe is attached) and from SIGINT to exit. Prints one line per tool.
# Needs root; run it alone (bench/README.md). Only=bpftrace or Only=btrun runs one of them.
set -u
bin=${1:-$(dirname "$0")/../build/bin}
dir=$(mktemp -d "${TMPDIR:-/tmp}/btuwild.XXXXXX") || exit 2
trap 'rm -rf "$dir"' EXIT
script='BEGIN { printf("armed\n"); } uprobe:/bin/bash:* { @[probe] = count(); }'
now() { date +%s.%N; }
t0=$(now)
"$bin/btc" -e "$script" -o "$dir/w.bto" || exit 2
t1=$(now)
echo "btc compile: $(echo "$t1 - $t0" | bc) s, \
$("$bin/btrun" --print-manifest "$dir/w.bto" | grep -c '"program"') programs"
measure() { # NAME CMD...
  name=$1
  shift
  start=$(now)
  "$@" > "$dir/out" 2> "$dir/err" &
  pid=$!
  while ! grep -q armed "$dir/out" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { echo "$name: exited before arming"; cat "$dir/err"; return; }
    sleep 0.01
  done
  armed=$(now)
  kill -INT "$pid"
  wait "$pid"
  done_=$(now)
  echo "$name: armed $(echo "$armed - $start" | bc) s, stop $(echo "$done_ - $armed" | bc) s, $(head -1 "$dir/out")"
}
[ "${Only:-btrun}" = btrun ] && measure btrun "$bin/btrun" "$dir/w.bto"
# bpftrace 0.17 refuses more than 512 programs and 512 probes unless told otherwise.
[ "${Only:-bpftrace}" = bpftrace ] && measure bpftrace env BPFTRACE_MAX_BPF_PROGS=4000 BPFTRACE_MAX_PROBES=4000 timeout 600 bpftrace -e "$script"
