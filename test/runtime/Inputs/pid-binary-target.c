// pid-binary-target N: blocks reading a line from stdin, then for i = 1..N calls
// bt_pidbin_work(i) (a function of the executable), getppid() (one of libc, which the
// process maps) and fires the usdt probe btpid:tick(i). For probes that name no binary
// (`uprobe::bt_pidbin_work`, `uprobe::getppid`, `usdt::btpid:tick`) under btrun -p.
// Built with -DBT_TOCK it also fires btpid:tock(2 i), a second probe for patterns.
#include <stdio.h>
#include <stdlib.h>
#include <sys/sdt.h>
#include <unistd.h>

__attribute__((noinline)) long bt_pidbin_work(long i) {
  __asm__ volatile("" ::: "memory");
  return i * 10;
}

#ifdef BT_LIB_TICK
void bt_lib_tick(long i); // pid-usdt-lib.c: btpid:tick(100 i) from a library
#endif

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 3;
  char line[16];
  if (!fgets(line, sizeof line, stdin))
    return 1;
  long total = 0;
  for (long i = 1; i <= n; ++i) {
    total += bt_pidbin_work(i);
    total += getppid() > 0;
    DTRACE_PROBE1(btpid, tick, i);
#ifdef BT_TOCK
    DTRACE_PROBE1(btpid, tock, 2 * i);
#endif
#ifdef BT_LIB_TICK
    bt_lib_tick(i);
#endif
  }
  return total == 0;
}
