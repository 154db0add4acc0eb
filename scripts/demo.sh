#!/usr/bin/env bash
# The main job: set up a fresh Debian 12 machine, build btc and btrun, compile a
# bundled example with btc and run the object with btrun (as root).
#   scripts/demo.sh [SCRIPT.bt] [SECONDS]
# With no argument it counts system calls by process for 5 seconds.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
script=${1:-$root/examples/syscount.bt}
seconds=${2:-5}

"$root/scripts/setup-debian.sh"
"$root/scripts/build.sh"

obj="$root/build/$(basename "${script%.bt}").bto"
"$root/build/bin/btc" "$script" -o "$obj"
echo "btc: compiled $script -> $obj ($(stat -c %s "$obj") bytes); running for ${seconds}s" >&2
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO "$root/build/bin/btrun" --timeout "$seconds" "$obj"
