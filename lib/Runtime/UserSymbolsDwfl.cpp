// btrun's user symbolizer: elfutils' libdwfl over the process's /proc/PID/maps. The
// mappings are read when a process's first address is named and kept for the run: a
// process that has exited by then has no maps to read, and its addresses print in hex
// (as in bpftrace). The files are opened by path, so a process that exits after its
// mappings were read is still named. libdw is opened when the first address is named
// (DwLibrary.h); where it cannot be, addresses print in hex and one line says why.
#include "bt/Runtime/UserStacks.h"

#include "DwLibrary.h"

#include <unordered_map>

namespace bt::rt {

namespace {

class DwflUserSymbols : public UserSymbolizer {
public:
  explicit DwflUserSymbols(const DwLibrary &dw) : dw_(dw) {}
  ~DwflUserSymbols() override {
    for (auto &[pid, dwfl] : processes_)
      if (dwfl)
        dw_.dwfl_end(dwfl);
  }

  std::optional<Symbol> find(uint32_t pid, uint64_t address) override {
    Dwfl *dwfl = process(pid);
    if (!dwfl)
      return std::nullopt;
    Dwfl_Module *module = dw_.dwfl_addrmodule(dwfl, address);
    if (!module)
      return std::nullopt;
    GElf_Off offset = 0;
    GElf_Sym sym;
    const char *name =
        dw_.dwfl_module_addrinfo(module, address, &offset, &sym, nullptr, nullptr, nullptr);
    if (!name)
      return std::nullopt;
    const char *path = dw_.dwfl_module_info(module, nullptr, nullptr, nullptr, nullptr, nullptr,
                                            nullptr, nullptr);
    return Symbol{name, offset, path ? path : ""};
  }

  const char *limitation() const override { return ""; }

private:
  Dwfl *process(uint32_t pid) {
    auto [it, inserted] = processes_.try_emplace(pid, nullptr);
    if (!inserted)
      return it->second;
    Dwfl *dwfl = dw_.dwfl_begin(&callbacks_);
    if (!dwfl)
      return nullptr;
    if (dw_.dwfl_linux_proc_report(dwfl, static_cast<pid_t>(pid)) != 0 ||
        dw_.dwfl_report_end(dwfl, nullptr, nullptr) != 0) {
      dw_.dwfl_end(dwfl);
      return nullptr;
    }
    it->second = dwfl;
    return dwfl;
  }

  const DwLibrary &dw_;
  char *debugInfoPath_ = nullptr; // libdwfl's default search path
  Dwfl_Callbacks callbacks_{dw_.dwfl_linux_proc_find_elf, dw_.dwfl_standard_find_debuginfo,
                            nullptr, &debugInfoPath_};
  std::unordered_map<uint32_t, Dwfl *> processes_; // nullptr: its maps could not be read
};

// libdw could not be opened: every address prints in hex, as in btrun-static.
class UnloadedUserSymbols : public UserSymbolizer {
public:
  explicit UnloadedUserSymbols(const std::string &why)
      : limitation_("btrun: user stacks and usym print as addresses: " + why +
                    "; install libdw1 to name them") {}
  std::optional<Symbol> find(uint32_t, uint64_t) override { return std::nullopt; }
  const char *limitation() const override { return limitation_.c_str(); }

private:
  std::string limitation_;
};

} // namespace

std::unique_ptr<UserSymbolizer> makeUserSymbolizer() {
  std::string error;
  if (const DwLibrary *dw = DwLibrary::get(error))
    return std::make_unique<DwflUserSymbols>(*dw);
  return std::make_unique<UnloadedUserSymbols>(error);
}

} // namespace bt::rt
