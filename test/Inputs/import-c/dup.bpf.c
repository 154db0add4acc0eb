// Defines a function arith.bpf.c defines too (import-c-source.test).
int scale_add(int base, unsigned long factor) { return base; }
