#!/usr/bin/env bash
# Configures and builds btc and btrun into build/ (build/bin/btc, build/bin/btrun).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
# Sema reads tracepoint formats from tracefs on the build host.
if [ "$(id -u)" -eq 0 ] && ! grep -q ' /sys/kernel/tracing tracefs' /proc/mounts; then
  mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || true
fi
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-Release} >/dev/null
fi
ninja -C "$build"
