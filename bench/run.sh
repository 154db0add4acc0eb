#!/bin/bash
# The benchmark suite in one command (as root):
#   bench/run.sh            full run (~10 min), writes bench/RESULTS.md
#   bench/run.sh --smoke    one repetition, small counts (< 60 s), writes bench/build/RESULTS-smoke.md;
#                           exits non-zero if a contender or a figure fails
# Other options go to bench/bench.py (--only FIGURE, -o FILE). Progress goes to stderr.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
[[ $(id -u) == 0 ]] || { echo "bench/run.sh: run as root" >&2; exit 1; }
for b in btc btrun btrun-static; do
  [[ -x $root/build/bin/$b ]] || { echo "bench/run.sh: $root/build/bin/$b missing: ninja -C $root/build" >&2; exit 1; }
done
echo "[bench] building bench/build (make)" >&2
make -s -C "$here" >&2
exec /usr/bin/python3 "$here/bench.py" "$@"
