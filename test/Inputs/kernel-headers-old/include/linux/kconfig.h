/* A kernel header tree for btc's tests (not a kernel's), shaped like a tree from
   before 5.12: struct bio reaches its disk through bi_disk, and <linux/genhd.h>
   still exists. kconfig.h brings the configuration, as a real tree's does. */
#include <generated/autoconf.h>
