#!/bin/sh
# long-path-cat.sh DIR: in DIR, makes the file a/b/c whose names are 200 times their
# letter (a relative path of 602 bytes), then runs cat on it by that path, in this
# process (exec: the pid -c reports); mkdir and touch are processes of their own.
set -e
cd "$1"
a=$(printf '%0200d' 0 | tr 0 a)
b=$(printf '%0200d' 0 | tr 0 b)
c=$(printf '%0200d' 0 | tr 0 c)
mkdir -p "$a/$b"
touch "$a/$b/$c"
exec cat "$a/$b/$c"
