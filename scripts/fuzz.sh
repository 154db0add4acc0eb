#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-19 (ASan+UBSan) into build-fuzz/ and runs
# each for a bounded time:
#   script-fuzzer   scripts -> lexer, parser, Sema, lowering (lib/Parse/fuzz)
#   object-fuzzer   ELF bytes / manifest JSON -> btrun's pre-load checks (lib/Runtime/fuzz)
# Seeds come from the repository's scripts and from objects and manifests that the
# freshly built btc compiles from a few of them (generated here, never committed).
#
#   FUZZ_SECONDS=60      time per target (default 60)
#   FUZZ_TARGETS="..."   which targets (default: both)
#   FUZZ_BUILD_DIR=DIR   build directory (default build-fuzz)
# Prints one line per target ("FUZZ target: N execs, cov C, ft F, corpus K, crashes 0")
# and exits non-zero when a target crashed, leaked, hit a sanitizer report or timed
# out on an input; the input is kept under $FUZZ_BUILD_DIR/fuzz-artifacts/.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
seconds=${FUZZ_SECONDS:-60}
targets=${FUZZ_TARGETS:-"script-fuzzer object-fuzzer"}

# Sema reads tracepoint formats from tracefs when btc compiles the object seeds.
if [ "$(id -u)" -eq 0 ] && ! grep -q ' /sys/kernel/tracing tracefs' /proc/mounts; then
  mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || true
fi

if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 \
    -DBT_FUZZ=ON -DBT_SANITIZE=ON >/dev/null || exit 1
fi
ninja -C "$build" $targets btc >/dev/null || { ninja -C "$build" $targets btc; exit 1; }

# Seeds, regenerated on every run.
seeds=$build/fuzz-seeds
rm -rf "$seeds" && mkdir -p "$seeds/script-fuzzer" "$seeds/object-fuzzer"
i=0
while IFS= read -r f; do
  cp "$f" "$seeds/script-fuzzer/$(( i += 1 ))-$(basename "$f")"
done < <(find "$root/examples" "$root/test" -name '*.bt' | sort)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
for f in "$root"/examples/*.bt "$root"/test/codegen/{printf-record,hist-buckets,uprobe-args,builtins,control-flow,helper-errors,string-compare}.bt; do
  [ -f "$f" ] || continue
  n=$(basename "$f" .bt)
  "$build/bin/btc" "$f" -o "$seeds/object-fuzzer/$n.bto" 2>/dev/null || continue
  "$build/bin/btc" "$f" -k --no-sync-start -o "$seeds/object-fuzzer/$n-k.bto" 2>/dev/null
  "$build/bin/btc" "$f" --print-manifest -o "$seeds/object-fuzzer/$n.json" 2>/dev/null
done

status=0
mkdir -p "$build/fuzz-artifacts"
for t in $targets; do
  corpus=$build/fuzz-corpus/$t
  mkdir -p "$corpus"
  log=$build/fuzz-$t.log
  start=$(date +%s)
  extra=()
  [ "$t" = script-fuzzer ] && extra+=(-dict="$root/lib/Parse/fuzz/script.dict")
  "$build/bin/$t" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 \
    -print_final_stats=1 -artifact_prefix="$build/fuzz-artifacts/$t-" "${extra[@]}" \
    "$corpus" "$seeds/$t" >"$log" 2>&1
  rc=$?
  python3 - "$t" "$log" "$rc" "$(( $(date +%s) - start ))" <<'PY'
import re, sys
t, log, rc, secs = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
text = open(log, errors="replace").read()
def stat(name):
    m = re.search(r"^stat::%s:\s*(\d+)" % name, text, re.M)
    return int(m.group(1)) if m else 0
cov = ft = corp = 0
for m in re.finditer(r"cov: (\d+) ft: (\d+) corp: (\d+)", text):
    cov, ft, corp = map(int, m.groups())
crashes = 0 if rc == 0 else 1
print("FUZZ %s: %d execs in %s s, cov %d, ft %d, corpus %d, crashes %d"
      % (t, stat("number_of_executed_units"), secs, cov, ft, corp, crashes))
PY
  if [ $rc -ne 0 ]; then
    status=1
    echo "fuzz: $t failed (exit $rc); the end of $log:" >&2
    grep -E 'ERROR|SUMMARY|==[0-9]+==|Test unit written|#[0-9]+ 0x' "$log" | head -40 >&2
  fi
done
exit $status
