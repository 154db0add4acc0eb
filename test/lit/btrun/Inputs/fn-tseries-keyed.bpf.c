/* BEGIN of a keyed tseries(v, 1s, 4) with three keys updated at different epochs,
 * laid out by hand as bt/Object/Layout.h says: "new" at E+5 and E+6 (the map's
 * latest), "old" at E+1 and E+3 (E+1 is older than the four intervals that end at
 * E+6), "gone" at E only (none of its values is shown). Fixed epochs make the graphs
 * independent of when the test runs. */
#include "bt_fixture.h"

#define INTERVALS 4
#define E 1700000000ULL /* 1 s epochs: 2023-11-14 */

struct bucket { s64 value; u64 epoch; u64 aux; };
struct tseries { u64 latest; u64 updates; struct bucket b[INTERVALS]; };
struct key { char s[16]; };

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_HASH);
  __uint(max_entries, 16);
  __type(key, struct key);
  __type(value, struct tseries);
} k SEC(".maps");

#define PUT(t, i, v) (t).b[(E + i) % INTERVALS] = (struct bucket){v, E + i, 1000 + i}

SEC("raw_tp")
int bt_begin(void *ctx) {
  struct tseries t;
  struct key key;

  __builtin_memset(&t, 0, sizeof t);
  __builtin_memset(&key, 0, sizeof key);
  __builtin_memcpy(key.s, "new", 4);
  PUT(t, 5, 5); PUT(t, 6, 7);
  t.latest = E + 6;
  put(&k, &key, &t);

  __builtin_memset(&t, 0, sizeof t);
  __builtin_memset(&key, 0, sizeof key);
  __builtin_memcpy(key.s, "old", 4);
  PUT(t, 1, 3); PUT(t, 3, 4);
  t.latest = E + 3;
  put(&k, &key, &t);

  __builtin_memset(&t, 0, sizeof t);
  __builtin_memset(&key, 0, sizeof key);
  __builtin_memcpy(key.s, "gone", 5);
  PUT(t, 0, 9);
  t.latest = E;
  put(&k, &key, &t);

  send_id(0);
  return 0;
}
