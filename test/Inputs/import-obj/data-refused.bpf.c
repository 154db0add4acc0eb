// Writable data of a BPF object that libbpf cannot load as it is
// (lit/btc/import-bpf-object-data.test): data holding an address (a relocation in .data,
// which libbpf does not apply) and data in a section libbpf makes no map of.
long target;
long *where = &target;
long special __attribute__((section(".mine"))) = 1;

long touch(void) { return *where + special; }
