#!/usr/bin/env bash
# make-split-btf.sh SOURCE.c BASE.btf OUT.btf: a kernel module's BTF as the kernel ships
# it in /sys/kernel/btf/MODULE: the types SOURCE.c defines, split from BASE.btf (made by
# make-btf.sh), whose type ids and strings it continues.
set -euo pipefail
src=$1 base=$2 out=$3
obj=$(mktemp --suffix=.o)
trap 'rm -f "$obj"' EXIT
clang -g -c "$src" -o "$obj"
pahole --btf_gen_floats --btf_base="$base" -J "$obj"
llvm-objcopy --dump-section .BTF="$out" "$obj"
