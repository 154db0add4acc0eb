// libbtpidtick.so: bt_lib_tick(i) fires the usdt probe btpid:tick(100 i), the probe the
// pid-binary-target executable fires too, so that a process built with -DBT_LIB_TICK
// maps two files that have it (usdt::btpid:tick under btrun -p attaches in both).
#include <sys/sdt.h>

__attribute__((noinline)) void bt_lib_tick(long i) { DTRACE_PROBE1(btpid, tick, i * 100); }
