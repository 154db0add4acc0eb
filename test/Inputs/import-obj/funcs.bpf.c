// Global functions of a BPF object that scripts import (`import "funcs.bpf.o";`): the
// tests build the object with clang -target bpf -g (lit/btc/import-bpf-object.test,
// codegen/import-bpf-object.bt, runtime/import-bpf-object.bt).
typedef unsigned int u32;

struct pair {
  long a, b;
};

enum mode { MODE_ADD = 1, MODE_MUL = 2 };

// Read-only data: the object's .rodata, merged with btc's own by the linker.
static const int primes[] = {2, 3, 5, 7, 11, 13};

int scale_add(int base, int by) { return base * 3 + by; }

unsigned char low_byte(u32 v) { return v; }

_Bool is_even(long v) { return (v & 1) == 0; }

int nth_prime(u32 i) { return i < 6 ? primes[i] : -1; }

// A pointer the script passes (`&$x`): the verifier checks it points to 8 readable bytes.
long read_twice(const long *p) { return p ? *p * 2 : -1; }

long pair_sum(struct pair *p) { return p ? p->a + p->b : -1; }

int widen(signed char c, unsigned short u) { return c + u; }

long apply(enum mode m, long a, long b) { return m == MODE_MUL ? a * b : a + b; }

// The object's own: a script cannot call it.
static __attribute__((noinline)) int twice(int x) { return x * 2; }

int twice_plus_one(int x) { return twice(x) + 1; }

char LICENSE[] __attribute__((section("license"), used)) = "GPL";
