// The tracepoint fields an object reads, checked against this host's formats
// before anything is loaded: btc took their offsets from its target, and a host
// whose format differs (a larger struct trace_entry, a changed event) would
// otherwise read the wrong bytes without a word.
#include "bt/Runtime/Verify.h"
#include "bt/Target/Target.h"

#include <algorithm>

namespace bt::rt {

namespace {

std::string where(const Manifest &m, const obj::TracepointFieldRead &f) {
  std::string at = m.sourceName(f.file);
  if (f.line > 0)
    at += ":" + std::to_string(f.line) + ":" + std::to_string(f.col);
  return at;
}

std::string layout(unsigned offset, unsigned size, bool isSigned) {
  return "offset " + std::to_string(offset) + ", size " + std::to_string(size) +
         (isSigned ? ", signed" : ", unsigned");
}

} // namespace

void checkTracepointFields(const Manifest &m, std::vector<std::string> &problems) {
  for (const auto &p : m.probes)
    for (const auto &a : p.attachments) {
      if (p.type != ProbeType::Tracepoint || a.fields.empty())
        continue;
      const std::string &probe = a.probe.empty() ? p.text : a.probe;
      auto format = tracefsFormat(kTracefs, a.target.category, a.target.name);
      if (!format) // tracepoint existence is reported on its own
        continue;
      for (const auto &f : a.fields) {
        auto it = std::find_if(format->begin(), format->end(),
                               [&](const TracepointField &h) { return h.name == f.name; });
        std::string head = where(m, f) + ": " + probe + ": field '" + f.name + "'";
        if (it == format->end())
          problems.push_back(head + " is not in this host's format: refused");
        else if (it->offset != f.offset || it->size != f.size || it->isSigned != f.isSigned)
          problems.push_back(head + " is at " + layout(it->offset, it->size, it->isSigned) +
                             " on this host, but the object was compiled for " +
                             layout(f.offset, f.size, f.isSigned) +
                             ": refused, it would read the wrong bytes");
      }
    }
}

} // namespace bt::rt
