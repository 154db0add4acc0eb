// Struct and union values as text and JSON. An element's offset counts from its
// record's start; an array's elements follow each other at the element's size.
#include "bt/Runtime/RecordFormat.h"
#include "bt/Runtime/Format.h"
#include "bt/Runtime/TupleFormat.h"

namespace bt::rt {

namespace {

// The i-th element of an array, at its place.
Field arrayElement(const Field &array, uint32_t i) {
  Field e = array.elements.front();
  e.offset = i * e.size;
  return e;
}

} // namespace

std::string recordText(const Field &f, const uint8_t *base) {
  const uint8_t *start = base + f.offset;
  auto text = [&](const Field &e) {
    if (e.type == FieldType::Record || e.type == FieldType::Array)
      return recordText(e, start);
    if (e.type == FieldType::Tuple)
      return tupleText(e, start);
    if (e.type == FieldType::String)
      return readString(e, start);
    uint64_t v = readInt(e, start);
    return e.isSigned ? std::to_string(static_cast<int64_t>(v)) : std::to_string(v);
  };
  std::string out;
  if (f.type == FieldType::Array) {
    out = "[";
    for (uint32_t i = 0; i < f.count; ++i)
      out += (i ? "," : "") + text(arrayElement(f, i));
    return out + "]";
  }
  out = "{ ";
  for (size_t i = 0; i < f.elements.size(); ++i)
    out += (i ? ", ." : ".") + f.elements[i].name + " = " + text(f.elements[i]);
  return out + " }";
}

nlohmann::ordered_json recordJson(const Field &f, const uint8_t *base) {
  const uint8_t *start = base + f.offset;
  auto value = [&](const Field &e) -> nlohmann::ordered_json {
    if (e.type == FieldType::Record || e.type == FieldType::Array)
      return recordJson(e, start);
    if (e.type == FieldType::Tuple)
      return tupleJson(e, start);
    if (e.type == FieldType::String)
      return readString(e, start);
    if (e.isSigned)
      return static_cast<int64_t>(readInt(e, start));
    return readInt(e, start);
  };
  if (f.type == FieldType::Array) {
    auto out = nlohmann::ordered_json::array();
    for (uint32_t i = 0; i < f.count; ++i)
      out.push_back(value(arrayElement(f, i)));
    return out;
  }
  auto out = nlohmann::ordered_json::object();
  for (const Field &e : f.elements)
    out[e.name] = value(e);
  return out;
}

} // namespace bt::rt
