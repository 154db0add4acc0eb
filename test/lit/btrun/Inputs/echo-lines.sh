#!/bin/sh
# Writes "childN" for N in 0..$1-1, one write(2) per line (echo is a shell builtin).
i=0
while [ "$i" -lt "$1" ]; do
  echo "child$i"
  i=$((i + 1))
done
