// Private to lib/Runtime: a recorded stack's frames, shared by kernel and user stacks.
#pragma once

#include "bt/Runtime/Loader.h"

#include <cstdint>
#include <string>
#include <vector>

namespace bt::rt {

// The addresses the stack map `map` holds under bpf_get_stackid's `id`, innermost first, up
// to the first zero; empty when the id is negative (no stack was recorded) or the map has none.
std::vector<uint64_t> stackFrames(const BpfObject &obj, const std::string &map, int64_t id);

// One frame of a raw-mode stack (kstack(raw)): the address in hex, unindented and
// unsymbolized, as bpftrace prints it.
std::string rawFrame(uint64_t address);

} // namespace bt::rt
