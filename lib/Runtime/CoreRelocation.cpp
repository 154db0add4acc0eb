// Finds a failed CO-RE relocation in the log of a failed load. libbpf poisons the
// instruction of a relocation it cannot resolve, and the verifier, refusing it,
// prints "failed to resolve CO-RE relocation <kind> [id] struct T.member (spec)"
// after the script line (from the object's BTF line info) the instruction belongs to.
#include "CoreRelocation.h"

namespace bt::rt {

std::optional<FailedCoreRelocation> failedCoreRelocation(const std::vector<std::string> &log) {
  static const std::string marker = "failed to resolve CO-RE relocation ";
  std::string lastSource;
  for (const std::string &l : log) {
    // "; printf(...); @ script.bt:3": the script line of what follows.
    if (l.rfind("; ", 0) == 0) {
      size_t at = l.rfind(" @ ");
      if (at != std::string::npos)
        lastSource = l.substr(at + 3);
      continue;
    }
    size_t p = l.find(marker);
    if (p == std::string::npos)
      continue;
    // "<byte_off> [13] struct task_struct.btc_missing (0:1 @ offset 120)"
    size_t spec = l.find("] ", p);
    size_t end = l.find(" (", spec == std::string::npos ? p : spec);
    if (spec == std::string::npos || end == std::string::npos)
      continue;
    std::string access = l.substr(spec + 2, end - spec - 2);
    size_t space = access.find(' ');
    size_t dot = access.find('.', space == std::string::npos ? 0 : space);
    FailedCoreRelocation f;
    f.type = dot == std::string::npos ? access : access.substr(0, dot);
    f.member = dot == std::string::npos ? "" : access.substr(dot + 1);
    f.where = lastSource;
    return f;
  }
  return std::nullopt;
}

} // namespace bt::rt
