/* Shared pieces of the hand-written fixture objects: the contract's globals, ring buffer
 * and helpers that update maps the way docs/OBJECT.md lays them out. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

typedef __s64 s64;
typedef __u64 u64;

char LICENSE[] SEC("license") = "GPL";

struct bt_globals { u64 armed; u64 lost; u64 start_ns; };
struct bt_globals bt_g; /* .bss: armed at 0, lost at 8, start at 16 */

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 256 * 1024);
} bt_events SEC(".maps");

struct minmax { s64 value; u64 isset; };
struct avgv { s64 total; u64 count; };
struct str16 { char s[16]; };

#define PERCPU_MAP(name, K, V)                                                            \
  struct {                                                                                \
    __uint(type, BPF_MAP_TYPE_PERCPU_HASH);                                               \
    __uint(max_entries, 1024);                                                            \
    __type(key, K);                                                                       \
    __type(value, V);                                                                     \
  } name SEC(".maps")

#define HASH_MAP(name, K, V)                                                              \
  struct {                                                                                \
    __uint(type, BPF_MAP_TYPE_HASH);                                                      \
    __uint(max_entries, 1024);                                                            \
    __type(key, K);                                                                       \
    __type(value, V);                                                                     \
  } name SEC(".maps")

static __always_inline void add64(void *map, void *key, s64 v) {
  s64 *p = bpf_map_lookup_elem(map, key);
  if (p) { *p += v; return; }
  bpf_map_update_elem(map, key, &v, BPF_NOEXIST);
}

static __always_inline void minmax(void *map, void *key, s64 v, int isMax) {
  struct minmax *p = bpf_map_lookup_elem(map, key);
  if (p) {
    if (!p->isset || (isMax ? v > p->value : v < p->value)) { p->value = v; p->isset = 1; }
    return;
  }
  struct minmax n = { v, 1 };
  bpf_map_update_elem(map, key, &n, BPF_NOEXIST);
}

static __always_inline void avg(void *map, void *key, s64 v) {
  struct avgv *p = bpf_map_lookup_elem(map, key);
  if (p) { p->total += v; p->count += 1; return; }
  struct avgv n = { v, 1 };
  bpf_map_update_elem(map, key, &n, BPF_NOEXIST);
}

static __always_inline u64 log2bucket(s64 v) {
  if (v < 0) return 0;
  if (v == 0) return 1;
  u64 k = 2;
  for (int i = 0; i < 63; i++) { if (v >> (i + 1)) k++; }
  return k;
}

static __always_inline u64 linbucket(s64 v, s64 min, s64 max, s64 step) {
  if (v < min) return 0;
  if (v >= max) return 1 + (max - min) / step;
  return 1 + (v - min) / step;
}

static __always_inline void put(void *map, void *key, void *val) {
  bpf_map_update_elem(map, key, val, BPF_ANY);
}

static __always_inline void send(void *rec, u64 size) {
  bpf_ringbuf_output(&bt_events, rec, size, 0);
}

static __always_inline void send_id(u64 id) {
  u64 rec = id;
  bpf_ringbuf_output(&bt_events, &rec, sizeof rec, 0);
}

#define ARMED_OR_RETURN() do { if (!bt_g.armed) return 0; } while (0)
