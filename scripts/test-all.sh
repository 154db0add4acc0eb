#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds, and runs every test (codegen, lit,
# runtime). The last line is "TESTS: N passed, M failed, K skipped".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup-debian.sh"
"$root/scripts/build.sh"
exec "$root/scripts/run-tests.sh" "$@"
