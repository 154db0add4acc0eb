// Manifest JSON -> lib/Object's structs, plus the checks that need btrun's formatter.
#include "bt/Runtime/Manifest.h"

#include "bt/Object/Json.h"
#include "bt/Runtime/Format.h"

#include <algorithm>
#include <vector>

namespace bt::rt {

Result<Manifest> parseManifest(std::string_view text) {
  obj::ManifestOrError read = obj::readManifest(text);
  if (!read.manifest)
    return Error(read.error);
  Manifest &m = *read.manifest;
  // printf formats are checked against their arguments now, not at the first event
  // after everything is attached: formatted once on a zeroed record.
  for (const auto &e : m.events) {
    if (e.kind != EventKind::Printf)
      continue;
    uint64_t need = 8;
    for (const auto &a : e.args)
      need = std::max<uint64_t>(need, uint64_t(a.offset) + a.size);
    if (need > (1u << 20))
      return Error("invalid manifest: 'events[" + std::to_string(e.id) + "].args' lie beyond 1 MiB");
    std::vector<uint8_t> record(need, 0);
    auto formatted = formatPrintf(e.format, e.args, record.data(), record.size());
    if (!formatted)
      return Error("invalid manifest: 'events[" + std::to_string(e.id) + "]': " +
                   formatted.error().message());
  }
  return std::move(m);
}

} // namespace bt::rt
