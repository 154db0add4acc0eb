// Struct and union values (a `record` field of the manifest, with its `array`s) as
// bpftrace 0.17 prints them.
#ifndef BT_RUNTIME_RECORDFORMAT_H
#define BT_RUNTIME_RECORDFORMAT_H

#include "bt/Runtime/FormatContext.h"
#include "bt/Runtime/Manifest.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace bt::rt {

/// "{ .a = 1, .s = text, .d = [1,2], .in = { .x = 0 } }" for a record, "[1,2]" for an
/// array. `base` is the buffer the field's offset counts from; the caller checks that
/// the field lies inside (the manifest reader checks the elements lie in their field).
std::string recordText(const Field &record, const uint8_t *base, const FormatContext &ctx);
/// "{.a=1,.s=text,.d=[1,2],.in={.x=0}}": a struct as a map key, as bpftrace 0.17 prints one.
std::string recordKeyText(const Field &record, const uint8_t *base, const FormatContext &ctx);
/// `{ "a": 1, "s": "text", "d": [1,2], "in": { "x": 0 } }` as bpftrace 0.17's -f json
/// spaces a struct: JSON text that the JSON line writer writes as it is. An address of
/// `args` whole is a number, as upstream writes a pointer in JSON.
nlohmann::ordered_json recordJson(const Field &record, const uint8_t *base,
                                  const FormatContext &ctx);

} // namespace bt::rt

#endif
