// buf() values (a `buffer` field of the manifest) as bpftrace 0.17 prints them.
#ifndef BT_RUNTIME_BUFFERFORMAT_H
#define BT_RUNTIME_BUFFERFORMAT_H

#include "bt/Runtime/Manifest.h"

#include <cstdint>
#include <string_view>

namespace bt::rt {

/// The buffer's bytes: its length word, bounded by the field's size. `base` is the buffer
/// the field's offset counts from; the caller checks that the field lies inside.
std::string_view bufferBytes(const Field &buffer, const uint8_t *base);

} // namespace bt::rt

#endif
