// btrun's user symbolizer: elfutils' libdwfl over the process's /proc/PID/maps. The
// mappings are read when a process's first address is named and kept for the run: a
// process that has exited by then has no maps to read, and its addresses print in hex
// (as in bpftrace). The files are opened by path, so a process that exits after its
// mappings were read is still named.
#include "bt/Runtime/UserStacks.h"

#include <elfutils/libdwfl.h>

#include <cxxabi.h>

#include <cstdlib>
#include <unordered_map>

namespace bt::rt {

namespace {

std::string demangled(const char *name) {
  int status = 0;
  char *d = abi::__cxa_demangle(name, nullptr, nullptr, &status);
  if (status != 0 || !d)
    return name;
  std::string out(d);
  std::free(d);
  return out;
}

class DwflUserSymbols : public UserSymbolizer {
public:
  ~DwflUserSymbols() override {
    for (auto &[pid, dwfl] : processes_)
      if (dwfl)
        dwfl_end(dwfl);
  }

  std::optional<Symbol> find(uint32_t pid, uint64_t address) override {
    Dwfl *dwfl = process(pid);
    if (!dwfl)
      return std::nullopt;
    Dwfl_Module *module = dwfl_addrmodule(dwfl, address);
    if (!module)
      return std::nullopt;
    GElf_Off offset = 0;
    GElf_Sym sym;
    const char *name =
        dwfl_module_addrinfo(module, address, &offset, &sym, nullptr, nullptr, nullptr);
    if (!name)
      return std::nullopt;
    const char *path = dwfl_module_info(module, nullptr, nullptr, nullptr, nullptr, nullptr,
                                        nullptr, nullptr);
    return Symbol{demangled(name), offset, path ? path : ""};
  }

  const char *limitation() const override { return ""; }

private:
  Dwfl *process(uint32_t pid) {
    auto [it, inserted] = processes_.try_emplace(pid, nullptr);
    if (!inserted)
      return it->second;
    Dwfl *dwfl = dwfl_begin(&callbacks_);
    if (!dwfl)
      return nullptr;
    if (dwfl_linux_proc_report(dwfl, static_cast<pid_t>(pid)) != 0 ||
        dwfl_report_end(dwfl, nullptr, nullptr) != 0) {
      dwfl_end(dwfl);
      return nullptr;
    }
    it->second = dwfl;
    return dwfl;
  }

  char *debugInfoPath_ = nullptr; // libdwfl's default search path
  Dwfl_Callbacks callbacks_{dwfl_linux_proc_find_elf, dwfl_standard_find_debuginfo, nullptr,
                            &debugInfoPath_};
  std::unordered_map<uint32_t, Dwfl *> processes_; // nullptr: its maps could not be read
};

} // namespace

std::unique_ptr<UserSymbolizer> makeUserSymbolizer() {
  return std::make_unique<DwflUserSymbols>();
}

} // namespace bt::rt
