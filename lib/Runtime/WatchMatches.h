// The names table of the watchpoint matches armed apart (watch_match_names,
// docs/OBJECT.md): a row per match of a watchpoint on a pattern's functions whose probe
// reads `probe`, at the row findProcessBinaries gave the match (its links' cookie).
// Private to lib/Runtime.
#ifndef BT_RUNTIME_WATCHMATCHES_H
#define BT_RUNTIME_WATCHMATCHES_H

#include "ProcessBinaries.h"
#include "bt/Runtime/Loader.h"

namespace bt::rt {

/// Before load: sizes the table to the matches numbered (one row when there are none).
Status sizeWatchMatchNames(const BpfObject &obj, const Manifest &m);

/// After load, before anything is attached: writes each match's text, bpftrace 0.17's
/// `probe` for it (`watchpoint:./prog:incr_one:4:w`), cut to the row's size less its NUL.
Status fillWatchMatchNames(const BpfObject &obj, const Manifest &m,
                           const TracedProcessFiles &process);

} // namespace bt::rt

#endif
