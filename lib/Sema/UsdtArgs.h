// usdt argN in Sema (UsdtArgs.cpp). Private to lib/Sema.
#pragma once

#include "bt/Sema/Sema.h"

#include <optional>
#include <string>

namespace bt::sema {

// Why `argN` (N = index) is not an argument of every site of `att`'s usdt probe, where
// the binary is readable at compile time ("usdt probe p:n in /bin/x has 3 arguments:
// no arg5"); nullopt when it is, or when the binary cannot be read here.
std::optional<std::string> missingUsdtArgument(const Attachment &att, unsigned index);

} // namespace bt::sema
