// The manifest's typed fields (docs/OBJECT.md "Fields"): a value's layout in a ring-buffer
// record or map value, written by btc and read back by btrun, each kind's writer and reader
// side by side. Split from Json.cpp, whose readers throw the same SchemaError.
#include "bt/Object/Json.h"

#include "bt/Object/Layout.h"

#include "JsonRead.h"

namespace bt::obj {

using namespace json_read;

Json fieldToJson(const Field &f, bool withOffset) {
  Json j = {{"type", toString(f.type)}, {"size", f.size}};
  switch (f.type) {
  case FieldType::Int:
    j["signed"] = f.isSigned;
    if (f.bits) {
      j["bits"] = f.bits;
      j["bit_offset"] = f.bitOffset;
    }
    if (f.isPointer)
      j["pointer"] = true;
    break;
  case FieldType::Timestamp:
    j["format"] = f.timeFormat;
    break;
  case FieldType::CgroupPath:
    j["filter"] = f.hierarchyFilter;
    break;
  case FieldType::KernelStack:
  case FieldType::UserStack:
    j["stack_map"] = f.stackMap;
    j["mode"] = toString(f.stackMode);
    break;
  case FieldType::Tuple:
  case FieldType::Record: {
    Json elements = Json::array();
    for (const Field &e : f.elements) {
      Json ej = fieldToJson(e, true);
      if (f.type == FieldType::Record)
        ej["name"] = e.name;
      elements.push_back(std::move(ej));
    }
    j["elements"] = std::move(elements);
    if (f.namedTuple)
      j["named_tuple"] = true;
    if (!f.kernelType.empty())
      j["kernel_type"] = f.kernelType;
    break;
  }
  case FieldType::Array:
    j["count"] = f.count;
    j["element"] = fieldToJson(f.elements.front(), false);
    break;
  case FieldType::Symbolic: {
    Json symbols = Json::array();
    for (const Symbol &s : f.symbols)
      symbols.push_back({{"value", s.value}, {"name", s.name}});
    j["symbols"] = std::move(symbols);
    j["flags"] = f.flags;
    break;
  }
  case FieldType::String:
  case FieldType::KernelSymbol:
  case FieldType::UserSymbol:
  case FieldType::ErrorText:
  case FieldType::InetAddress:
  case FieldType::UserName:
  case FieldType::SyscallName:
  case FieldType::Buffer:
    break;
  }
  if (withOffset)
    j["offset"] = f.offset;
  return j;
}

namespace {

// kstack, ksym, strftime: an 8-byte value that btrun turns into text.
uint32_t hostTextSize(const Json &j, FieldType type) {
  uint64_t size = unsignedInt(j, "size", false, 8);
  if (size != 8)
    fail("size", std::string("must be 8 for a ") + toString(type));
  return 8;
}

} // namespace

Field fieldFromJson(const Json &j, bool withOffset) {
  requireObject(j);
  Field f;
  FieldType type = enumValue<FieldType>("type", str(j, "type", true));
  switch (type) {
  case FieldType::Int: {
    uint64_t size = unsignedInt(j, "size", false, 8);
    bool isSigned = boolean(j, "signed", false, true);
    if (has(j, "bits")) {
      uint64_t bits = unsignedInt(j, "bits", true);
      uint64_t bitOffset = unsignedInt(j, "bit_offset", true);
      if (size < 1 || size > 8)
        fail("size", "must be from 1 to 8 for a bitfield");
      if (bitOffset > 7)
        fail("bit_offset", "must be from 0 to 7");
      if (bits == 0 || bitOffset + bits > 8 * size)
        fail("bits", "must be from 1 to the bits of its size after bit_offset");
      f = Field::bitfield(isSigned, static_cast<uint32_t>(size),
                          static_cast<uint32_t>(bitOffset), static_cast<uint32_t>(bits));
      break;
    }
    if (size != 1 && size != 2 && size != 4 && size != 8)
      fail("size", "must be 1, 2, 4 or 8 for an int");
    f = Field::integer(isSigned);
    f.size = static_cast<uint32_t>(size);
    f.isPointer = boolean(j, "pointer", false, false);
    break;
  }
  case FieldType::String:
    f = Field::string(static_cast<uint32_t>(unsignedInt(j, "size", true)));
    break;
  case FieldType::Timestamp:
    hostTextSize(j, type);
    f = Field::timestamp(str(j, "format", true, {}, Text::Free));
    break;
  case FieldType::KernelSymbol:
    hostTextSize(j, type);
    f = Field::kernelSymbol();
    break;
  case FieldType::ErrorText:
  case FieldType::UserName:
  case FieldType::SyscallName:
    hostTextSize(j, type);
    f = Field::hostValue(type);
    break;
  case FieldType::CgroupPath:
    hostTextSize(j, type);
    f = Field::cgroupPath(str(j, "filter", true, {}, Text::Free));
    break;
  case FieldType::InetAddress:
    if (unsignedInt(j, "size", false, kInetAddressSize) != kInetAddressSize)
      fail("size", "must be " + std::to_string(kInetAddressSize) + " for an inet");
    f = Field::inetAddress();
    break;
  case FieldType::KernelStack:
  case FieldType::UserStack: {
    hostTextSize(j, type);
    std::string stackMap = str(j, "stack_map", true);
    std::string mode = str(j, "mode", false, toString(StackMode::Bpftrace));
    // The kernel records build ids of user frames only.
    if (type == FieldType::KernelStack && mode == toString(StackMode::BuildId))
      fail("mode", "is build_id, a ustack mode");
    f = type == FieldType::KernelStack
            ? Field::kernelStack(stackMap, enumValue<StackMode>("mode", mode))
            : Field::userStack(stackMap, enumValue<StackMode>("mode", mode));
    break;
  }
  case FieldType::Buffer: {
    uint64_t size = unsignedInt(j, "size", true);
    if (size <= kBufferDataOffset || size > kBufferDataOffset + 4096)
      fail("size", "must be from 9 to 4104 for a buffer");
    f = Field::buffer(static_cast<uint32_t>(size));
    break;
  }
  case FieldType::UserSymbol:
    if (unsignedInt(j, "size", false, 16) != 16)
      fail("size", "must be 16 for a usym");
    f = Field::userSymbol();
    break;
  case FieldType::Tuple:
  case FieldType::Record: {
    bool isRecord = type == FieldType::Record;
    auto size = static_cast<uint32_t>(unsignedInt(j, "size", true));
    auto parts = elements<Field>(j, "elements", true, [&](const Json &ej, size_t) {
      Field e = fieldFromJson(ej, true);
      if (isRecord)
        e.name = str(ej, "name", true);
      if (e.offset + static_cast<uint64_t>(e.size) > size)
        fail("offset", "the element lies outside its " + std::to_string(size) + "-byte " +
                           toString(type));
      return e;
    });
    f = isRecord ? Field::record(size, std::move(parts)) : Field::tuple(size, std::move(parts));
    f.namedTuple = isRecord && boolean(j, "named_tuple", false, false);
    f.kernelType = isRecord ? str(j, "kernel_type", false) : "";
    // btrun lists such a record's members itself, from the running kernel's BTF.
    if (!f.kernelType.empty() && !f.elements.empty())
      fail("elements", "must be empty for a record of kernel_type " + f.kernelType);
    break;
  }
  case FieldType::Symbolic: {
    uint64_t size = unsignedInt(j, "size", false, 8);
    if (size != 1 && size != 2 && size != 4 && size != 8)
      fail("size", "must be 1, 2, 4 or 8 for a symbolic");
    auto symbols = elements<Symbol>(j, "symbols", true, [&](const Json &sj, size_t) {
      requireObject(sj);
      return Symbol{unsignedInt(sj, "value", true), str(sj, "name", true)};
    });
    f = Field::symbolic(static_cast<uint32_t>(size), std::move(symbols),
                        boolean(j, "flags", false, false));
    break;
  }
  case FieldType::Array: {
    auto count = unsignedInt(j, "count", true);
    auto size = unsignedInt(j, "size", true);
    Field element =
        within("element", [&] { return fieldFromJson(*find(j, "element", true), false); });
    if (element.size == 0 || count > size || count * element.size != size)
      fail("size", "must be count times the element's size");
    f = Field::array(static_cast<uint32_t>(count), std::move(element));
    break;
  }
  }
  if (withOffset)
    f.offset = static_cast<uint32_t>(unsignedInt(j, "offset", true));
  return f;
}

} // namespace bt::obj
