// kstack values: stack ids resolved through the object's stack-trace maps and
// /proc/kallsyms into bpftrace's text.
#include "bt/Runtime/KernelStacks.h"
#include "bt/Runtime/Loader.h"
#include "StackFrames.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <string_view>

namespace bt::rt {

bool splitKallsymsLine(std::string_view line, std::string_view &address, std::string_view &name) {
  size_t sp1 = line.find(' ');
  size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos)
    return false;
  address = line.substr(0, sp1);
  name = line.substr(sp2 + 1);
  name = name.substr(0, name.find_first_of(" \t"));
  return true;
}

KernelSymbols KernelSymbols::fromProc() {
  std::string text;
  if (std::FILE *f = std::fopen("/proc/kallsyms", "r")) {
    // About 5 MB: read in large chunks into room reserved once.
    text.reserve(8u << 20);
    std::vector<char> chunk(1u << 20);
    size_t n;
    while ((n = std::fread(chunk.data(), 1, chunk.size(), f)) > 0)
      text.append(chunk.data(), n);
    std::fclose(f);
  }
  return parse(std::move(text));
}

KernelSymbols KernelSymbols::parse(std::string text) {
  KernelSymbols ks;
  ks.text_ = std::move(text);
  // 100k+ lines are read before the probes are armed: split them by hand rather
  // than through a stream per line.
  std::string_view rest(ks.text_);
  while (!rest.empty()) {
    size_t eol = rest.find('\n');
    std::string_view line = rest.substr(0, eol);
    rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
    std::string_view addressText, name;
    if (!splitKallsymsLine(line, addressText, name))
      continue;
    uint64_t a = 0;
    bool hex = !addressText.empty();
    for (char c : addressText) {
      int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
      if (d < 0) {
        hex = false;
        break;
      }
      a = a << 4 | static_cast<uint64_t>(d);
    }
    if (hex && a != 0 && !name.empty())
      ks.symbols_.push_back({a, static_cast<uint32_t>(name.data() - ks.text_.data()),
                             static_cast<uint32_t>(name.size())});
  }
  std::stable_sort(ks.symbols_.begin(), ks.symbols_.end(),
                   [](const Symbol &x, const Symbol &y) { return x.address < y.address; });
  return ks;
}

const KernelSymbols::Symbol *KernelSymbols::find(uint64_t address) const {
  auto after = std::upper_bound(symbols_.begin(), symbols_.end(), address,
                                [](uint64_t a, const Symbol &s) { return a < s.address; });
  return after == symbols_.begin() ? nullptr : &*std::prev(after);
}

std::string KernelSymbols::resolve(uint64_t address) const {
  const Symbol *sym = find(address);
  if (!sym) {
    char hex[24];
    std::snprintf(hex, sizeof hex, "0x%" PRIx64, address);
    return hex;
  }
  return text_.substr(sym->nameOffset, sym->nameSize) + "+" +
         std::to_string(address - sym->address);
}

std::string KernelSymbols::name(uint64_t address) const {
  if (const Symbol *sym = find(address))
    return text_.substr(sym->nameOffset, sym->nameSize);
  // C++'s showbase hex, as bpftrace prints it: no 0x before a 0.
  char hex[24];
  std::snprintf(hex, sizeof hex, address ? "0x%" PRIx64 : "%" PRIx64, address);
  return hex;
}

void KernelStacks::loadSymbols() {
  if (!loaded_)
    symbols_ = KernelSymbols::fromProc();
  loaded_ = true;
}

std::vector<uint64_t> stackFrames(const BpfObject &obj, const std::string &mapName,
                                  int64_t id) {
  bpf_map *map = obj.map(mapName);
  if (!map || id < 0 || bpf_map__value_size(map) % 8 != 0)
    return {};
  std::vector<uint64_t> frames(bpf_map__value_size(map) / 8, 0);
  uint32_t key = static_cast<uint32_t>(id);
  if (bpf_map_lookup_elem(bpf_map__fd(map), &key, frames.data()) != 0)
    return {};
  frames.erase(std::find(frames.begin(), frames.end(), 0), frames.end());
  return frames;
}

std::string rawFrame(uint64_t address) {
  char hex[24];
  std::snprintf(hex, sizeof hex, "%" PRIx64 "\n", address);
  return hex;
}

std::string KernelStacks::text(const Field &field, int64_t id, unsigned indent) {
  if (field.type == FieldType::KernelSymbol) {
    loadSymbols();
    return symbols_.name(static_cast<uint64_t>(id));
  }
  std::string out = "\n";
  std::vector<uint64_t> frames = stackFrames(obj_, field.stackMap, id);
  if (frames.empty())
    return out;
  if (field.stackMode != StackMode::Raw)
    loadSymbols();
  for (uint64_t address : frames) {
    if (field.stackMode == StackMode::Raw) {
      out += rawFrame(address);
    } else if (field.stackMode == StackMode::Perf) {
      char hex[24];
      std::snprintf(hex, sizeof hex, "\t%" PRIx64 " ", address);
      out += hex + symbols_.resolve(address) + "\n";
    } else {
      out += std::string(indent, ' ') + symbols_.resolve(address) + "\n";
    }
  }
  return out;
}

} // namespace bt::rt
