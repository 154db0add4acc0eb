#!/bin/sh
# usage: cgroup2-script.sh SCRIPT OUT: make the cgroup bt-fnsys/sub under this host's
# cgroup v2 mount and write SCRIPT to OUT with CGROOT replaced by that mount's path.
set -eu
root=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
if [ -z "$root" ]; then
  echo "cgroup2-script.sh: no cgroup v2 hierarchy is mounted" >&2
  exit 1
fi
mkdir -p "$root/bt-fnsys/sub"
sed "s|CGROOT|$root|g" "$1" > "$2"
