// Attach points on functions: uprobe/uretprobe (a binary or library, a symbol, an
// offset or an address, wildcards over the binary's ELF symbols) and kprobe/kretprobe/
// fentry/fexit (a kernel function, an offset or an address, wildcards over the target's
// function list; fentry:bpf[:ID]:NAME, a running BPF program's function, for btrun to
// find). A wildcard becomes one attachment per match, as tracepoint wildcards do: the
// manifest names every symbol and btrun finds each in the binary it attaches to.
#include "SemaInternal.h"

#include "BtfTypes.h"

#include "bt/Basic/Glob.h"
#include "bt/Target/BtfFile.h"
#include "bt/Target/KernelModules.h"

#include <algorithm>
#include <cctype>
#include <cxxabi.h>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <glob.h>
#include <map>
#include <sys/stat.h>

namespace bt::sema {
namespace {

bool allDigits(const std::string &s) {
  if (s.empty())
    return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c)))
      return false;
  return true;
}

// "fn+0x10" -> fn and 16; "fn" -> fn and 0. False (reported) on a bad offset.
bool splitOffset(const ast::AttachPoint &ap, const std::string &spec, const char *kind,
                 DiagnosticEngine &diags, std::string &symbol, uint64_t &offset) {
  auto plus = spec.rfind('+');
  symbol = spec.substr(0, plus);
  offset = 0;
  if (plus == std::string::npos)
    return true;
  auto off = parseNumber(spec.substr(plus + 1));
  if (!off || symbol.empty()) {
    diags.error(ap.range, std::string("invalid ") + kind + " offset in '" + spec +
                              "', expected FUNCTION+OFFSET (decimal or 0x hex)");
    return false;
  }
  if (hasGlob(symbol)) {
    diags.error(ap.range, std::string("an offset cannot follow a wildcard in '") + spec + "'");
    return false;
  }
  offset = *off;
  return true;
}

// Matches of `pattern` (globs, brace alternatives) in `names`, in the order of `names`.
std::vector<std::string> matching(const std::vector<std::string> &names, const std::string &pattern) {
  std::vector<std::string> out;
  for (const auto &n : names)
    if (globMatches(pattern, n))
      out.push_back(n);
  return out;
}

// The file a uprobe names: a path, an executable in PATH, or a library name.
// Nothing, reported as `missing` says, when the target has no such file.
std::optional<std::string> uprobeFile(const ast::AttachPoint &ap, const TargetInfo &target,
                                      DiagnosticEngine &diags, obj::MissingProbes missing) {
  const std::string &file = ap.parts[0];
  auto path = target.resolveBinary(file);
  if (!path) {
    reportMissing(diags, missing, ap.range, path.error());
    return std::nullopt;
  }
  if (path->find('/') != std::string::npos)
    return *path;
  auto lib = target.resolveLibrary(file);
  if (lib)
    return *lib;
  reportMissing(diags, missing, ap.range,
                "uprobe target '" + file + "' is neither an executable in PATH nor a library: " +
                    lib.error());
  return std::nullopt;
}

// Whether the file at `path` can be read and does not start as an ELF object does: btc
// reads its symbols, so it refuses what bpftrace refuses when it starts. A file btc
// cannot read is no answer (btrun finds it where it runs).
bool readableNonElf(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return false;
  char magic[4] = {};
  in.read(magic, sizeof magic);
  return in.gcount() != sizeof magic || std::string(magic, 4) != "\x7f" "ELF";
}

// A C++ symbol's demangled name ("ns::fn(int)"), "" for a symbol that is not mangled.
std::string demangledName(const std::string &symbol) {
  if (symbol.rfind("_Z", 0) != 0)
    return "";
  int status = 0;
  char *d = abi::__cxa_demangle(symbol.c_str(), nullptr, nullptr, &status);
  std::string out = status == 0 && d ? d : "";
  std::free(d);
  return out;
}

