// A uprobe target: work() is called three times with 0, 1, 2.
#include <stdio.h>
__attribute__((noinline)) int work(int a) {
  __asm__ volatile("" ::: "memory");
  return a * 7 + 1;
}
int main(void) {
  int s = 0;
  for (int i = 0; i < 3; i++)
    s += work(i);
  printf("sum %d\n", s);
  return 0;
}
