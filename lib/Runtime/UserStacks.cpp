// ustack and usym values: stack ids resolved through the object's stack-trace maps, and
// addresses named by the runner's UserSymbolizer, into bpftrace's text.
#include "bt/Runtime/UserStacks.h"
#include "bt/Runtime/Loader.h"
#include "bt/Object/StackValue.h"
#include "StackFrames.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <cxxabi.h>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace bt::rt {

namespace {

// C++'s showbase hex of a pointer, as bpftrace prints an unknown address: "0" for 0.
std::string hexAddress(uint64_t address) {
  char hex[24];
  std::snprintf(hex, sizeof hex, address ? "0x%" PRIx64 : "%" PRIx64, address);
  return hex;
}

std::string demangled(const std::string &name) {
  int status = 0;
  char *d = abi::__cxa_demangle(name.c_str(), nullptr, nullptr, &status);
  if (status != 0 || !d)
    return name;
  std::string out(d);
  std::free(d);
  return out;
}

} // namespace

std::string UserStacks::frame(uint32_t pid, uint64_t address, bool withOffset, bool withModule) {
  if (!symbolizer_)
    symbolizer_ = makeUserSymbolizer();
  if (!warned_ && *symbolizer_->limitation()) {
    std::fprintf(stderr, "%s\n", symbolizer_->limitation());
    warned_ = true;
  }
  auto sym = symbolizer_->find(pid, address);
  if (!sym)
    return hexAddress(address) + (withModule ? " ([unknown])" : "");
  std::string text = demangle_ ? demangled(sym->name) : sym->name;
  if (withOffset)
    text += "+" + std::to_string(sym->offset);
  if (withModule)
    text += " (" + sym->module + ")";
  return text;
}

std::string UserStacks::text(const Field &field, const uint8_t *at, unsigned indent) {
  if (field.type == FieldType::UserSymbol) {
    uint64_t address, pid;
    std::memcpy(&address, at, 8);
    std::memcpy(&pid, at + 8, 8);
    return frame(static_cast<uint32_t>(pid), address, false, false);
  }
  uint64_t packed;
  std::memcpy(&packed, at, 8);
  auto id = static_cast<int32_t>(packed & 0xffffffffu);
  auto pid = static_cast<uint32_t>((packed >> 32) & obj::kStackTgidMask);
  std::string out = "\n";
  for (uint64_t address : stackFrames(obj_, field.stackMap, id)) {
    if (field.stackMode == StackMode::Raw) {
      out += rawFrame(address);
    } else if (field.stackMode == StackMode::Perf) {
      char hex[24];
      std::snprintf(hex, sizeof hex, "\t%" PRIx64 " ", address);
      out += hex + frame(pid, address, true, true) + "\n";
    } else {
      out += std::string(indent, ' ') + frame(pid, address, true, false) + "\n";
    }
  }
  return out;
}

} // namespace bt::rt
