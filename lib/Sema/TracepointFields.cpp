// Types of tracepoint fields beyond the integers, strings and pointers that
// Typer::field gives directly.
#include "Typer.h"

#include <cctype>

namespace bt::sema {

// A field that is a fixed array of integers (`__u8 saddr[4]`, `unsigned long args[6]`;
// char arrays are strings): an array of N elements of its size / N bytes, as
// bpftrace types it. Its value is its place in the record; `[i]`, ntop() and buf()
// read from there.
std::optional<TypeId> Typer::tracepointArray(const TracepointField &f) {
  size_t open = f.ctype.rfind('[');
  if (open == std::string::npos || f.isDataLoc || f.isPointer || f.ctype.back() != ']')
    return std::nullopt;
  unsigned count = 0;
  for (size_t i = open + 1; i + 1 < f.ctype.size(); ++i) {
    if (!std::isdigit((unsigned char)f.ctype[i]) || count > f.size)
      return std::nullopt;
    count = count * 10 + unsigned(f.ctype[i] - '0');
  }
  if (count == 0 || f.size % count != 0)
    return std::nullopt;
  unsigned element = f.size / count;
  if (element > 8 || (element & (element - 1)) != 0)
    return std::nullopt;
  return R.types.array(R.types.integer(element, f.isSigned), count);
}

} // namespace bt::sema
