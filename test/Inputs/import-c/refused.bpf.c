// What an imported C source may not define yet (import-c-source.test): a program with
// SEC(), writable data holding an address (a relocation in .data, which libbpf does not
// apply) and writable data in a section of its own.
long total = 5;
long *where = &total;
long odd __attribute__((section(".custom"))) = 1;

__attribute__((section("tracepoint/syscalls/sys_enter_openat"))) int on_open(void *ctx) {
  return 0;
}

int fine(int v) { return v; }
