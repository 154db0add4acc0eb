#!/bin/sh
# with-getppid-load.sh CMD...: runs CMD while another process calls getppid() through
# libc (so probes.bpf.c's tracepoint and uprobe both fire) every millisecond, so a
# run stopped by a time limit or a signal has counted something to print. CMD starts
# once the caller is running.
ready=$(mktemp -u)
python3 -c 'import os, sys, time
os.getppid()
open(sys.argv[1], "w").close()
while True:
    os.getppid()
    time.sleep(0.001)' "$ready" &
load=$!
for i in $(seq 100); do [ -e "$ready" ] && break; sleep 0.05; done
"$@"
rc=$?
kill "$load"
wait "$load" 2>/dev/null
rm -f "$ready"
exit $rc
