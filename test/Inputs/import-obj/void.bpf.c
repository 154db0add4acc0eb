// A BPF object's global function that returns nothing: the verifier refuses a call of
// it (lit/btc/import-bpf-object.test).
long last;

void remember(long x) { last = x; }

char LICENSE[] __attribute__((section("license"), used)) = "GPL";
