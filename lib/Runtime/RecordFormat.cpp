// Struct and union values as text and JSON. An element's offset counts from its
// record's start; an array's elements follow each other at the element's size.
#include "bt/Runtime/RecordFormat.h"
#include "bt/Runtime/Format.h"
#include "JsonLine.h"
#include "bt/Runtime/TupleFormat.h"

#include <cstdio>

namespace bt::rt {

namespace {

// The i-th element of an array, at its place.
Field arrayElement(const Field &array, uint32_t i) {
  Field e = array.elements.front();
  e.offset = i * e.size;
  return e;
}

// An integer member; a bitfield is its bits of the bytes that hold it.
std::string memberInt(const Field &e, const uint8_t *start) {
  uint64_t v = readInt(e, start);
  if (e.bits) {
    v >>= e.bitOffset;
    if (e.bits < 64) {
      uint64_t sign = 1ULL << (e.bits - 1);
      v &= (sign << 1) - 1;
      if (e.isSigned && (v & sign))
        v |= ~((sign << 1) - 1);
    }
  }
  return e.isSigned ? std::to_string(static_cast<int64_t>(v)) : std::to_string(v);
}

} // namespace

namespace {

// The separators of a value's text and of a map key's.
struct RecordSpacing {
  const char *open, *between, *equals, *close;
};
constexpr RecordSpacing kValueSpacing{"{ ", ", .", " = ", " }"};
constexpr RecordSpacing kKeySpacing{"{", ",.", "=", "}"};

std::string spacedText(const Field &f, const uint8_t *base, const RecordSpacing &s,
                       const FormatContext &ctx) {
  const uint8_t *start = base + f.offset;
  auto text = [&](const Field &e) {
    if (e.type == FieldType::Record || e.type == FieldType::Array)
      return spacedText(e, start, s, ctx);
    if (e.type == FieldType::Tuple)
      return tupleText(e, start, ctx);
    if (e.type == FieldType::String)
      return displayString(e, start, ctx);
    if (e.type == FieldType::Symbolic) // a member of the script's enum type
      return symbolicText(e, readInt(e, start));
    if (isHostText(e.type)) // a record's buf() or kstack, as a tuple prints one
      return ctx.hostValue(e, start, 8);
    if (e.isPointer) { // a pointer argument of `args` whole, as upstream prints it
      char hex[24];
      std::snprintf(hex, sizeof hex, "0x%llx",
                    static_cast<unsigned long long>(readInt(e, start)));
      return std::string(hex);
    }
    return memberInt(e, start);
  };
  std::string out;
  if (f.type == FieldType::Array) {
    out = "[";
    for (uint32_t i = 0; i < f.count; ++i)
      out += (i ? "," : "") + text(arrayElement(f, i));
    return out + "]";
  }
  out = s.open;
  for (size_t i = 0; i < f.elements.size(); ++i)
    out += (i ? s.between : ".") + f.elements[i].name + s.equals + text(f.elements[i]);
  return out + s.close;
}

} // namespace

std::string recordText(const Field &f, const uint8_t *base, const FormatContext &ctx) {
  return spacedText(f, base, kValueSpacing, ctx);
}

std::string recordKeyText(const Field &f, const uint8_t *base, const FormatContext &ctx) {
  return spacedText(f, base, kKeySpacing, ctx);
}

namespace {

// bpftrace 0.17's spacing: `{ "a": 1, "d": [1,2], "in": { "x": 0 } }`.
std::string recordJsonText(const Field &f, const uint8_t *base, const FormatContext &ctx) {
  using Json = nlohmann::ordered_json;
  const uint8_t *start = base + f.offset;
  auto value = [&](const Field &e) -> std::string {
    if (e.type == FieldType::Record || e.type == FieldType::Array)
      return recordJsonText(e, start, ctx);
    if (e.type == FieldType::Tuple) {
      std::string text;
      appendJsonLine(text, tupleJson(e, start, ctx));
      return text;
    }
    if (e.type == FieldType::String)
      return Json(displayString(e, start, ctx)).dump(-1, ' ', false, Json::error_handler_t::replace);
    if (isHostText(e.type))
      return Json(ctx.hostValue(e, start, 8)).dump(-1, ' ', false, Json::error_handler_t::replace);
    // An address (of `args` whole) and an enum are numbers in JSON, as upstream writes
    // them: the address unsigned, the enum's value in its own width.
    if (e.isPointer || e.type == FieldType::Symbolic)
      return std::to_string(readInt(e, start));
    return memberInt(e, start);
  };
  std::string out;
  if (f.type == FieldType::Array) {
    out = "[";
    for (uint32_t i = 0; i < f.count; ++i)
      out += (i ? "," : "") + value(arrayElement(f, i));
    return out + "]";
  }
  out = "{ ";
  for (size_t i = 0; i < f.elements.size(); ++i)
    out += (i ? ", " : "") + Json(f.elements[i].name).dump() + ": " + value(f.elements[i]);
  return out + " }";
}

} // namespace

nlohmann::ordered_json recordJson(const Field &f, const uint8_t *base, const FormatContext &ctx) {
  return jsonText(recordJsonText(f, base, ctx));
}

} // namespace bt::rt
