#!/bin/sh
# usage: check-host-values.sh OUTPUT (of builtin-host-values.bt, between two
# "jiffies: N" lines from /proc/timer_list). Prints "ok" or what is wrong.
out=$1
set -- $(grep '^jiffies:' "$out" | sed 's/^jiffies: *//')
before=$1 after=$2
j=$(sed -n 's/^begin jiffies=\([0-9]*\) .*/\1/p' "$out")
node=$(sed -n 's/^begin .* numaid=\([0-9]*\) .*/\1/p' "$out")
# /sys/devices/system/cpu/possible: ranges such as 0-3,8-11
possible=$(tr ',' '\n' < /sys/devices/system/cpu/possible |
           awk -F- '{ n += ($2 == "" ? 1 : $2 - $1 + 1) } END { print n }')
bad=0
if [ -z "$j" ] || [ "$j" -lt "$before" ] || [ "$j" -gt "$after" ]; then
  echo "jiffies '$j' not within [$before, $after]"; bad=1
fi
if ! grep -q '^tick jiffies-grew=1 ' "$out"; then
  echo "jiffies did not grow: $(grep '^tick' "$out")"; bad=1
fi
if [ -z "$node" ] || [ ! -d "/sys/devices/system/node/node$node" ]; then
  echo "numaid '$node' names no node in /sys/devices/system/node"; bad=1
fi
for where in begin tick; do
  n=$(sed -n "s/^$where .*ncpus=\([0-9]*\)\$/\1/p" "$out")
  if [ "$n" != "$possible" ]; then
    echo "$where: ncpus '$n', but $possible possible CPUs"; bad=1
  fi
done
[ "$bad" -eq 0 ] && echo ok
