// Kernel types named as a script's own C definitions are (struct inner, struct rec)
// but laid out otherwise (rec's in at 72, u32 at 88, next at 96; inner's when at 0):
// a script that defines them reads its own layout, never these
// (test/codegen/c-definitions-offsets.bt). do_nanosleep for its kprobe. Encoded at test
// time by make-btf.sh.
struct inner {
  long long when;
  char tag;
};
struct rec {
  long before[9];
  struct inner in;
  int u32;
  void *next;
};
struct rec kernel_rec;
long do_nanosleep(void *t, int mode) { return t ? mode : 0; }
