#!/usr/bin/env bash
# make-btf.sh SOURCE.c OUT.btf: a bare BTF file (as BTFHub ships them) of the types
# SOURCE.c defines: compiled with debug info, encoded by pahole, the .BTF section cut out.
set -euo pipefail
src=$1 out=$2
obj=$(mktemp --suffix=.o)
trap 'rm -f "$obj"' EXIT
clang -g -c "$src" -o "$obj"
# Floating-point types as FLOAT, as the kernel's build encodes them (else INTs).
pahole --btf_gen_floats -J "$obj"
llvm-objcopy --dump-section .BTF="$out" "$obj"
