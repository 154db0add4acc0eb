// Manifest JSON -> lib/Object's structs, plus the checks that need btrun's formatter.
#include "bt/Runtime/Manifest.h"

#include "bt/Object/Json.h"
#include "bt/Runtime/Format.h"

#include <algorithm>

namespace bt::rt {

Result<Manifest> parseManifest(std::string_view text) {
  obj::ManifestOrError read = obj::readManifest(text);
  if (!read.manifest)
    return Error(read.error);
  Manifest &m = *read.manifest;
  // printf formats are parsed and checked against their arguments now, once, not at the
  // first event after everything is attached; the event loop renders the parsed form.
  for (auto &e : m.events) {
    if (!e.hasPrintfFormat())
      continue;
    uint64_t need = 8;
    for (const auto &a : e.args)
      need = std::max<uint64_t>(need, uint64_t(a.offset) + a.size);
    if (need > (1u << 20))
      return Error("invalid manifest: 'events[" + std::to_string(e.id) + "].args' lie beyond 1 MiB");
    auto parsed = parsePrintfEvent(e.format, e.args);
    if (!parsed)
      return Error("invalid manifest: 'events[" + std::to_string(e.id) + "]': " +
                   parsed.error().message());
    e.parsedFormat = std::move(*parsed);
  }
  return std::move(m);
}

} // namespace bt::rt
