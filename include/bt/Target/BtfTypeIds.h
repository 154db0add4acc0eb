// Small helpers over libbpf's BTF type ids, shared by btc (Sema) and btrun (Runtime).
#pragma once

#include <cstdint>

struct btf;

namespace bt {

// `id` with const, volatile, restrict, type tags and typedefs skipped: the id of the type
// they qualify or name (0 for void, or `id` itself when it is none of them).
int32_t skipBtfModifiers(const struct btf *b, int32_t id);

} // namespace bt
