#!/usr/bin/env bash
# Builds btc and btrun with clang-19, AddressSanitizer + UBSan (-DBT_SANITIZE=ON, -O1,
# line tables) into build-asan/ and runs the whole test suite against that build. LLVM's
# own static libraries are not instrumented; everything of ours is.
#
# Every report -- a leak, a memory error, undefined behaviour -- is written to
# build-asan/sanitizer-reports/ (as well as ending its process with a failure), so a
# report inside a test that expects a failure ("not btrun ...") still counts: the
# check "no sanitizer report" is one more test in the summary.
#   SANITIZE_BUILD_DIR=DIR   build directory (default build-asan)
# The last line is "TESTS: N passed, M failed, K skipped" (the suite + that check).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${SANITIZE_BUILD_DIR:-$root/build-asan}

if [ ! -f "$build/build.ninja" ]; then
  # clang links the sanitizer runtimes statically, so btrun keeps its own shared
  # libraries (test/lit/btrun/dependencies.test); gcc's libubsan pulls in libstdc++.
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only" \
    "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only" \
    -DBT_SANITIZE=ON >/dev/null || exit 1
fi
ninja -C "$build" >/dev/null || { ninja -C "$build"; exit 1; }

reports=$build/sanitizer-reports
rm -rf "$reports" && mkdir -p "$reports" && chmod 1777 "$reports" # tests run btrun as nobody too
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_string_checks=1}:log_path=$reports/asan
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}:log_path=$reports/ubsan
export LSAN_OPTIONS=${LSAN_OPTIONS:-}

out=$(mktemp)
# The suite's own summary becomes "suite: ..."; the TESTS line below adds the check.
BUILD_DIR=$build "$root/scripts/run-tests.sh" "$@" | sed -u 's/^TESTS: /suite: /' | tee "$out"
summary=$(grep '^suite: ' "$out" | tail -1 | sed 's/^suite: /TESTS: /')
rm -f "$out"

n=$(find "$reports" -type f | wc -l)
if [ "$n" -gt 0 ]; then
  echo "sanitizer: $n report(s) in $reports:"
  for f in "$reports"/*; do
    echo "--- $f"
    head -40 "$f"
  done
else
  echo "sanitizer: no reports"
fi
python3 - "$summary" "$n" <<'PY'
import re, sys
m = re.match(r"TESTS: (\d+) passed, (\d+) failed, (\d+) skipped", sys.argv[1])
p, f, s = map(int, m.groups()) if m else (0, 1, 0)
if int(sys.argv[2]):
    f += 1
else:
    p += 1
print("TESTS: %d passed, %d failed, %d skipped" % (p, f, s))
sys.exit(1 if f or not m else 0)
PY
