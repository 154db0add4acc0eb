// USDT target for the usdt runtime tests. Build it in two steps (sys/sdt.h decides
// per translation unit whether probes have semaphores):
//   cc -O1 -DUSDT_GUARDED -c usdt-target.c -o guarded.o && cc -O1 usdt-target.c guarded.o
// usdt-target [N]: N times bt_usdt:loop from one site in main and again from a second
// site (bt_second_site), and bt_usdt:solo once; then bt_guarded() N times: bt_usdt:guarded,
// a probe behind a semaphore, fires only while the semaphore is non-zero (while a
// tracer is attached to it). Prints "guarded fired K" to stderr last.
#include <stdio.h>
#include <stdlib.h>

#ifdef USDT_GUARDED
#define _SDT_HAS_SEMAPHORES 1
#include <sys/sdt.h>

unsigned short bt_usdt_guarded_semaphore __attribute__((section(".probes")));

int bt_guarded(int i) {
  if (bt_usdt_guarded_semaphore) {
    STAP_PROBE(bt_usdt, guarded);
    return 1;
  }
  (void)i;
  return 0;
}
#else
#include <sys/sdt.h>

int bt_guarded(int i);

__attribute__((noinline)) void bt_second_site(void) {
  DTRACE_PROBE(bt_usdt, loop);
  __asm__ volatile("" ::: "memory");
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 3;
  int fired = 0;
  DTRACE_PROBE(bt_usdt, solo);
  for (int i = 1; i <= n; ++i) {
    DTRACE_PROBE(bt_usdt, loop);
    bt_second_site();
  }
  for (int i = 1; i <= n; ++i)
    fired += bt_guarded(i);
  fprintf(stderr, "guarded fired %d\n", fired);
  return 0;
}
#endif
