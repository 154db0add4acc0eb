// Target for diff-watch-wildcard-probe.bt: incr_one() and incr_two() match `incr*`.
// incr_one gets int x, incr_two the same x, then incr_one another int y; main then
// writes x and y N more times each. Where the probe reads `probe`, bpftrace 0.17 arms
// each match apart: incr_one's watchpoint at x and then also at y (a new address opens
// one more, the first stays), incr_two's at x beside it. Counted by `probe`:
// incr_one 1 + 1 + N (x) + 1 + N (y), incr_two 1 + N (x).
//
// Usage: watch-wild-probe N [BEFORE_MS]
//   waits BEFORE_MS first (default 0: a tracer given -p attaches meanwhile).
// Prints nothing.
#include <stdlib.h>
#include <time.h>

__attribute__((noinline)) void incr_one(volatile int *i) { *i += 1; }
__attribute__((noinline)) void incr_two(volatile int *i) { *i += 2; }

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 0;
  long before = argc > 2 ? atol(argv[2]) : 0;
  struct timespec wait = {before / 1000, (before % 1000) * 1000000};
  nanosleep(&wait, 0);
  volatile int *x = calloc(1, sizeof(int)), *y = calloc(1, sizeof(int));
  incr_one(x);
  incr_two(x);
  incr_one(y);
  for (long k = 0; k < n; ++k) {
    *x = *x + 1;
    *y = *y + 1;
  }
  return 0;
}
