#!/bin/sh
# usage: in-cgroup.sh prepare SCRIPT OUT: make the cgroups bt-incg/in and bt-incg/out
#          under this host's cgroup v2 mount and write SCRIPT to OUT with CGROOT
#          replaced by that mount's path;
#        in-cgroup.sh run CMD...: run CMD inside bt-incg/in.
set -eu
root=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
if [ -z "$root" ]; then
  echo "in-cgroup.sh: no cgroup v2 hierarchy is mounted" >&2
  exit 1
fi
mode=$1
shift
case $mode in
prepare)
  mkdir -p "$root/bt-incg/in" "$root/bt-incg/out"
  sed "s|CGROOT|$root|g" "$1" > "$2"
  ;;
run)
  echo $$ > "$root/bt-incg/in/cgroup.procs"
  exec "$@"
  ;;
*)
  echo "in-cgroup.sh: unknown mode $mode" >&2
  exit 2
  ;;
esac
