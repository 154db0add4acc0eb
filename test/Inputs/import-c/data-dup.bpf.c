// Defines the non-static data and map data.bpf.c defines too (import-c-data.test).
struct {
  int (*type)[2];
  int (*max_entries)[1];
  int *key;
  long *value;
} counts __attribute__((section(".maps")));

long calls;

long calls_too(void) { return calls; }
