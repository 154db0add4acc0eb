// A user stack for the ustack/usym runtime tests: main -> bt_outer -> bt_inner, built
// with frame pointers (the kernel walks user stacks by them), non-PIE so addresses are
// the same every run. bt_inner's argument is bt_outer's address (for usym(arg0)).
// After the calls it sleeps, so the process is alive while the tracer (stopped by the
// script's exit()) names its addresses.
//   gcc -O1 -g -fno-omit-frame-pointer -no-pie -o %t.d/rt_name ustack-target.c
#include <unistd.h>

__attribute__((noinline)) long bt_outer(int depth);

__attribute__((noinline)) long bt_inner(long (*caller)(int)) {
  __asm__ volatile("" ::: "memory");
  return (long)caller & 1;
}

__attribute__((noinline)) long bt_outer(int depth) {
  long r = bt_inner(bt_outer);
  __asm__ volatile("" ::: "memory");
  return r + depth;
}

int main(int argc, char **argv) {
  long r = bt_outer(argc);
  sleep(argc > 1 ? 0 : 3);
  return r == 12345;
}
