// uaddr-target [N]: calls bt_read_globals(i) for i = 1..N, a uprobe target whose globals
// (4, 2 and 32 bytes wide) a script reads through uaddr(); bt_counter grows by one
// after each call.
#include <stdlib.h>

volatile int bt_counter = 7;
volatile short bt_half = 3;
char bt_text[32] = "btc-uaddr";

__attribute__((noinline)) long bt_read_globals(long i) {
  __asm__ volatile("" ::: "memory");
  return i + bt_counter;
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 1;
  for (long i = 1; i <= n; ++i) {
    bt_read_globals(i);
    bt_counter++;
  }
  return 0;
}
