// Functions the import-c tests call from scripts (`import "arith.bpf.c";`): integer
// arithmetic of C's widths and signedness, a bool, a void, and a static helper no
// script can name. Its licence (libbpf's SEC("license"), kept by `used`) is dropped:
// the script's object has one.
char LICENSE[] __attribute__((section("license"), used)) = "GPL";

typedef unsigned int u32;

static int bump(int v) { return v + 1; }

int scale_add(int base, unsigned long factor) { return base * 3 + (int)factor; }

_Bool is_even(long v) { return (v & 1) == 0; }

unsigned char low_byte(u32 v) { return (unsigned char)v; }

long negate_bumped(long v) { return bump((int)-v); }

void discard(int v) { (void)v; }

// clang warns of the constant that does not fit; btc passes the warning on at the import.
unsigned char truncated(void) { return 300; }

struct pair { int a, b; };
int first_of(struct pair *p) { return p->a; }
