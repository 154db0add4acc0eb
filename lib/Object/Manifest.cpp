// The manifest's queries and its fields' canonical forms.
#include "bt/Object/Manifest.h"
#include "bt/Object/Layout.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>

namespace bt::obj {

namespace {

// An unsigned field of one kind at an offset: what most kinds' constructors are.
Field unsignedField(FieldType type, uint32_t size, uint32_t offset) {
  Field f;
  f.type = type;
  f.size = size;
  f.isSigned = false;
  f.offset = offset;
  return f;
}

/// Whether `f` or an element of it (a tuple's, at any depth) is one `accepts` takes.
template <typename Accepts> bool holds(const Field &f, const Accepts &accepts) {
  return accepts(f) || std::any_of(f.elements.begin(), f.elements.end(),
                                   [&](const Field &e) { return holds(e, accepts); });
}

/// Whether a map key or value field, or an event argument, is or holds one `accepts` takes.
template <typename Accepts> bool anyField(const Manifest &manifest, Accepts accepts) {
  auto held = [&](const Field &f) { return holds(f, accepts); };
  for (const MapSpec &m : manifest.maps)
    if (std::any_of(m.key.fields.begin(), m.key.fields.end(), held) ||
        (m.valueType && held(*m.valueType)))
      return true;
  for (const EventSpec &e : manifest.events)
    if (std::any_of(e.args.begin(), e.args.end(), held))
      return true;
  return false;
}

} // namespace

std::optional<int64_t> positionalInteger(const std::string &text) {
  if (text.empty())
    return std::nullopt;
  errno = 0;
  char *end = nullptr;
  int64_t v = text.front() == '-' ? std::strtoll(text.c_str(), &end, 0)
                                  : static_cast<int64_t>(std::strtoull(text.c_str(), &end, 0));
  if (*end != '\0' || errno == ERANGE)
    return std::nullopt;
  return v;
}

Field Field::integer(bool isSigned, uint32_t offset) {
  Field f;
  f.type = FieldType::Int;
  f.size = 8;
  f.isSigned = isSigned;
  f.offset = offset;
  return f;
}

Field Field::bitfield(bool isSigned, uint32_t size, uint32_t bitOffset, uint32_t bits,
                      uint32_t offset) {
  Field f = integer(isSigned, offset);
  f.size = size;
  f.bitOffset = bitOffset;
  f.bits = bits;
  return f;
}

Field Field::string(uint32_t size, uint32_t offset) {
  return unsignedField(FieldType::String, size, offset);
}

Field Field::kernelStack(std::string stackMap, StackMode mode, uint32_t offset) {
  Field f;
  f.type = FieldType::KernelStack;
  f.size = 8;
  f.isSigned = true; // bpf_get_stackid's result: negative when no stack was recorded
  f.offset = offset;
  f.stackMap = std::move(stackMap);
  f.stackMode = mode;
  return f;
}

Field Field::userStack(std::string stackMap, StackMode mode, uint32_t offset) {
  Field f = kernelStack(std::move(stackMap), mode, offset);
  f.type = FieldType::UserStack;
  return f;
}

Field Field::userSymbol(uint32_t offset) {
  Field f;
  f.type = FieldType::UserSymbol;
  f.size = 16;
  f.isSigned = false;
  f.offset = offset;
  return f;
}

Field Field::kernelSymbol(uint32_t offset) {
  Field f;
  f.type = FieldType::KernelSymbol;
  f.size = 8;
  f.isSigned = false;
  f.offset = offset;
  return f;
}

Field Field::inetAddress(uint32_t offset) {
  return unsignedField(FieldType::InetAddress, kInetAddressSize, offset);
}

Field Field::buffer(uint32_t size, uint32_t offset) {
  return unsignedField(FieldType::Buffer, size, offset);
}

Field Field::cgroupPath(std::string filter, uint32_t offset) {
  Field f = hostValue(FieldType::CgroupPath, offset);
  f.hierarchyFilter = std::move(filter);
  return f;
}

Field Field::symbolic(uint32_t size, std::vector<Symbol> symbols, bool flags,
                      uint32_t offset) {
  Field f;
  f.type = FieldType::Symbolic;
  f.size = size;
  f.isSigned = false;
  f.offset = offset;
  f.symbols = std::move(symbols);
  f.flags = flags;
  return f;
}

Field Field::hostValue(FieldType type, uint32_t offset) {
  Field f;
  f.type = type;
  f.size = 8;
  f.isSigned = true;
  f.offset = offset;
  return f;
}

Field Field::timestamp(std::string format, uint32_t offset) {
  Field f;
  f.type = FieldType::Timestamp;
  f.size = 8;
  f.isSigned = false;
  f.offset = offset;
  f.timeFormat = std::move(format);
  return f;
}

Field Field::tuple(uint32_t size, std::vector<Field> elements, uint32_t offset) {
  Field f;
  f.type = FieldType::Tuple;
  f.size = size;
  f.isSigned = false;
  f.offset = offset;
  f.elements = std::move(elements);
  return f;
}

Field Field::record(uint32_t size, std::vector<Field> elements, uint32_t offset) {
  Field f = tuple(size, std::move(elements), offset);
  f.type = FieldType::Record;
  return f;
}

Field Field::array(uint32_t count, Field element, uint32_t offset) {
  Field f;
  f.type = FieldType::Array;
  f.size = count * element.size;
  f.isSigned = false;
  f.offset = offset;
  f.count = count;
  element.offset = 0;
  f.elements.push_back(std::move(element));
  return f;
}

std::pair<const ProbeSpec *, const AttachmentSpec *>
Manifest::findProgram(const std::string &program) const {
  for (const auto &p : probes)
    for (const auto &a : p.attachments)
      if (a.program == program || a.target.armProgram == program)
        return {&p, &a};
  return {nullptr, nullptr};
}

std::string Manifest::sourceName(int file) const {
  const std::string &name = file > 0 && size_t(file) <= source.imports.size()
                                ? source.imports[size_t(file) - 1]
                                : source.name;
  // bpftrace names a -e program "stdin" in the locations it prints at run time (errorf,
  // -k's helper errors), as btc's `file` builtin does; btc's own diagnostics keep "-e".
  if (name == "-e")
    return "stdin";
  return name.empty() ? "script" : name;
}

const MapSpec *Manifest::findMap(const std::string &name) const {
  for (const auto &m : maps)
    if (m.name == name)
      return &m;
  for (const auto &m : maps)
    if (m.bpfName == name)
      return &m;
  return nullptr;
}

void Manifest::require(Feature f) {
  schemaVersion = kSchemaVersion;
  if (std::find(features.begin(), features.end(), f) == features.end()) {
    features.push_back(f);
    std::sort(features.begin(), features.end());
  }
}

bool Manifest::sendsOnlyExit() const {
  return std::all_of(events.begin(), events.end(),
                     [](const EventSpec &e) { return e.kind == EventKind::Exit; });
}

bool Manifest::usesKernelSymbols() const {
  return anyField(*this, [](const Field &f) {
    return f.type == FieldType::KernelStack || f.type == FieldType::KernelSymbol;
  });
}

bool Manifest::usesUserSymbols() const {
  return anyField(*this, [](const Field &f) {
    return f.type == FieldType::UserStack || f.type == FieldType::UserSymbol;
  });
}

size_t Manifest::attachPointCount() const {
  size_t n = 0;
  for (const auto &p : probes)
    n += p.attachments.size();
  return n;
}

std::vector<uint64_t> Manifest::dropCounterOffsets() const {
  std::vector<uint64_t> out;
  for (const MapSpec &m : maps)
    if (m.dropsOffset)
      out.push_back(*m.dropsOffset);
  return out;
}

} // namespace bt::obj
