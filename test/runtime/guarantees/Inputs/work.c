// A uprobe target: work() is called three times with 0, 1, 2. It prints nothing, so
// its output cannot interleave with btrun's events.
__attribute__((noinline)) int work(int a) {
  __asm__ volatile("" ::: "memory");
  return a * 7 + 1;
}
int main(void) {
  int s = 0;
  for (int i = 0; i < 3; i++)
    s += work(i);
  return s == 27 ? 0 : 1;
}
