#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds, and runs every test (codegen, lit,
# runtime), then the same suite under ASan+UBSan (scripts/sanitize.sh) and each
# fuzz target for FUZZ_SECONDS (scripts/fuzz.sh, default 60 s per target here).
#   BT_CI_SANITIZE=0, BT_CI_FUZZ=0   leave that stage out
# Each stage prints its own summary with its name instead of "TESTS:" (the sanitized
# suite runs the same lit tests again), "TIME stage: N s" after it, and at the end
# "STAGE name: ok|failed". The last line counts each check once:
#   TESTS: N passed, M failed, K skipped
# over the distinct lit tests (a test failed if it failed in any build it ran in,
# passed if it passed in one and failed in none), the sanitized suite's "no sanitizer
# report" check and one test per fuzz target; the line before it says how many of each.
# A stage that failed without a failing check counts as one failed check.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export FUZZ_SECONDS=${FUZZ_SECONDS:-60}
main_build=${BUILD_DIR:-$root/build}
asan_build=${SANITIZE_BUILD_DIR:-$root/build-asan}
logs=$(mktemp -d)
stages=()

timed() { # timed NAME CMD...: runs CMD, its output relabelled, times it, keeps log and status
  local name=$1 start rc
  shift
  start=$(date +%s)
  "$@" 2>&1 | sed -u "s/^TESTS: /$name: /" | tee "$logs/$name.log"
  rc=${PIPESTATUS[0]}
  echo "TIME $name: $(( $(date +%s) - start )) s"
  echo "$rc" > "$logs/$name.rc"
  stages+=("$name")
  return "$rc"
}

"$root/scripts/setup-debian.sh" || exit 1
rm -f "$main_build/lit-results.json" "$asan_build/lit-results.json"
if ! timed build "$root/scripts/build.sh"; then
  echo "STAGE build: failed"
  echo "TESTS: 0 passed, 1 failed, 0 skipped"
  exit 1
fi
timed tests "$root/scripts/run-tests.sh" "$@"
if [ "${BT_CI_SANITIZE:-1}" != 0 ]; then
  timed sanitize "$root/scripts/sanitize.sh" "$@"
fi
if [ "${BT_CI_FUZZ:-1}" != 0 ]; then
  timed fuzz "$root/scripts/fuzz.sh"
fi

python3 - "$logs" "$main_build/lit-results.json" "$asan_build/lit-results.json" "${stages[@]}" <<'PY'
import json, os, re, sys
logs, results = sys.argv[1], {"tests": sys.argv[2], "sanitize": sys.argv[3]}
stages = sys.argv[4:]
FAIL = {"FAIL", "XPASS", "UNRESOLVED", "TIMEOUT"}
PASS = {"PASS", "XFAIL"}
lit = {}          # test name -> set of result codes over the builds
other = {}        # check name -> passed?
stage_ok = {}
for stage in stages:
    rc = int(open(os.path.join(logs, stage + ".rc")).read())
    log = open(os.path.join(logs, stage + ".log"), errors="replace").read()
    stage_ok[stage] = rc == 0
    failed_checks = 0
    if stage in results:
        if os.path.exists(results[stage]):
            for t in json.load(open(results[stage]))["tests"]:
                lit.setdefault(t["name"], set()).add(t["code"])
                failed_checks += t["code"] in FAIL
    if stage == "sanitize":
        m = re.search(r"^sanitizer: (no reports|\d+ report)", log, re.M)
        if m:
            other["no sanitizer report"] = m.group(1) == "no reports"
            failed_checks += m.group(1) != "no reports"
    if stage == "fuzz":
        for name, crashes in re.findall(r"^FUZZ (\S+): .*crashes (\d+)$", log, re.M):
            other["fuzz " + name] = crashes == "0"
            failed_checks += crashes != "0"
    if rc and not failed_checks:
        other["stage " + stage] = False  # failed as a whole (no build, no results)
    print("STAGE %s: %s" % (stage, "ok" if rc == 0 else "failed (exit %d)" % rc))
passed = failed = skipped = 0
for codes in lit.values():
    if codes & FAIL:
        failed += 1
    elif codes & PASS:
        passed += 1
    else:
        skipped += 1
passed += sum(1 for ok in other.values() if ok)
failed += sum(1 for ok in other.values() if not ok)
fuzz = sum(1 for k in other if k.startswith("fuzz "))
parts = ["%d lit tests (each once over %s)" % (
    len(lit), " and ".join(s for s in ("tests", "sanitize") if s in stages))]
if "no sanitizer report" in other:
    parts.append("the sanitizer-report check")
fuzz = sum(1 for k in other if k.startswith("fuzz "))
if fuzz:
    parts.append("%d fuzz targets" % fuzz)
parts += [k + " (failed with no result)" for k in other if k.startswith("stage ")]
print("distinct checks: " + ", ".join(parts))
print("TESTS: %d passed, %d failed, %d skipped" % (passed, failed, skipped))
sys.exit(1 if failed or not passed or not all(stage_ok.values()) else 0)
PY
rc=$?
rm -rf "$logs"
exit $rc
