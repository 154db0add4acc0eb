// Writable global data and a BTF-defined map of an imported C source (import-c-data
// tests), each shared by every probe that calls these functions, as in C: a zeroed
// counter (.bss to clang), an initialised one (.data), a function's static, and a hash
// map named as the script's map @counts is, which the C reads and writes through the
// map helpers.
static void *(*map_lookup)(void *map, const void *key) = (void *)1; // bpf_map_lookup_elem
static long (*map_update)(void *map, const void *key, const void *value,
                          unsigned long flags) = (void *)2; // bpf_map_update_elem

struct {
  int (*type)[1];          // BPF_MAP_TYPE_HASH
  int (*max_entries)[16];
  long *key;
  long *value;
} counts __attribute__((section(".maps")));

long calls;
long base = 100;

long bump(void) { return __sync_add_and_fetch(&calls, 1); }

long next_ticket(void) {
  static long ticket = 7;
  return ticket++;
}

long from_base(long n) {
  base += n;
  return base;
}

void remember(long key, long value) { map_update(&counts, &key, &value, 0); }

long recall(long key, long otherwise) {
  long *v = map_lookup(&counts, &key);
  return v ? *v : otherwise;
}
