// Map values of a kernel struct over 512 bytes (`@s = *curtask`) and print() of one
// hold the running kernel's bytes, laid out as only that kernel knows: the manifest names
// their type (Field::kernelType) and btrun lists its members from the kernel's BTF, into
// the same record layout btc writes for smaller structs, which the printers then print.
#ifndef BT_RUNTIME_KERNELRECORDS_H
#define BT_RUNTIME_KERNELRECORDS_H

#include "bt/Runtime/Manifest.h"
#include "bt/Runtime/Result.h"

namespace bt::rt {

/// Fills in the members of each such map value and print() argument from the running
/// kernel's BTF (vmlinux's, else a loaded module's), read only when the manifest has one;
/// an error when the host has no BTF, no such type, or a member btrun cannot print. BT_TEST_KERNEL_BTF=FILE
/// reads the kernel's types from FILE instead (tests: a missing file is a host without).
Status listKernelRecords(Manifest &m);

} // namespace bt::rt

#endif
