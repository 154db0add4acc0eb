// Target for the watchpoint-on-a-function's-argument tests (probe-watch-func*.test).
//
// Usage: watch-func-target once N DELAY_MS [BEFORE_MS]
//          waits BEFORE_MS (default 0: a tracer given -p attaches meanwhile), passes a
//          fresh int to increment() (one write there), waits DELAY_MS, then writes it N
//          more times: a synchronous write watchpoint on increment's arg0 sees 1 + N
//          writes, one that unwatch()es on its first hit sees 1.
//        watch-func-target many N
//          passes N fresh ints to increment(), one write each: past the CPU's debug
//          registers (4 on x86-64) the watchpoints find none free.
// Prints nothing.
#include <stdlib.h>
#include <string.h>
#include <time.h>

__attribute__((noinline)) void increment(volatile int *i) { (*i)++; }

static void sleepMs(long ms) {
  struct timespec delay = {ms / 1000, (ms % 1000) * 1000000};
  nanosleep(&delay, 0);
}

int main(int argc, char **argv) {
  if (argc < 3)
    return 1;
  long n = atol(argv[2]);
  if (strcmp(argv[1], "many") == 0) {
    for (long k = 0; k < n; ++k)
      increment(malloc(sizeof(int)));
    return 0;
  }
  sleepMs(argc > 4 ? atol(argv[4]) : 0);
  volatile int *i = calloc(1, sizeof(int));
  increment(i);
  sleepMs(argc > 3 ? atol(argv[3]) : 0);
  for (long k = 0; k < n; ++k)
    (*i)++;
  return *i == n + 1 ? 0 : 2;
}
