// Two objects that define one global constant (lit/btc/import-bpf-object.test): libbpf's
// linker refuses the second.
const int shared_table[2] = {1, 2};

int from_a(int i) { return shared_table[i & 1]; }
