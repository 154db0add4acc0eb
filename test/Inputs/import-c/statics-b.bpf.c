// A static counter and map, named as statics-a.bpf.c names its own (import-c-data
// tests): each source keeps its own, as static data in C.
static void *(*map_lookup)(void *map, const void *key) = (void *)1; // bpf_map_lookup_elem

static long hits;

static struct {
  int (*type)[2];         // BPF_MAP_TYPE_ARRAY
  int (*max_entries)[1];
  int *key;
  long *value;
} slots __attribute__((section(".maps")));

// The new count of calls, which the map's one slot counts too.
long b_hit(void) {
  int k = 0;
  long *v = map_lookup(&slots, &k);
  if (v)
    *v += 1;
  return ++hits;
}

long b_slot(void) {
  int k = 0;
  long *v = map_lookup(&slots, &k);
  return v ? *v : -1;
}
