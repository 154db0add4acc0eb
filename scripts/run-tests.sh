#!/usr/bin/env bash
# Runs every test level (codegen, lit, runtime) with lit and prints one summary line:
#   TESTS: N passed, M failed, K skipped
# Each test's result is kept in $BUILD_DIR/lit-results.json (lit's JSON), where
# scripts/test-all.sh counts a test once across the builds it ran in. A lit run that
# fails without a failing test (BT_REQUIRE_FEATURES names a missing tool) counts as one
# failed test.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}

# Runtime tests read tracepoint formats from tracefs.
if [ "$(id -u)" -eq 0 ] && ! grep -q ' /sys/kernel/tracing tracefs' /proc/mounts; then
  mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || true
fi

# Kernel-type tests print their own task's scheduler weight and priority (nice 0's):
# a suite started under `nice` resets itself to 0 where it may (root).
if [ "$(id -u)" -eq 0 ] && [ "$(nice)" -ne 0 ]; then
  renice -n 0 -p $$ >/dev/null
fi

out=$(mktemp)
rm -f "$build/lit-results.json"
python3 /usr/lib/llvm-19/build/utils/lit/lit.py -sv --param build_dir="$build" \
  -o "$build/lit-results.json" "$root/test" "$@" 2>&1 | tee "$out"
lit_rc=${PIPESTATUS[0]}
python3 - "$out" "$lit_rc" <<'PY'
import re, sys
text, lit_rc = open(sys.argv[1]).read(), int(sys.argv[2])
def n(label):
    m = re.search(r"^\s*%s\s*:\s*(\d+)" % label, text, re.M)
    return int(m.group(1)) if m else 0
passed = n("Passed") + n("Expectedly Failed")
failed = n("Failed") + n("Unexpectedly Passed") + n("Unresolved") + n("Timed Out")
skipped = n("Unsupported") + n("Skipped") + n("Excluded")
if lit_rc and not failed:
    failed = 1
print("TESTS: %d passed, %d failed, %d skipped" % (passed, failed, skipped))
sys.exit(1 if failed or passed == 0 else 0)
PY
rc=$?
rm -f "$out"
exit $rc
