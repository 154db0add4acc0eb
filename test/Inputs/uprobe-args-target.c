// Functions whose parameters uprobe `args` read from this file's DWARF
// (test/runtime/uprobe-args*.bt, test/lit/btc/uprobe-args.test, test/codegen/uprobe-args-dwarf.bt).
// -DVARIANT builds another file (another build id) from the same source.
struct Foo {
  int a;
  long b;
};
enum Color { RED, GREEN = 5 };
typedef unsigned short u16_t;

__attribute__((noinline)) int scalars(int n, char c, const char *s, unsigned long long big,
                                      short neg, u16_t u) {
  return n + c + s[0] + (int)big + neg + u;
}

__attribute__((noinline)) int kinds(enum Color col, _Bool flag) { return col + flag; }

// `after` is in the first integer register: the floats are in vector registers.
__attribute__((noinline)) long floats(double d, int after, float f, long last) {
  return (long)d + after + (long)f + last;
}

// a7 and a8 are on the stack (x86-64 passes six integers in registers).
__attribute__((noinline)) long eight(long a1, long a2, long a3, long a4, long a5, long a6,
                                     long a7, long a8) {
  return a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8;
}

__attribute__((noinline)) int pointers(struct Foo *foo, int *np, void *opaque) {
  return foo->a + *np + (opaque != 0);
}

__attribute__((noinline)) long byvalue(struct Foo foo, int after) { return foo.a + after; }

int main(int argc, char **argv) {
  (void)argv;
  struct Foo foo = {7, 8};
  int n = 99;
  char s[] = "hello"; // on the stack, which is paged in (a literal's page may not be yet)
  long sum = scalars(42, 'x', s, 1ULL << 40, -3, 65535);
  sum += kinds(GREEN, 1);
  sum += floats(1.5, 11, 2.5f, -12);
  sum += eight(1, 2, 3, 4, 5, 6, 7, -8);
  sum += pointers(&foo, &n, &foo);
  sum += byvalue(foo, argc);
#ifdef VARIANT
  sum += 1;
#endif
  return sum == 0;
}
