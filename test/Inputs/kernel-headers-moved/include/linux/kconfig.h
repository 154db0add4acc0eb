/* A kernel header tree for btc's tests (not a kernel's): kconfig.h brings the
   configuration, as a real tree's does. */
#include <generated/autoconf.h>
