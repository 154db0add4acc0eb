// Two objects that define one global constant (lit/btc/import-bpf-object.test): libbpf's
// linker refuses the second.
const int shared_table[2] = {3, 4};

int from_b(int i) { return shared_table[i & 1]; }
