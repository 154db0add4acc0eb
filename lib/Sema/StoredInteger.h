// Private to lib/Sema: the type of an integer as a map key or value or a tuple element
// holds it.
#pragma once

#include "bt/Sema/Types.h"

namespace bt::sema {

// 8 bytes of the integer's sign; an enum's keeps the enum's name, so that print() and
// maps can name its value (a script enum's, lib/Lower/ManifestWriter.cpp).
TypeId storedInteger(TypeTable &types, const Type &t);

} // namespace bt::sema
