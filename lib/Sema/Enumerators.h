// The enumerators of an enum as a script spells it ("enum e"), as (value, name): the
// script's C definition's first (it names its own enums), then the target's BTF's.
// The enum cast's value check (Cast.cpp) and printf's %s of an enum (Symbolic.cpp)
// look them up alike.
#pragma once

#include "BtfTypes.h"
#include "CDefinitions.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace bt::sema {

// nullopt when neither lists the enum (or the BTF cannot be read: BtfTypes says why).
inline std::optional<std::vector<std::pair<uint64_t, std::string>>>
enumeratorsOf(CDefinitions *cdefs, BtfTypes &btf, const std::string &spelling) {
  auto enumerators = cdefs ? cdefs->enumerators(spelling) : std::nullopt;
  if (!enumerators)
    enumerators = btf.enumerators(spelling);
  return enumerators;
}

} // namespace bt::sema
