/* BEGIN of a keyless tseries(v, 100ms, 12) that holds a zigzag over eleven epochs,
 * one of them (the ninth) without a value, and a stale bucket older than the twelve
 * intervals shown; laid out by hand as bt/Object/Layout.h says. Fixed epochs make
 * the graph independent of when the test runs. */
#include "bt_fixture.h"

#define INTERVALS 12
#define BASE 17000000000ULL /* 100 ms epochs: 2023-11-14 */

struct bucket { s64 value; u64 epoch; u64 aux; };
struct tseries { u64 latest; u64 updates; struct bucket b[INTERVALS]; };

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 2);
  __type(key, __u32);
  __type(value, struct tseries);
} z SEC(".maps");

SEC("raw_tp")
int bt_begin(void *ctx) {
  __u32 k = 0;
  struct tseries *t = bpf_map_lookup_elem(&z, &k);
  if (!t)
    return 0;
#define PUT(i, v) t->b[(BASE + i) % INTERVALS] = (struct bucket){v, BASE + i, 1000 + i}
  PUT(0, -5); PUT(1, -4); PUT(2, -3); PUT(3, -2); PUT(4, -1); PUT(5, 0);
  PUT(6, 1); PUT(7, 2); PUT(9, 4); PUT(10, 5);
  /* BASE + 8's slot: a value from twelve intervals before, no longer shown. */
  t->b[(BASE + 8) % INTERVALS] = (struct bucket){99, BASE + 8 - INTERVALS, 1};
  t->latest = BASE + 10;
  t->updates = 11;
  send_id(0);
  return 0;
}
