// What an imported BPF object may not bring (lit/btc/import-bpf-object.test): a map, writable
// global data, a program, an extern nothing defines; each refused at the import.
struct {
  int (*type)[1];   // BPF_MAP_TYPE_HASH
  int (*max_entries)[16];
  int *key;
  long *value;
} counts __attribute__((section(".maps"), used));

long total;
int seen = 1;

extern int elsewhere(int x);

int fine(int x) { return elsewhere(x) + 1; }

__attribute__((section("kprobe/vfs_read"), used)) int on_read(void *ctx) { return 0; }
