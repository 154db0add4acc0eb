// What btrun reads from the binaries that uprobes and usdt probes are on (function
// symbols, USDT notes), read once per file for the whole run: finding -p's or -c's
// binaries, attaching and --dry-run share one. Private to lib/Runtime.
#ifndef BT_RUNTIME_BINARYFILES_H
#define BT_RUNTIME_BINARYFILES_H

#include "UprobeSymbols.h"
#include "Usdt.h"

namespace bt::rt {

struct BinaryFiles {
  UprobeSymbols symbols;
  UsdtNoteFiles usdt;
};

} // namespace bt::rt

#endif
