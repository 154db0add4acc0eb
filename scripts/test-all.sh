#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds, and runs every test (codegen, lit,
# runtime), then the same suite under ASan+UBSan (scripts/sanitize.sh) and each
# fuzz target for FUZZ_SECONDS (scripts/fuzz.sh, default 60 s per target here).
# The last line is "TESTS: N passed, M failed, K skipped" over all of it: the main
# suite's tests, the sanitized suite's tests plus its "no sanitizer report" check,
# and one test per fuzz target (failed: it crashed or no run happened).
#   BT_CI_SANITIZE=0, BT_CI_FUZZ=0   leave that stage out
# Each stage's own summary line is printed with its name instead of "TESTS:", and
# "TIME stage: N s" after it.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export FUZZ_SECONDS=${FUZZ_SECONDS:-60}
passed=0 failed=0 skipped=0

timed() { # timed NAME CMD...: runs CMD, its output relabelled, and times it
  local name=$1 start rc log
  shift
  start=$(date +%s)
  log=$(mktemp)
  "$@" 2>&1 | sed -u "s/^TESTS: /$name: /" | tee "$log"
  rc=${PIPESTATUS[0]}
  echo "TIME $name: $(( $(date +%s) - start )) s"
  # Fold the stage's counts into the total.
  read -r p f s < <(python3 - "$log" "$name" "$rc" <<'PY'
import re, sys
text, name, rc = open(sys.argv[1], errors="replace").read(), sys.argv[2], int(sys.argv[3])
m = re.findall(r"^%s: (\d+) passed, (\d+) failed, (\d+) skipped" % re.escape(name), text, re.M)
if m:
    print(*m[-1])
else:
    fuzz = re.findall(r"^FUZZ \S+: .*crashes (\d+)$", text, re.M)
    ok = sum(1 for c in fuzz if c == "0")
    bad = len(fuzz) - ok
    # A stage that printed no result at all failed as a whole.
    print(ok, bad if fuzz else 1, 0) if fuzz or rc else print(0, 0, 0)
PY
)
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
  rm -f "$log"
  return "$rc"
}

"$root/scripts/setup-debian.sh" || exit 1
timed build "$root/scripts/build.sh" || { echo "TESTS: 0 passed, 1 failed, 0 skipped"; exit 1; }
timed tests "$root/scripts/run-tests.sh" "$@"
if [ "${BT_CI_SANITIZE:-1}" != 0 ]; then
  timed sanitize "$root/scripts/sanitize.sh" "$@"
fi
if [ "${BT_CI_FUZZ:-1}" != 0 ]; then
  timed fuzz "$root/scripts/fuzz.sh"
fi
echo "TESTS: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