// The symbols of a file that a uprobe's function `spec` (globs, brace alternatives)
// names, in the order of `symbols`. As bpftrace 0.17 matches: the symbol itself or its
// demangled name, with or without the parameter list ("ns::fn", "ns::fn(int)"). With
// `cppOnly` (upstream's `cpp:`): demangled names only, with the parameter list where
// `spec` has one.
std::vector<std::string> matchingSymbols(const std::vector<std::string> &symbols,
                                         const std::string &spec, bool cppOnly) {
  std::vector<std::string> out;
  bool withParameters = spec.find('(') != std::string::npos;
  for (const auto &sym : symbols) {
    // GCC's partial-inlining pieces (fn.part.0, from a debug file's .symtab) are left out
    // of wildcards, as bpftrace leaves them out: they are no function's entry.
    if (sym.find(".part.") != std::string::npos)
      continue;
    std::string demangled = demangledName(sym);
    std::string bare = demangled.substr(0, demangled.find('('));
    std::vector<std::string> names;
    if (!cppOnly)
      names = {sym, demangled, bare};
    else if (!demangled.empty())
      names = {withParameters ? demangled : bare};
    bool match = false;
    for (const auto &name : names)
      match |= !name.empty() && globMatches(spec, name);
    if (match)
      out.push_back(sym);
  }
  return out;
}

} // namespace

// The files a path with wildcards ("/usr/lib/*/libc.so.6") matches, sorted, as bpftrace
// globs a uprobe's path; read where btc runs, as a description's absolute paths are.
OrError<std::vector<std::string>> matchingPaths(const std::string &pattern,
                                                const TargetInfo &target) {
  using Result = OrError<std::vector<std::string>>;
  if (pattern.find('/') == std::string::npos)
    return Result::failure("the wildcard in '" + pattern + "' needs a path ('/' in it)");
  glob_t found{};
  // GLOB_BRACE: a path's brace lists expand as a function name's do (each sorted apart).
  int rc = ::glob(pattern.c_str(), GLOB_BRACE, nullptr, &found);
  std::vector<std::string> files;
  for (size_t i = 0; rc == 0 && i < found.gl_pathc; ++i) {
    struct stat st;
    if (::stat(found.gl_pathv[i], &st) == 0 && S_ISREG(st.st_mode))
      files.push_back(found.gl_pathv[i]);
  }
  ::globfree(&found);
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  if (files.empty())
    return Result::failure("no file matches '" + pattern + "' on " + target.name());
  return files;
}

bool refusedEveryProcess(const ast::AttachPoint &ap, const char *kind, DiagnosticEngine &diags) {
  if (ap.parts.empty() || ap.parts[0] != "*")
    return false;
  diags.error(ap.range, std::string(kind) + ":* (upstream: the binaries that running processes " +
                            "map) is not supported: which processes run is known only on the " +
                            "run host, and btc reads the binary when it compiles; name the " +
                            "binary, or a path with wildcards (" + kind + ":/usr/lib/*/libc.so.6:...)");
  return true;
}

