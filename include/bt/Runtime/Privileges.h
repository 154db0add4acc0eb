// Least privilege: once every probe is attached, btrun keeps only what reading
// maps, running END and polling the ring buffer need.
#ifndef BT_RUNTIME_PRIVILEGES_H
#define BT_RUNTIME_PRIVILEGES_H

#include "bt/Runtime/Result.h"

namespace bt::rt {

/// Drops every capability from the effective and permitted sets except
/// CAP_BPF (the bpf() syscall: map reads, clear/zero, END's test run). The
/// bounding set is left alone, so a -c command run as root starts with the
/// usual root capabilities.
Status dropToRunPrivileges();

} // namespace bt::rt

#endif
