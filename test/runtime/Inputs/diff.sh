#!/bin/sh
# Differential driver: run one bpftrace script under Debian's bpftrace (the oracle)
# and under btc + btrun, and require identical stdout.
#
# usage: diff.sh SCRIPT [-c CMD] [-f json]
#
# Both runs get the same options (-c CMD, -f json). Give -c an absolute path (bpftrace 0.17
# refuses a bare name that resolves to two binaries on a merged-/usr system). The
# "Attaching N probe(s)..." banner is dropped from both outputs (bpftrace counts
# differ for some probe types, and the banner is tested elsewhere); stderr is ignored
# (bpftrace 0.17 prints an RLIMIT_MEMLOCK warning here). On a mismatch the unified
# diff is printed (--- bpftrace, +++ btrun) and the status is 1; on a tool failure 2.
set -u
if [ $# -lt 1 ]; then
  echo "usage: diff.sh SCRIPT [-c CMD] [-f json]" >&2
  exit 2
fi
script=$1
shift
btc=${BTC:-btc}
btrun=${BTRUN:-btrun}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/btdiff.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

banner='^Attaching [0-9]* probes\?\.\.\.$'

if ! timeout 20 bpftrace "$@" "$script" >"$tmp/bpftrace.raw" 2>"$tmp/bpftrace.err"; then
  echo "diff.sh: bpftrace failed on $script:" >&2
  cat "$tmp/bpftrace.err" >&2
  exit 2
fi
if ! "$btc" "$script" -o "$tmp/script.bto" 2>"$tmp/btc.err"; then
  echo "diff.sh: btc failed on $script:" >&2
  cat "$tmp/btc.err" >&2
  exit 2
fi
if ! timeout 20 "$btrun" "$@" "$tmp/script.bto" >"$tmp/btrun.raw" 2>"$tmp/btrun.err"; then
  echo "diff.sh: btrun failed on $script:" >&2
  cat "$tmp/btrun.err" >&2
  exit 2
fi
# bpftrace 0.17 -f json still prints the two blank lines that precede the maps at
# exit; btrun's JSON output is JSON lines only.
case " $* " in
  *" -f json "*) grep -v '^$' "$tmp/bpftrace.raw" >"$tmp/bpftrace.nb"; mv "$tmp/bpftrace.nb" "$tmp/bpftrace.raw" ;;
esac
grep -v "$banner" "$tmp/bpftrace.raw" >"$tmp/bpftrace.out"
grep -v "$banner" "$tmp/btrun.raw" >"$tmp/btrun.out"
# Neither output may be empty: a script that prints nothing proves nothing.
if [ ! -s "$tmp/btrun.out" ] || ! grep -q '[^[:space:]]' "$tmp/btrun.out"; then
  echo "diff.sh: $script printed nothing under btrun" >&2
  exit 2
fi
if diff -u --label bpftrace --label btrun "$tmp/bpftrace.out" "$tmp/btrun.out"; then
  echo "diff.sh: identical ($(wc -l <"$tmp/btrun.out") lines)"
  exit 0
fi
exit 1