bool expandUprobe(const ast::AttachPoint &ap, ProbeType type, const TargetInfo &target,
                  DiagnosticEngine &diags, std::vector<Attachment> &out,
                  obj::MissingProbes missing) {
  const ProbeKindInfo &info = probeKind(type);
  const char *kind = probeTypeName(type);
  if (refusedEveryProcess(ap, kind, diags))
    return false;
  bool filled = !ap.parts.empty();
  for (const auto &p : ap.parts)
    filled &= !p.empty();
  if (ap.parts.size() == 3 && filled && allDigits(ap.parts[2])) {
    diags.error(ap.range, std::string("source locations in ") + kind + "s ('" + ap.parts[1] +
                              ":" + ap.parts[2] + "') are not supported (bpftrace has none): "
                              "name a function, FUNCTION+OFFSET or an address");
    return false;
  }
  // uprobe:/path:cpp:fn names functions by their demangled C++ names, as upstream.
  bool cpp = ap.parts.size() == 3 && filled && ap.parts[1] == "cpp";
  if (ap.parts.size() == 3 && filled && !cpp) {
    diags.error(ap.range, std::string("language-qualified ") + kind + "s ('" + ap.parts[1] +
                              ":') are not supported yet (only 'cpp:' is)");
    return false;
  }
  if ((ap.parts.size() != 2 && !cpp) || !filled) {
    diags.error(ap.range, std::string("invalid attach point, expected ") + info.shape);
    return false;
  }
  const std::string &spec = ap.parts.back();
  auto add = [&](const std::string &path, const std::string &sym, const std::string &written) {
    Attachment m;
    m.path = path;
    m.symbol = m.funcName = sym;
    std::string rest = cpp ? "cpp:\"" + demangledName(sym) + "\"" : written;
    m.probeName = std::string(kind) + ":" + path + ":" + rest;
    m.section = info.section + path + ":" + rest;
    out.push_back(std::move(m));
  };
  // The symbols `spec` names in each file; none in any is the error.
  auto addMatches = [&](const std::vector<std::string> &files, const std::string &where) {
    bool any = false;
    for (const auto &file : files) {
      auto symbols = elfFunctionSymbols(file);
      if (!symbols && files.size() == 1) {
        diags.error(ap.range, (hasGlob(spec) ? std::string("cannot expand the wildcard in ")
                                                 : std::string("cannot read the functions of ")) +
                                  kind + " '" + spec + "': " + symbols.error());
        return false;
      }
      if (!symbols)
        continue; // a file a wildcard path matches that is no ELF file
      for (const auto &m : matchingSymbols(*symbols, spec, cpp)) {
        add(file, m, m);
        any = true;
      }
    }
    if (!any)
      return reportMissing(diags, missing, ap.range,
                           "no function matches '" + std::string(cpp ? "cpp:" : "") + spec +
                               "' in " + where);
    return true;
  };
  bool pathWildcard = hasGlob(ap.parts[0]);
  if (hasGlob(spec) && spec.find('+') != std::string::npos) {
    diags.error(ap.range, "an offset cannot follow a wildcard in '" + spec + "'");
    return false;
  }
  if (pathWildcard && (spec.find('+') != std::string::npos || parseNumber(spec))) {
    diags.error(ap.range, "an offset or address cannot follow a wildcard path in '" +
                              ap.text + "'");
    return false;
  }
  if (pathWildcard) {
    auto files = matchingPaths(ap.parts[0], target);
    if (!files)
      return reportMissing(diags, missing, ap.range, files.error());
    return addMatches(*files, ap.parts[0]);
  }
  auto path = uprobeFile(ap, target, diags, missing);
  if (!path)
    return missing != obj::MissingProbes::Error;
  if (readableNonElf(*path)) {
    diags.error(ap.range, std::string(kind) + " target '" + *path + "' is not an ELF file");
    return false;
  }
  if (cpp || hasGlob(spec))
    return addMatches({*path}, *path);
  if (auto addr = parseNumber(spec)) {
    Attachment a;
    a.path = *path;
    a.offset = *addr;
    // bpftrace 0.17's `probe` gives the address in decimal, however written.
    a.probeName = std::string(kind) + ":" + a.path + ":" + std::to_string(*addr);
    a.section = info.section + a.path + ":" + spec;
    out.push_back(a);
    return true;
  }
  std::string symbol;
  uint64_t offset = 0;
  if (!splitOffset(ap, spec, kind, diags, symbol, offset))
    return false;
  // The kernel swaps the word on top of the stack for its trampoline: the return address
  // only at the entry (bpftrace refuses it too); an address is checked by btrun.
  if (type == ProbeType::Uretprobe && offset != 0) {
    diags.error(ap.range, std::string(kind) + " cannot be attached at an offset into a "
                          "function ('" + spec + "'): only at its entry is the word on top "
                          "of the stack the return address it replaces");
    return false;
  }
  // A name that is no symbol of the file may be a C++ function's demangled name
  // (bpftrace 0.17's "ns::fn" for _ZN2ns2fnEi); a file btc cannot read keeps it as
  // written, for btrun to find.
  if (offset == 0) {
    auto symbols = elfFunctionSymbols(*path);
    if (symbols && !std::binary_search(symbols->begin(), symbols->end(), symbol)) {
      auto demangled = matchingSymbols(*symbols, symbol, false);
      for (const auto &m : demangled)
        add(*path, m, m);
      if (!demangled.empty())
        return true;
    }
  }
  add(*path, symbol, spec);
  out.back().offset = offset;
  return true;
}

