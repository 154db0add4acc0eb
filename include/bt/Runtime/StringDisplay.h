// str_trunc_trailer where btrun prints a string value: print(), map keys and values,
// tuple and record members (printf's %s has its own, Format.h's Truncation).
#ifndef BT_RUNTIME_STRINGDISPLAY_H
#define BT_RUNTIME_STRINGDISPLAY_H

#include "bt/Runtime/Manifest.h"

#include <cstdint>
#include <string>

namespace bt::rt {

/// What displayString marks: a string field of `strlen` bytes (max_strlen: what str()
/// and args' strings read) whose text fills it up to the NUL in its last byte, most
/// likely read truncated, is followed by `trailer` (nothing when it is empty).
/// parseManifest sets it from the object's options: a btrun process prints one object.
void setStringTrailer(uint64_t strlen, std::string trailer);

/// A string field as btrun prints it outside printf: readString, then the trailer.
std::string displayString(const Field &f, const uint8_t *base);

} // namespace bt::rt

#endif
