// Target for the watchpoint-on-a-pattern tests (diff-watch-wildcard.bt,
// probe-watch-wildcard.test): incr_one() and incr_two() match `incr*`, other() does not.
// Each gets a fresh int and writes it once; main then writes each int N more times.
// A synchronous write watchpoint on `incr*`'s arg0 sees 2 * (1 + N) writes.
//
// Usage: watch-wild-target N
// Prints nothing.
#include <stdlib.h>

__attribute__((noinline)) void incr_one(volatile int *i) { *i += 1; }
__attribute__((noinline)) void incr_two(volatile int *i) { *i += 2; }
__attribute__((noinline)) void other(volatile int *i) { *i += 3; }

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 0;
  volatile int *one = calloc(1, sizeof(int)), *two = calloc(1, sizeof(int)),
               *three = calloc(1, sizeof(int));
  incr_one(one);
  incr_two(two);
  other(three);
  for (long k = 0; k < n; ++k) {
    *one = *one + 1;
    *two = *two + 1;
    *three = *three + 1;
  }
  return 0;
}
