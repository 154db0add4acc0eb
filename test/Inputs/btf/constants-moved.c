// Kernel types whose size, member places and enumerator values no kernel has, to
// compile scripts against (`btc --btf`): an object that reads this kernel's values
// of sizeof, offsetof and enum constants was relocated by CO-RE. Encoded at test
// time by make-btf.sh.
struct load_weight {
  long pad[3];
  unsigned long weight;
  unsigned int inv_weight;
};
enum pid_type { PIDTYPE_SID = 40, PIDTYPE_MAX = 42 };
struct load_weight moved_weight;
enum pid_type moved_pid_type;