namespace {

// fentry:bpf[:ID]:NAME: the functions (a program or its subprograms) of the BPF programs
// running on the run host that NAME (a glob, brace alternatives) names, of program ID
// only when given (`*`: any program). Which programs run is known only there, so btc
// checks the spelling and btrun finds the matches when it loads the object, one copy of
// the program each.
bool expandBpfProgramFunction(const ast::AttachPoint &ap, ProbeType type,
                              DiagnosticEngine &diags, std::vector<Attachment> &out) {
  const char *kind = probeTypeName(type);
  const std::string &name = ap.parts.back();
  if (ap.parts.size() > 3 || name.empty()) {
    diags.error(ap.range, std::string("invalid attach point, expected ") + kind +
                              ":bpf[:prog_id]:prog_name");
    return false;
  }
  std::optional<uint64_t> id;
  // Upstream's `*` for the id is any program: a wildcard as one in the name is.
  bool anyProgram = ap.parts.size() == 3 && ap.parts[1] == "*";
  if (ap.parts.size() == 3 && !anyProgram) {
    id = parseNumber(ap.parts[1]);
    if (!id || *id == 0 || *id > UINT32_MAX) {
      diags.error(ap.range, "'" + ap.parts[1] + "' in " + kind +
                                ":bpf[:prog_id]:prog_name is no BPF program id");
      return false;
    }
  }
  Attachment a;
  a.symbol = a.funcName = name;
  a.onBpfProgram = true;
  a.bpfProgramId = id;
  std::string written =
      "bpf:" + (id ? std::to_string(*id) + ":" : anyProgram ? "*:" : std::string()) + name;
  a.probeName = std::string(kind) + ":" + written;
  a.section = probeKind(type).section + written;
  out.push_back(std::move(a));
  return true;
}

// kprobe:MODULE:fn*: the functions the target lists for that module (ftrace's
// "fn [module]" tags, or the module's BTF), each attached as "MODULE:fn".
template <typename AddOne>
bool expandModuleWildcard(const ast::AttachPoint &ap, ProbeType type, const TargetInfo &target,
                          const std::string &module, const std::string &pattern,
                          DiagnosticEngine &diags, AddOne addOne, obj::MissingProbes missing) {
  std::string written = std::string(probeTypeName(type)) + " '" + module + ":" + pattern + "'";
  auto functions = target.moduleFunctions(module);
  if (!functions) {
    diags.error(ap.range, "cannot expand the wildcard in " + written + ": " + functions.error());
    return false;
  }
  auto matches = matching(*functions, pattern);
  dropUntraceableByBpftrace(matches);
  dropKprobeBlacklisted(type, target, matches);
  if (matches.empty())
    return reportMissing(diags, missing, ap.range,
                         "no function of kernel module '" + module + "' matches '" + pattern +
                             "' on " + target.name() +
                             (functions->empty() ? " (it lists none of that module)" : ""));
  for (const auto &m : matches)
    addOne(m, 0, m);
  return true;
}

// kprobe:mod*:fn, fentry:*:fn*: each module the pattern matches ("vmlinux" is the kernel's
// own, as upstream names it) and each of its functions `spec` matches, attached as
// "MODULE:fn", by module then function as upstream lists them.
bool expandModulePattern(const ast::AttachPoint &ap, ProbeType type, const TargetInfo &target,
                         const std::string &modules, const std::string &spec,
                         DiagnosticEngine &diags, std::vector<Attachment> &out,
                         obj::MissingProbes missing) {
  const char *kind = probeTypeName(type);
  std::string written = std::string(kind) + " '" + modules + ":" + spec + "'";
  if (spec.find('+') != std::string::npos) {
    diags.error(ap.range, "an offset cannot follow a wildcard module in " + written);
    return false;
  }
  auto *lister = dynamic_cast<const KernelModuleList *>(&target);
  auto known = lister ? lister->kernelModules()
                      : OrError<std::vector<std::string>>::failure(
                            target.name() + " does not say which modules it has");
  if (!known) {
    diags.error(ap.range, "cannot expand the wildcard in " + written + ": " + known.error());
    return false;
  }
  std::vector<std::string> names = std::move(*known);
  names.push_back("vmlinux");
  std::sort(names.begin(), names.end());
  size_t before = out.size();
  for (const std::string &module : matching(names, modules)) {
    auto functions = target.moduleFunctions(module);
    if (!functions) {
      diags.error(ap.range, "cannot expand the wildcard in " + written + ": " + functions.error());
      return false;
    }
    std::vector<std::string> matches = matching(*functions, spec);
    dropUntraceableByBpftrace(matches);
    dropKprobeBlacklisted(type, target, matches);
    for (const std::string &fn : matches) {
      Attachment a;
      a.symbol = a.funcName = fn;
      a.module = module == "vmlinux" ? "" : module;
      a.probeName = std::string(kind) + ":" + module + ":" + fn;
      a.section = probeKind(type).section + module + ":" + fn;
      out.push_back(std::move(a));
    }
  }
  if (out.size() == before)
    return reportMissing(diags, missing, ap.range,
                         "no kernel function matches '" + modules + ":" + spec + "' on " +
                             target.name());
  return true;
}

} // namespace

