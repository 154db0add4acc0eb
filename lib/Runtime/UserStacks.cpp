// ustack and usym values: stack ids resolved through the object's stack-trace maps, and
// addresses named by the runner's UserSymbolizer (or, in build_id mode, each frame's build
// id and file offset), into bpftrace's text.
#include "bt/Runtime/UserStacks.h"
#include "bt/Runtime/Loader.h"
#include "bt/Object/StackValue.h"
#include "StackFrames.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <cxxabi.h>
#include <linux/bpf.h>

#include <algorithm>
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

// The frames of a build_id stack (a BPF_F_STACK_BUILD_ID map's value), innermost first, up
// to the first empty one: the kernel zeroes what follows the stack's frames.
std::vector<bpf_stack_build_id> buildIdFrames(const BpfObject &obj, const std::string &mapName,
                                              int32_t id) {
  bpf_map *map = obj.map(mapName);
  if (!map || id < 0 || bpf_map__value_size(map) % sizeof(bpf_stack_build_id) != 0)
    return {};
  std::vector<bpf_stack_build_id> frames(bpf_map__value_size(map) / sizeof(bpf_stack_build_id));
  uint32_t key = static_cast<uint32_t>(id);
  if (bpf_map_lookup_elem(bpf_map__fd(map), &key, frames.data()) != 0)
    return {};
  auto empty = std::find_if(frames.begin(), frames.end(), [](const bpf_stack_build_id &f) {
    return f.status == BPF_STACK_BUILD_ID_EMPTY;
  });
  frames.erase(empty, frames.end());
  return frames;
}

// Upstream's build_id frame: the build id in hex and the file offset ("0x" and at least
// two digits) where the kernel found the file's build id, else the address alone, as
// raw mode prints it.
std::string buildIdFrame(const bpf_stack_build_id &f) {
  if (f.status != BPF_STACK_BUILD_ID_VALID)
    return rawFrame(f.ip);
  std::string out;
  char hex[24];
  for (unsigned char byte : f.build_id) {
    std::snprintf(hex, sizeof hex, "%02x", byte);
    out += hex;
  }
  std::snprintf(hex, sizeof hex, " 0x%02" PRIx64 "\n", static_cast<uint64_t>(f.offset));
  return out + hex;
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
  if (field.stackMode == StackMode::BuildId) { // nothing to name: unindented, as upstream
    for (const bpf_stack_build_id &f : buildIdFrames(obj_, field.stackMap, id))
      out += buildIdFrame(f);
    return out;
  }
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
