#!/bin/sh
# Prints vfs_read's kernel address from /proc/kallsyms as a signed 64-bit decimal: the
# form bpftrace 0.17 accepts for a numeric positional parameter ($1 above INT64_MAX, as
# kernel addresses are, is an error there).
python3 -c 'import sys; a = int(sys.argv[1], 16); print(a - (1 << 64) if a >= 1 << 63 else a)' \
  "$(grep ' [Tt] vfs_read$' /proc/kallsyms | cut -d' ' -f1)"
