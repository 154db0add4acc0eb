#!/bin/sh
# with-background.sh PROGRAM -- COMMAND...: starts PROGRAM in the background,
# waits until it runs, runs COMMAND, stops PROGRAM; exits with COMMAND's status.
prog=$1; shift; [ "$1" = "--" ] && shift
"$prog" & bg=$!
sleep 0.2
"$@"; rc=$?
kill "$bg" 2>/dev/null; wait "$bg" 2>/dev/null
exit $rc
