// What an imported BPF object may not bring (lit/btc/import-bpf-object.test): a program,
// an extern nothing defines; each refused at the import (data and maps are taken:
// import-bpf-object-data.test).
extern int elsewhere(int x);

int fine(int x) { return elsewhere(x) + 1; }

__attribute__((section("kprobe/vfs_read"), used)) int on_read(void *ctx) { return 0; }
