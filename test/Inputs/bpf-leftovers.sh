#!/bin/sh
# bpf-leftovers.sh REGEX: succeeds once no BPF map whose name matches REGEX is left
# in the kernel; fails, printing what is left, if some still are after 5 s. It fails
# too when bpftool cannot list the maps: an empty listing must not pass for "nothing
# left" (the tests that call it require the bpftool feature).
# The kernel frees a map only after its last program and link are gone, and then
# from a workqueue after an RCU grace period, so a map of a process that just
# exited may linger for a moment: poll instead of looking once.
regex=$1
for i in $(seq 50); do
  if ! maps=$(bpftool map list); then
    echo "bpf-leftovers.sh: bpftool map list failed"
    exit 1
  fi
  left=$(printf '%s\n' "$maps" | grep -E " name ($regex) ")
  [ -z "$left" ] && exit 0
  sleep 0.1
done
echo "left in the kernel after 5 s:"
echo "$left"
exit 1
