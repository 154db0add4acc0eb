// Structs ending in flexible array members, of structs and of pointers, to compile
// scripts against (`btc --btf`): such an array has no element count, so it cannot be
// held whole (test/lit/btc/arrays-of-values.test). Encoded at test time by make-btf.sh.
struct item {
  long a;
};
struct bag {
  int n;
  struct item items[];
};
struct pointer_bag {
  int n;
  void *pointers[];
};
struct bag flexible_bag;
struct pointer_bag flexible_pointer_bag;
