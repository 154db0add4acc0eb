#!/bin/sh
# glob-paths-cat.sh DIR: in DIR, makes a path of 2 names (301 bytes) and one of 10 names
# (2009 bytes: the k-th name 200 times the k-th letter, a to j, the last ending in
# ".so.1"), then runs cat, in this process (exec: the pid -c reports), on those and on
# short paths that exist or not: each is an openat whose path the probe matches.
set -e
cd "$1"
deep=
for letter in a b c d e f g h i j; do
  deep="$deep${deep:+/}$(printf '%0200d' 0 | tr 0 "$letter")"
done
deep="$deep.so.1"
wide="$(printf '%0150d' 0 | tr 0 k)/$(printf '%0150d' 0 | tr 0 l)"
mkdir -p "$(dirname "$deep")" "$(dirname "$wide")"
touch "$deep" "$wide"
exec cat /etc/hostname /proc/self/stat /proc/1/stat /proc/stat /etc /x/k /x/m /lib.so \
  "$wide" "$deep" "./$wide" "$1/$wide" 2>/dev/null >/dev/null
