// Writable global data and a BTF-defined map of a BPF object that scripts import
// (import-bpf-object-data tests): a zeroed counter (.bss), an initialised one (.data), a
// function's static, and a hash map its functions fill and read through the map
// helpers, each shared by every probe that calls them; the licence in clang's usual
// spelling, which a script that names none takes (-DLICENCE='"MIT"' gives another).
static void *(*map_lookup)(void *map, const void *key) = (void *)1; // bpf_map_lookup_elem
static long (*map_update)(void *map, const void *key, const void *value,
                          unsigned long flags) = (void *)2; // bpf_map_update_elem

struct {
  int (*type)[1]; // BPF_MAP_TYPE_HASH
  int (*max_entries)[16];
  long *key;
  long *value;
} tallies __attribute__((section(".maps")));

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

// Not void: the verifier of the 6.18 kernel these tests ran on refused a call of this
// global function returning void ("doesn't return scalar").
long remember(long key, long value) { return map_update(&tallies, &key, &value, 0); }

long recall(long key, long otherwise) {
  long *v = map_lookup(&tallies, &key);
  return v ? *v : otherwise;
}

#ifndef LICENCE
#define LICENCE "Dual BSD/GPL"
#endif
char LICENSE[] __attribute__((section("license"), used)) = LICENCE;
