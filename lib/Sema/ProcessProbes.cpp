// uprobes and usdt probes on the binary of btrun's -p PID: see ProcessProbes.h. Upstream
// reads the process's executable when it starts; btc compiles before any process is
// known, so it checks the spelling and names the function (or provider and probe), and
// btrun finds them in the process it is given (lib/Runtime/ProcessBinaries.cpp).
#include "ProcessProbes.h"

#include "bt/Basic/Glob.h"

namespace bt::sema {

bool namesNoBinary(const ast::AttachPoint &ap, ProbeType type) {
  if (type != ProbeType::Uprobe && type != ProbeType::Uretprobe && type != ProbeType::Usdt)
    return false;
  const auto &parts = ap.parts;
  // `uprobe:fn`, `usdt:probe`: one part that is no path (`uprobe:/bin/bash` lacks its
  // function, an error as before).
  if (parts.size() == 1)
    return !parts[0].empty() && parts[0].find('/') == std::string::npos;
  // usdt::provider:probe; uprobe::cpp:fn (refused below).
  return (parts.size() == 2 || parts.size() == 3) && parts[0].empty();
}

bool expandOnProcessBinary(const ast::AttachPoint &ap, ProbeType type, DiagnosticEngine &diags,
                           std::vector<Attachment> &out) {
  const char *kind = probeTypeName(type);
  const std::string &last = ap.parts.back();
  if (last.empty()) {
    diags.error(ap.range, std::string("invalid attach point, expected ") + probeKind(type).shape);
    return false;
  }
  std::string provider = type == ProbeType::Usdt && ap.parts.size() == 3 ? ap.parts[1] : "";
  // A usdt pattern (`usdt:*`, `usdt::prov:t*`) is kept as written: btrun matches it
  // against the notes of the process's files, as it finds an exact name there. A uprobe's
  // would be its symbols', which btrun reads for exact names only.
  if (type != ProbeType::Usdt && hasGlob(last)) {
    diags.error(ap.range, std::string("a wildcard in ") + kind + " '" + ap.text +
                              "' is not supported: it expands over the binary's symbols when "
                              "btc compiles, and without a binary that is the -p process's, "
                              "known only when btrun runs; name the binary");
    return false;
  }
  // C++ names are matched against the demangled symbols of the binary (ProbeFunctions.cpp's
  // `ns::fn`, `cpp:`), which only btc's read of it has.
  bool cpp = type != ProbeType::Usdt &&
             (ap.parts.size() == 3 || last.find("::") != std::string::npos ||
              last.find('(') != std::string::npos);
  if (cpp) {
    diags.error(ap.range, std::string("a C++ name in ") + kind + " '" + ap.text +
                              "' is not supported: btc matches it against the binary's " +
                              "demangled symbols when it compiles, and without a binary that " +
                              "is the -p process's, known only when btrun runs; name the binary");
    return false;
  }
  Attachment a;
  // The probe's name as upstream's parser reads it, with the binary left empty.
  std::string written = type == ProbeType::Usdt && ap.parts.size() == 3
                            ? (provider.empty() ? "" : provider + ":") + last
                            : last;
  // bpftrace 0.17's `probe` gives an address in decimal, however written.
  std::string named = written;
  if (auto addr = parseNumber(last); addr && type != ProbeType::Usdt)
    named = std::to_string(*addr);
  a.probeName = std::string(kind) + "::" + named;
  a.section = std::string(probeKind(type).section) + ":" + written;
  // bpftrace 0.17's `probe` names the binary it found (`uprobe:/proc/PID/root/PATH:fn`),
  // which btrun fills in (a `.bss` string) once it has found it.
  if (type != ProbeType::Usdt)
    a.probeNameAroundBinary.emplace(std::string(kind) + ":", ":" + named);
  if (type == ProbeType::Usdt) {
    a.provider = provider;
    a.name = last;
    out.push_back(std::move(a));
    return true;
  }
  if (auto addr = parseNumber(last)) {
    a.offset = *addr; // an address in the executable, which btrun finds the function of
    out.push_back(std::move(a));
    return true;
  }
  auto plus = last.rfind('+');
  a.symbol = last.substr(0, plus);
  if (plus != std::string::npos) {
    auto off = parseNumber(last.substr(plus + 1));
    if (!off || a.symbol.empty()) {
      diags.error(ap.range, std::string("invalid ") + kind + " offset in '" + last +
                                "', expected FUNCTION+OFFSET (decimal or 0x hex)");
      return false;
    }
    if (type == ProbeType::Uretprobe && *off != 0) {
      diags.error(ap.range, std::string(kind) + " cannot be attached at an offset into a "
                            "function ('" + last + "'): only at its entry is the word on top "
                            "of the stack the return address it replaces");
      return false;
    }
    a.offset = *off;
  }
  a.funcName = a.symbol;
  out.push_back(std::move(a));
  return true;
}

bool onProcessBinary(const Attachment &a, ProbeType type) {
  return a.path.empty() &&
         (type == ProbeType::Uprobe || type == ProbeType::Uretprobe || type == ProbeType::Usdt);
}

std::string needsBinaryAtCompileTime(const std::string &what, const Attachment &a) {
  return what + " in " + a.probeName + " is not supported: btc reads it from the binary " +
         "when it compiles, and a probe without a binary is on the -p process's, known " +
         "only when btrun runs; name the binary";
}

} // namespace bt::sema
