#!/bin/sh
# bpf-leftovers.sh REGEX: succeeds once no BPF map whose name matches REGEX is left
# in the kernel; fails, printing what is left, if some still are after 5 s.
# The kernel frees a map only after its last program and link are gone, and then
# from a workqueue after an RCU grace period, so a map of a process that just
# exited may linger for a moment: poll instead of looking once.
regex=$1
for i in $(seq 50); do
  left=$(bpftool map list 2>/dev/null | grep -E " name ($regex) ")
  [ -z "$left" ] && exit 0
  sleep 0.1
done
echo "left in the kernel after 5 s:"
echo "$left"
exit 1
