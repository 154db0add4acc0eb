/* BEGIN { @n = count(); print(@n); print(7); print("str"); printf("begin armed=%d\n", <armed>);
 *         @cl = 5; @z[1] = count(); @z[2] = count(); @k["a"] = 1; }
 * interval:ms:50 { printf("tick %s %u %x %c%c|%5.2s|%%\n", "tock", -1, 255, 65, 0, "abc");
 *                  clear(@cl); zero(@z); clear(@k); exit(); printf("after exit\n"); }
 * END { printf("end\n"); print(@z); }
 * laid out by hand as docs/OBJECT.md says. */
#include "bt_fixture.h"

PERCPU_MAP(n, u64, s64);
HASH_MAP(cl, u64, s64);
PERCPU_MAP(z, u64, s64);
HASH_MAP(k, struct str16, s64);

struct rec_int { u64 id; s64 v; };
struct rec_str { u64 id; char s[16]; };
struct rec_tick { u64 id; char s[16]; s64 u; s64 x; s64 c1; s64 c2; char t[16]; };

SEC("raw_tp")
int bt_begin(void *ctx) {
  u64 zero = 0, one = 1, two = 2;
  add64(&n, &zero, 1);
  send_id(0);                                      /* print(@n) */
  struct rec_int ri = { 1, 7 }; send(&ri, sizeof ri); /* print(7) */
  struct rec_str rs = { 2, "str" }; send(&rs, sizeof rs);
  struct rec_int ra = { 3, (s64)bt_g.armed }; send(&ra, sizeof ra);
  s64 five = 5; put(&cl, &zero, &five);
  add64(&z, &one, 1); add64(&z, &two, 1);
  struct str16 ka = { "a" }; s64 v = 1; put(&k, &ka, &v);
  return 0;
}

SEC("perf_event")
int bt_tick(void *ctx) {
  ARMED_OR_RETURN();
  struct rec_tick t = {};
  t.id = 4;
  __builtin_memcpy(t.s, "tock", 5);
  t.u = -1; t.x = 255; t.c1 = 65; t.c2 = 0;
  __builtin_memcpy(t.t, "abc", 4);
  send(&t, sizeof t);
  send_id(5); /* clear(@cl) */
  send_id(6); /* zero(@z) */
  send_id(9); /* clear(@k) */
  send_id(7); /* exit() */
  struct rec_str after = { 2, "after exit" }; send(&after, sizeof after);
  return 0;
}

SEC("raw_tp")
int bt_end(void *ctx) {
  struct rec_str e = { 2, "end" }; send(&e, sizeof e);
  send_id(8); /* print(@z) */
  return 0;
}
