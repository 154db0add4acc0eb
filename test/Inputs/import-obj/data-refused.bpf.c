// Writable data of a BPF object that libbpf cannot load as it is
// (lit/btc/import-bpf-object-data.test): data holding an address (a relocation in .data,
// which libbpf does not apply), data in a section libbpf makes no map of, and a static
// map, which libbpf does not open.
long target;
long *where = &target;
long special __attribute__((section(".mine"))) = 1;

static void *(*map_lookup)(void *map, const void *key) = (void *)1; // bpf_map_lookup_elem
static struct {
  int (*type)[1]; // BPF_MAP_TYPE_HASH
  int (*max_entries)[16];
  long *key;
  long *value;
} own __attribute__((section(".maps")));

long touch(void) {
  long key = 0, *v = map_lookup(&own, &key);
  return *where + special + (v ? *v : 0);
}
