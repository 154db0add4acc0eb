// USDT target for the usdt argument tests: sites whose argument specs differ. Built in
// two steps, the guarded part at -O0 so that its arguments are in memory ("-4@-20(%rbp)")
// and behind a semaphore (sys/sdt.h decides per translation unit):
//   cc -O0 -DUSDT_GUARDED -c usdt-args-target.c -o guarded.o && cc -O2 usdt-args-target.c guarded.o
// usdt-args-target [N]: for i in 1..N:
//   bt_args:regs (i, -i, 200, -300, 0x8000000000000000 + i, "helloI"), in registers;
//   bt_args:consts (5, -9, 1000000000000), constants;
//   bt_args:mixed twice: from a site with an int (-4@...) and one with an unsigned long;
//   bt_args:mem (-i * 1000, "memI"), guarded: fires only while a tracer holds the semaphore.
#include <stdio.h>
#include <stdlib.h>

#ifdef USDT_GUARDED
#define _SDT_HAS_SEMAPHORES 1
#include <sys/sdt.h>

unsigned short bt_args_mem_semaphore __attribute__((section(".probes")));

int bt_args_guarded(int i) {
  int scaled = -i * 1000;
  char name[8];
  snprintf(name, sizeof name, "mem%d", i);
  if (bt_args_mem_semaphore) {
    STAP_PROBE2(bt_args, mem, scaled, name);
    return 1;
  }
  return 0;
}
#else
#include <sys/sdt.h>

int bt_args_guarded(int i);

__attribute__((noinline)) void bt_args_regs(int i, long neg, unsigned char byte, short s,
                                            unsigned long big, const char *text) {
  DTRACE_PROBE6(bt_args, regs, i, neg, byte, s, big, text);
  __asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) void bt_args_mixed_int(int v) {
  DTRACE_PROBE1(bt_args, mixed, v);
  __asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) void bt_args_mixed_long(unsigned long v) {
  DTRACE_PROBE1(bt_args, mixed, v);
  __asm__ volatile("" ::: "memory");
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 3;
  int fired = 0;
  for (int i = 1; i <= n; ++i) {
    char text[16]; // on the stack: a page the program can read (a string constant's page
                   // may not be faulted in, and a BPF read cannot fault it in)
    snprintf(text, sizeof text, "hello%d", i);
    bt_args_regs(i, -i, 200, -300, 0x8000000000000000UL + i, text);
    DTRACE_PROBE3(bt_args, consts, 5, -9, 1000000000000L);
    bt_args_mixed_int(-i);
    bt_args_mixed_long(4000000000UL + i);
    fired += bt_args_guarded(i);
  }
  fprintf(stderr, "guarded fired %d\n", fired);
  return 0;
}
#endif
