// Per-CPU kernel variables for percpu_kaddr (`btc --btf`): pahole encodes the variables
// of the .data..percpu section, as the kernel's BTF lists its per-CPU ones. struct rq is
// 48 bytes here, its cpu at 40 (the kernel's is some KiB). Encoded at test time by
// make-btf.sh.
struct rq {
  long before[5];
  int cpu;
};
__attribute__((section(".data..percpu"))) struct rq runqueues;
__attribute__((section(".data..percpu"))) unsigned long process_counts;
