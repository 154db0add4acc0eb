// Tuple values as text and JSON. An element's offset counts from its tuple's start.
#include "bt/Runtime/TupleFormat.h"
#include "bt/Format/Printf.h"
#include "bt/Runtime/BufferFormat.h"
#include "bt/Runtime/Format.h"
#include "bt/Runtime/RecordFormat.h"

namespace bt::rt {

namespace {

std::string intText(const Field &f, const uint8_t *base) {
  uint64_t v = readInt(f, base);
  return f.isSigned ? std::to_string(static_cast<int64_t>(v)) : std::to_string(v);
}

// A buf() element as %r prints it, as bpftrace 0.17 prints one in a tuple.
std::string bufferText(const Field &f, const uint8_t *base) {
  return format::renderBuffer(format::Conversion{}, bufferBytes(f, base));
}

} // namespace

std::string tupleText(const Field &tuple, const uint8_t *base, const FormatContext &ctx) {
  const uint8_t *start = base + tuple.offset;
  std::string out = "(";
  for (size_t i = 0; i < tuple.elements.size(); ++i) {
    const Field &e = tuple.elements[i];
    if (i)
      out += ", ";
    if (e.type == FieldType::Tuple)
      out += tupleText(e, start, ctx);
    else if (e.type == FieldType::Record || e.type == FieldType::Array)
      out += recordText(e, start, ctx);
    else if (e.type == FieldType::String)
      out += displayString(e, start, ctx);
    else if (e.type == FieldType::Symbolic)
      out += symbolicText(e, readInt(e, start));
    else if (e.type == FieldType::Buffer)
      out += bufferText(e, start);
    else if (isHostText(e.type)) // a stack's frames each on its own line, as bpftrace 0.17
      out += ctx.hostValue(e, start, 8);
    else
      out += intText(e, start);
  }
  return out + ")";
}

nlohmann::ordered_json tupleJson(const Field &tuple, const uint8_t *base,
                                 const FormatContext &ctx) {
  const uint8_t *start = base + tuple.offset;
  auto out = nlohmann::ordered_json::array();
  for (const Field &e : tuple.elements) {
    if (e.type == FieldType::Tuple)
      out.push_back(tupleJson(e, start, ctx));
    else if (e.type == FieldType::Record || e.type == FieldType::Array)
      out.push_back(recordJson(e, start, ctx));
    else if (e.type == FieldType::String)
      out.push_back(displayString(e, start, ctx));
    else if (e.type == FieldType::Buffer)
      out.push_back(bufferText(e, start));
    else if (isHostText(e.type)) // a string: 0.17 writes a strftime's text unquoted
      out.push_back(ctx.hostValue(e, start, 8));
    else if (e.isSigned)
      out.push_back(static_cast<int64_t>(readInt(e, start)));
    else // an enum (symbolic) too: its number, as upstream writes one in JSON
      out.push_back(readInt(e, start));
  }
  return out;
}

} // namespace bt::rt
