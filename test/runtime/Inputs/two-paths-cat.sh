#!/bin/sh
# two-paths-cat.sh DIR N LEN: in DIR, makes N nested names, the k-th LEN times the k-th
# letter (a/b/c/...: a relative path of (LEN + 1) * N - 1 bytes), and beside the last
# name one that ends in the next letter instead (the two paths differ in their last
# byte only), then runs cat on both by those paths, in this process (exec: the pid -c
# reports), first the path of letters only.
set -e
cd "$1"
dir=
last=
for letter in $(echo a b c d e f g h i j k l m n o p q r s t | cut -d' ' -f1-"$2"); do
  [ -n "$last" ] && dir="$dir${dir:+/}$last"
  last=$(printf "%0${3}d" 0 | tr 0 "$letter")
  next=$(echo "$letter" | tr a-s b-t)
done
other=$(echo "$last" | cut -c2-)$next
mkdir -p "${dir:-.}"
touch "${dir:+$dir/}$last" "${dir:+$dir/}$other"
exec cat "${dir:+$dir/}$last" "${dir:+$dir/}$other"
