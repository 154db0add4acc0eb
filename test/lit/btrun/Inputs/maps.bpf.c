/* BEGIN of:
 *   @c["b"]=count(); @c["a"]=count(); @c["a"]=count(); @s["x"]=sum(-5); @s["y"]=sum(3);
 *   @s["z"]=sum(-7); @m=min(-3); @M=max(9); @mm["k"]=min(5); @mm["j"]=min(2);
 *   @a["p"]=avg(10); @a["q"]=avg(-3); @a["q"]=avg(-4); @st[1]=stats(5); @st[2]=stats(1);
 *   @st[2]=stats(2); @i[-1]=-5; @i[2]=7; @i[3]=-9; @str["k"]="hello"; @str["a"]="zzz";
 *   @t["x",2,"y"]=1; @t["x",1,"z"]=2; @lh=lhist(-5,0,100,10); @lh=lhist(5000,0,100,10);
 *   @lh=lhist(55,0,100,10); @lk[1]=lhist(2048,0,4096,1024); @lk[2]=lhist(2048,0,4096,1024);
 *   @lk[2]=lhist(4095,0,4096,1024); @hh["b"]=hist(1); @hh["a"]=hist(3); @hh["a"]=hist(3);
 *   @h=hist(-5); @h=hist(0); @h=hist(1); @h=hist(2); @h=hist(1000); @h=hist(2000000);
 *   @h=hist(5000000000); @x=5; @neg=-42; @e["k"]=1; delete(@e["k"]);
 *   printf("%-5d|%s|\n", 42, "hi"); exit();
 * laid out by hand as docs/OBJECT.md says. */
#include "bt_fixture.h"

struct tkey { char a[16]; u64 n; char b[16]; };
struct hkey16 { struct str16 k; u64 bucket; };
struct hkey8 { u64 k; u64 bucket; };

PERCPU_MAP(c, struct str16, s64);
PERCPU_MAP(s, struct str16, s64);
PERCPU_MAP(m, u64, struct minmax);
PERCPU_MAP(M, u64, struct minmax);
PERCPU_MAP(mm, struct str16, struct minmax);
PERCPU_MAP(a, struct str16, struct avgv);
PERCPU_MAP(st, u64, struct avgv);
HASH_MAP(i, u64, s64);
HASH_MAP(str, struct str16, struct str16);
HASH_MAP(t, struct tkey, s64);
PERCPU_MAP(lh, struct hkey8, u64);
PERCPU_MAP(lk, struct hkey8, u64);
PERCPU_MAP(hh, struct hkey16, u64);
PERCPU_MAP(h, struct hkey8, u64);
HASH_MAP(x, u64, s64);
HASH_MAP(neg, u64, s64);
HASH_MAP(e, struct str16, s64);

#ifdef BT_STACK_MAPS
/* Stack maps of 2-frame ustacks for bad-objects.test: addresses, and build ids. */
struct {
  __uint(type, BPF_MAP_TYPE_STACK_TRACE);
  __uint(max_entries, 16);
  __type(key, __u32);
  __type(value, u64[2]);
} bt_ustack_2 SEC(".maps");
struct {
  __uint(type, BPF_MAP_TYPE_STACK_TRACE);
  __uint(max_entries, 16);
  __uint(map_flags, BPF_F_STACK_BUILD_ID);
  __type(key, __u32);
  __type(value, struct bpf_stack_build_id[2]);
} bt_ustack_build_id_2 SEC(".maps");
#endif

struct printf0 { u64 id; s64 a; char s[16]; };

#define S(name, lit) struct str16 name = {}; __builtin_memcpy(name.s, lit, sizeof(lit))

static __always_inline void hist_add(void *map, struct hkey8 *k, s64 v) {
  k->bucket = log2bucket(v);
  add64(map, k, 1);
}

SEC("raw_tp")
int bt_begin(void *ctx) {
  S(kb, "b"); S(ka, "a"); S(kx, "x"); S(ky, "y"); S(kz, "z"); S(kk, "k"); S(kj, "j");
  S(kp, "p"); S(kq, "q"); S(hello, "hello"); S(zzz, "zzz");
  u64 zero = 0, one = 1, two = 2, three = 3;
  add64(&c, &kb, 1); add64(&c, &ka, 1); add64(&c, &ka, 1);
  add64(&s, &kx, -5); add64(&s, &ky, 3); add64(&s, &kz, -7);
  minmax(&m, &zero, -3, 0); minmax(&M, &zero, 9, 1);
  minmax(&mm, &kk, 5, 0); minmax(&mm, &kj, 2, 0);
  avg(&a, &kp, 10); avg(&a, &kq, -3); avg(&a, &kq, -4);
  avg(&st, &one, 5); avg(&st, &two, 1); avg(&st, &two, 2);
  u64 km1 = (u64)-1; s64 v;
  v = -5; put(&i, &km1, &v); v = 7; put(&i, &two, &v); v = -9; put(&i, &three, &v);
  put(&str, &kk, &hello); put(&str, &ka, &zzz);
  struct tkey t1 = {}, t2 = {};
  t1.a[0] = 'x'; t1.n = 2; t1.b[0] = 'y';
  t2.a[0] = 'x'; t2.n = 1; t2.b[0] = 'z';
  v = 1; put(&t, &t1, &v); v = 2; put(&t, &t2, &v);
  struct hkey8 hk = {};
  hk.bucket = linbucket(-5, 0, 100, 10); add64(&lh, &hk, 1);
  hk.bucket = linbucket(5000, 0, 100, 10); add64(&lh, &hk, 1);
  hk.bucket = linbucket(55, 0, 100, 10); add64(&lh, &hk, 1);
  hk.k = 1; hk.bucket = linbucket(2048, 0, 4096, 1024); add64(&lk, &hk, 1);
  hk.k = 2; hk.bucket = linbucket(2048, 0, 4096, 1024); add64(&lk, &hk, 1);
  hk.k = 2; hk.bucket = linbucket(4095, 0, 4096, 1024); add64(&lk, &hk, 1);
  struct hkey16 h16 = {};
  h16.k = kb; h16.bucket = log2bucket(1); add64(&hh, &h16, 1);
  h16.k = ka; h16.bucket = log2bucket(3); add64(&hh, &h16, 1); add64(&hh, &h16, 1);
  hk.k = 0;
  hist_add(&h, &hk, -5); hist_add(&h, &hk, 0); hist_add(&h, &hk, 1); hist_add(&h, &hk, 2);
  hist_add(&h, &hk, 1000); hist_add(&h, &hk, 2000000); hist_add(&h, &hk, 5000000000LL);
  v = 5; put(&x, &zero, &v);
  v = -42; put(&neg, &zero, &v);
  v = 1; put(&e, &kk, &v); bpf_map_delete_elem(&e, &kk);
  struct printf0 r = {};
  r.id = 0; r.a = 42; r.s[0] = 'h'; r.s[1] = 'i';
  send(&r, sizeof r);
  send_id(1);
  return 0;
}
