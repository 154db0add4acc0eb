/* tracepoint:syscalls:sys_enter_getppid { @calls = count(); }
 * uprobe:/lib/x86_64-linux-gnu/libc.so.6:getppid { @ucalls = count(); }
 * laid out by hand as docs/OBJECT.md says. With -DREJECT the tracepoint program reads a
 * map value without checking it for NULL, which the verifier rejects. */
#include "bt_fixture.h"

PERCPU_MAP(calls, u64, s64);
PERCPU_MAP(ucalls, u64, s64);

SEC("tracepoint/syscalls/sys_enter_getppid")
int bt_tp(void *ctx) {
  ARMED_OR_RETURN();
  u64 zero = 0;
#ifdef REJECT
  s64 *unchecked = bpf_map_lookup_elem(&calls, &zero);
  *unchecked += 1;
#else
  add64(&calls, &zero, 1);
#endif
  return 0;
}

SEC("uprobe/libc.so.6:getppid")
int bt_up(void *ctx) {
  ARMED_OR_RETURN();
  u64 zero = 0;
  add64(&ucalls, &zero, 1);
  return 0;
}