bool expandKernelFunction(const ast::AttachPoint &ap, ProbeType type, const TargetInfo &target,
                          DiagnosticEngine &diags, std::vector<Attachment> &out,
                  obj::MissingProbes missing) {
  const ProbeKindInfo &info = probeKind(type);
  const char *kind = probeTypeName(type);
  bool tracing = type == ProbeType::Fentry || type == ProbeType::Fexit;
  bool filled = !ap.parts.empty();
  for (const auto &p : ap.parts)
    filled &= !p.empty();
  // fentry:[module:]fn; fentry:bpf:[id:]prog names a loaded BPF program.
  if (tracing && ap.parts.size() >= 2 && ap.parts[0] == "bpf")
    return expandBpfProgramFunction(ap, type, diags, out);
  if (!filled || ap.parts.size() > 2) {
    diags.error(ap.range, std::string("invalid attach point, expected ") + info.shape);
    return false;
  }
  const std::string &spec = ap.parts.back();
  // kprobe:MODULE:fn, as upstream: btrun asks the kernel for "MODULE:fn"; fentry's
  // function is the one in that module's BTF (checkTracingTargets).
  std::string module = ap.parts.size() == 2 ? ap.parts[0] : "";
  if (!module.empty() && parseNumber(spec)) {
    diags.error(ap.range, std::string(kind) +
                              ":MODULE: takes a function name (an address has no module)");
    return false;
  }
  if (hasGlob(module))
    return expandModulePattern(ap, type, target, module, spec, diags, out, missing);
  // kprobe:vmlinux:fn, fentry:vmlinux:fn: the kernel's own function, as upstream spells it.
  bool inVmlinux = module == "vmlinux";
  std::string prefix = module.empty() ? "" : module + ":";
  auto addOne = [&](const std::string &sym, uint64_t offset, const std::string &written) {
    Attachment a;
    a.symbol = a.funcName = sym;
    a.module = inVmlinux ? "" : module;
    a.offset = offset;
    a.probeName = std::string(kind) + ":" + prefix + written;
    a.section = info.section + prefix + written;
    out.push_back(std::move(a));
  };
  if (auto addr = parseNumber(spec)) {
    if (type != ProbeType::Kprobe) {
      diags.error(ap.range, std::string(kind) + " needs a function name, not the address '" +
                                spec + "'");
      return false;
    }
    Attachment a;
    a.address = *addr;
    a.probeName = std::string(kind) + ":" + spec;
    a.section = info.section + spec;
    out.push_back(std::move(a));
    return true;
  }
  std::string symbol = spec;
  uint64_t offset = 0;
  if (tracing) {
    if (spec.find('+') != std::string::npos) {
      diags.error(ap.range, std::string(kind) + " cannot take an offset ('" + spec + "')");
      return false;
    }
  } else if (!splitOffset(ap, spec, kind, diags, symbol, offset)) {
    return false;
  }
  // A kretprobe is the function's entry (where its return address is swapped), so an
  // offset would be silently ignored or refused by the kernel; bpftrace refuses it too.
  if (type == ProbeType::Kretprobe && offset != 0) {
    diags.error(ap.range, std::string(kind) + " cannot be attached at an offset into a "
                          "function ('" + spec + "'): a return probe is placed at its entry");
    return false;
  }
  if (!hasGlob(symbol)) {
    // Missing as upstream has it: its traceable functions leave these out.
    if (std::string why = untraceableByBpftrace(symbol); !why.empty())
      return reportMissing(diags, missing, ap.range,
                           std::string("no matches for ") + kind + " " + prefix + symbol + ": " +
                               why);
    // Where the target's functions are its BTF's, fentry's own check (below) says so.
    if (!(tracing && target.functionsFromBtf()) && target.function(symbol) == Support::No)
      return reportMissing(diags, missing, ap.range,
                           "function '" + symbol + "' not found on " +
                               target.nameLackingFunction(symbol));
    if (std::string on = tracing ? "" : kprobeBlacklistedOn(target, symbol); !on.empty())
      return reportMissing(diags, missing, ap.range,
                           std::string("no matches for ") + kind + " " + prefix + symbol +
                               ": the kprobe blacklist of " + on +
                               " names it (the kernel attaches no kprobe there)");
    // Where the target says which module has which function, the module must have it.
    if (!module.empty() && !inVmlinux) {
      auto inModule = target.moduleFunctions(module);
      if (inModule && !std::binary_search(inModule->begin(), inModule->end(), symbol))
        return reportMissing(diags, missing, ap.range,
                             "function '" + symbol + "' not found in kernel module '" + module +
                                 "' on " + target.name());
    }
    addOne(symbol, offset, spec);
    return true;
  }
  if (!module.empty() && !inVmlinux)
    return expandModuleWildcard(ap, type, target, module, symbol, diags, addOne, missing);
  auto functions = target.functions();
  if (!functions) {
    diags.error(ap.range, std::string("cannot expand the wildcard in ") + kind + " '" + spec +
                              "': " + functions.error());
    return false;
  }
  auto matches = matching(*functions, symbol);
  std::string firstMatch = matches.empty() ? "" : matches.front();
  if (size_t unsafe = dropUntraceableByBpftrace(matches); unsafe && matches.empty())
    return reportMissing(diags, missing, ap.range,
                         "no kernel function bpftrace traces matches '" + symbol + "' on " +
                             target.name() + ": the " + std::to_string(unsafe) +
                             " that match are left out (" + untraceableByBpftrace(firstMatch) +
                             ")");
  if (size_t listed = dropKprobeBlacklisted(type, target, matches); listed && matches.empty())
    return reportMissing(diags, missing, ap.range,
                         "no kernel function a kprobe attaches to matches '" + symbol +
                             "' on " + target.name() + ": the " + std::to_string(listed) +
                             " that match are on its kprobe blacklist");
  if (matches.empty() && target.functionsFromBtf() && !tracing) {
    // ftrace would list a clone (lookup_fast.constprop.0) that BTF never names, so an
    // attach point that only clones can match is left out, as it is where none exists.
    // fentry and fexit attach through BTF only: no match there is no function.
    // The functions are --btf FILE's where the target lists none of its own.
    auto file = functionsBtfFile(target);
    std::string btf = file ? "BTF file '" + *file + "'" : target.name() + "'s BTF";
    diags.warning(ap.range, "no kernel function in " + btf + " matches '" + symbol +
                                "' (BTF names no compiler clones such as "
                                "fn.constprop.0): this attach point is left out");
    return true;
  }
  if (matches.empty())
    return reportMissing(diags, missing, ap.range,
                         "no kernel function matches '" + symbol + "' on " + target.name());
  for (const auto &m : matches)
    addOne(m, 0, m);
  return true;
}

