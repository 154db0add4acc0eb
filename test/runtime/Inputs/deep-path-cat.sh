#!/bin/sh
# deep-path-cat.sh DIR N: in DIR, makes N nested names, the k-th 200 times the k-th
# letter (a/b/c/...: a relative path of 201 * N - 1 bytes, over 1024 from N = 6), then
# runs cat on the last by that path, in this process (exec: the pid -c reports).
set -e
cd "$1"
path=
for letter in $(echo a b c d e f g h i j k l m n o p q r s t | cut -d' ' -f1-"$2"); do
  path="$path${path:+/}$(printf '%0200d' 0 | tr 0 "$letter")"
done
mkdir -p "$(dirname "$path")"
touch "$path"
exec cat "$path"
