// Tuple values (a `tuple` field of the manifest) as bpftrace 0.17 prints them.
#ifndef BT_RUNTIME_TUPLEFORMAT_H
#define BT_RUNTIME_TUPLEFORMAT_H

#include "bt/Runtime/FormatContext.h"
#include "bt/Runtime/Manifest.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace bt::rt {

/// "(1, text, (2, x))": the elements joined by ", ", strings as they are, an enum's
/// value by its enumerator's name. `base` is the
/// buffer the field's offset counts from; the caller checks that the field lies inside.
std::string tupleText(const Field &tuple, const uint8_t *base, const FormatContext &ctx);
/// [1,"text",[2,"x"]], as -f json writes a tuple; an enum's value as its number.
nlohmann::ordered_json tupleJson(const Field &tuple, const uint8_t *base,
                                 const FormatContext &ctx);

} // namespace bt::rt

#endif
