// What an imported C source may not define yet (import-c-errors.test): a map, global
// data and a program with SEC().
struct {
  int (*type)[2];
  int (*max_entries)[4];
} counts __attribute__((section(".maps")));

long total = 5;

__attribute__((section("tracepoint/syscalls/sys_enter_openat"))) int on_open(void *ctx) {
  return 0;
}

int fine(int v) { return v; }