namespace {
// Whether a kernel module of the target has `function` (fentry:fn without its module:
// libbpf finds it in the module's BTF when btrun attaches, as upstream finds its module).
bool inSomeModule(const TargetInfo &target, const std::string &function) {
  auto *lister = dynamic_cast<const KernelModuleList *>(&target);
  auto modules = lister ? lister->kernelModules() : OrError<std::vector<std::string>>::failure("");
  if (!modules)
    return false;
  for (const std::string &module : *modules) {
    auto functions = target.moduleFunctions(module);
    if (functions && std::find(functions->begin(), functions->end(), function) != functions->end())
      return true;
  }
  return false;
}
} // namespace

bool checkTracingTargets(ProbeInfo &pi, const TargetInfo &target, BtfTypes &btf,
                         DiagnosticEngine &diags, obj::MissingProbes missing) {
  // rawtracepoint:MODULE:event: a module the target lacks is refused, as upstream's
  // "No BTF found for MODULE:event", rather than attaching the event of another.
  if (pi.type == ProbeType::RawTracepoint) {
    bool ok = true;
    for (const Attachment &a : pi.attachments)
      if (!a.module.empty())
        if (std::string lacking = btf.useModule(a.module); !lacking.empty()) {
          diags.error(a.attachPoint->range, "rawtracepoint:" + a.module + ":" + a.name + ": " +
                                                lacking);
          ok = false;
        }
    return ok;
  }
  if (pi.type != ProbeType::Fentry && pi.type != ProbeType::Fexit)
    return true;
  const char *kind = probeTypeName(pi.type);
  bool ok = true;
  std::vector<Attachment> kept;
  // Per wildcard attach point: how many of its matches are left out, and the first.
  std::map<const ast::AttachPoint *, std::pair<size_t, std::string>> leftOut;
  size_t missingNamed = 0; // named functions the BTF lacks, left out as `missing` says
  for (Attachment &a : pi.attachments) {
    // fentry:MODULE:fn: the function of that module's BTF, which btc types the script with.
    std::string why;
    // A match of a wildcard (in the function or the module) the kernel cannot attach to
    // is left out; a function named is an error.
    const auto &parts = a.attachPoint->parts;
    bool matched = parts.back() != a.symbol || (parts.size() == 2 && hasGlob(parts[0]));
    if (!a.module.empty()) {
      if (std::string lacking = btf.useModule(a.module); !lacking.empty()) {
        if (!matched) {
          diags.error(a.attachPoint->range, lacking);
          ok = false;
          continue;
        }
        why = lacking;
      } else if (!btf.hasFunction(a.symbol, a.module))
        why = "it is not in the BTF of kernel module '" + a.module + "' (" +
              btf.modulePath(a.module) + ")";
    } else if (!a.onBpfProgram && btf.load() && !btf.hasFunction(a.symbol, "") &&
               !inSomeModule(target, a.symbol)) {
      // The kernel attaches fentry through the function's BTF: one the BTF lacks is none,
      // upstream's "No matches for fentry FN".
      if (!matched) {
        ok &= reportMissing(diags, missing, a.attachPoint->range,
                            std::string("no matches for ") + kind + " " + a.symbol +
                                ": no function '" + a.symbol + "' in the kernel's BTF on " +
                                btf.targetName());
        ++missingNamed;
        continue;
      }
      why = "it is not in the kernel's BTF on " + btf.targetName();
    }
    if (why.empty() && !a.onBpfProgram)
      why = btf.untraceable(a.symbol, a.module);
    if (why.empty()) {
      kept.push_back(std::move(a));
    } else if (!matched) {
      diags.error(a.attachPoint->range, std::string("the kernel cannot attach ") + kind +
                                            " to '" + a.symbol + "': " + why);
      ok = false;
    } else if (leftOut[a.attachPoint].first++ == 0) {
      leftOut[a.attachPoint].second = "'" + a.symbol + "': " + why;
    }
  }
  for (const auto &[ap, n] : leftOut)
    diags.warning(ap->range, std::to_string(n.first) + " function" + (n.first > 1 ? "s" : "") +
                                 " that '" + ap->parts.back() + "' matches " +
                                 (n.first > 1 ? "are" : "is") + " left out: the kernel cannot " +
                                 "attach " + kind + " to them (" + n.second +
                                 (n.first > 1 ? ", ..." : "") + ")");
  bool allMissing = missingNamed == pi.attachments.size();
  pi.attachments = std::move(kept);
  if (ok && allMissing) // each was reported as missing_probes says
    return true;
  if (ok && pi.attachments.empty()) {
    diags.error(pi.probe->range, std::string("the kernel cannot attach ") + kind +
                                     " to any function that probe '" + pi.text + "' matches");
    ok = false;
  }
  return ok;
}

} // namespace bt::sema
