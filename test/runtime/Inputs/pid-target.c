// pid-target N: blocks reading a line from stdin, then calls bt_pid_work(i) for i = 1..N.
// For btrun -p: the process is running this binary before the probes attach.
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) long bt_pid_work(long i) {
  __asm__ volatile("" ::: "memory");
  return i * 10;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 3;
  char line[16];
  if (!fgets(line, sizeof line, stdin))
    return 1;
  long total = 0;
  for (int i = 1; i <= n; ++i)
    total += bt_pid_work(i);
  return total == 0;
}
