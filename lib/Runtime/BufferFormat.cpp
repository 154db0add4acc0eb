// buf() values: a u64 length, then the bytes (bt/Object/Layout.h).
#include "bt/Runtime/BufferFormat.h"
#include "bt/Object/Layout.h"

#include <algorithm>
#include <cstring>

namespace bt::rt {

std::string_view bufferBytes(const Field &buffer, const uint8_t *base) {
  const uint8_t *p = base + buffer.offset;
  uint64_t length;
  std::memcpy(&length, p, sizeof length);
  uint64_t room = buffer.size > obj::kBufferDataOffset ? buffer.size - obj::kBufferDataOffset : 0;
  return {reinterpret_cast<const char *>(p + obj::kBufferDataOffset),
          static_cast<size_t>(std::min(length, room))};
}

} // namespace bt::rt
