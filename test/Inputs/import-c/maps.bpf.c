// Functions the import-c tests hand a script's map (`&@m`) and a variable's address
// (`&$x`): bpf_map_lookup_elem on the script's own map, a read through a stack pointer.
static void *(*map_lookup)(void *map, const void *key) = (void *)1; // BPF_FUNC_map_lookup_elem

long lookup_or(void *map, long key, long otherwise) {
  long *v = map_lookup(map, &key);
  return v ? *v : otherwise;
}

long add_through(const long *p, long n) { return *p + n; }
