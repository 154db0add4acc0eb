// Functions the kernel refuses fentry/fexit on (btf_distill_func_proto), beside one it
// takes, to compile scripts against (`btc --btf`). Encoded at test time by make-btf.sh.
struct timespec_like {
  long tv_sec, tv_nsec;
};
union either {
  long l;
  void *p;
};
struct big {
  long a, b, c;
};
struct timespec_like bt_returns_struct(long ns) {
  struct timespec_like t = {ns / 1000000000, ns % 1000000000};
  return t;
}
union either bt_returns_union(long l) {
  union either e;
  e.l = l;
  return e;
}
long bt_big_arg(struct big b) { return b.a; }
long bt_many(long a, long b, long c, long d, long e, long f, long g, long h, long i, long j,
             long k, long l, long m) {
  return a + b + c + d + e + f + g + h + i + j + k + l + m;
}
long bt_varargs(int n, ...) { return n; }
long bt_double(double d) { return (long)d; }
long bt_fine(struct timespec_like *t) { return t->tv_sec; }
