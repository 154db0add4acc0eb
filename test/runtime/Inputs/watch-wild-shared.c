// Target for diff-watch-wildcard-shared.bt: both matches of `incr*` (incr_one, incr_two)
// get the same int, in turn one, two, one; main then writes it N more times. Under
// `watchpoint:incr*+arg0:4:w { @hits = count(); }` bpftrace 0.17 shares one watchpoint
// probe among the matches (the last address armed): 1 + 1 + 1 + N writes seen.
//
// Usage: watch-wild-shared N
// Prints nothing.
#include <stdlib.h>

__attribute__((noinline)) void incr_one(volatile int *i) { *i += 1; }
__attribute__((noinline)) void incr_two(volatile int *i) { *i += 2; }

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 0;
  volatile int *shared = calloc(1, sizeof(int));
  incr_one(shared);
  incr_two(shared);
  incr_one(shared);
  for (long k = 0; k < n; ++k)
    *shared = *shared + 1;
  return 0;
}
