#!/bin/sh
# run.sh CMD ARGS...: runs CMD with its stderr and stdout both on stdout (stderr
# first is not guaranteed), then prints "exit=N". A bad input must end in exit=1
# (or 2 for a bad command line) after exactly the lines a test expects: a crash
# prints exit=134 or 139, a sanitizer report adds lines that --implicit-check-not
# finds.
"$@" 2>&1
echo "exit=$?"
