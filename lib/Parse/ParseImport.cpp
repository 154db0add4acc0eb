// `import "name";` (bpftrace 0.24+): a script takes in the map declarations,
// functions, macros, probes and C of other scripts, and the declarations of C
// headers. A name is looked up in the importing script's directory, then in each
// ParseOptions::importDirs; it names a `.bt` file, a `.h` header or a directory, whose
// `.bt` files and headers are all imported (not its subdirectories). Each file is
// parsed on its own (its #define and #if stay its own) and imported once however
// often it is named; its items come before those of the script that imports it, so
// an imported begin probe runs first, as bpftrace orders them.
#include "Parser.h"

#include "bt/Basic/File.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>
#include <string_view>

namespace bt::parse {

using namespace ast;
namespace fs = std::filesystem;

void Parser::parseImport() {
  Token kw = take(); // import
  if (!at(Tok::String)) {
    errAt(peek(), "expected a quoted file name after 'import'");
    skipProbe();
    return;
  }
  Token name = take();
  if (!accept(Tok::Semi)) {
    errAt(peek(), "expected ';' after the import, found " + quoteTok(peek()));
    skipProbe();
    return;
  }
  imports_.push_back({name.value, span(kw.range, name.range)});
}

namespace {

// The file or its directory can be written by anyone: bpftrace will not import it.
bool writableByAnyone(const fs::path &p) {
  auto othersWrite = [](const fs::path &q) {
    std::error_code ec;
    auto st = fs::status(q, ec);
    return !ec && (st.permissions() & fs::perms::others_write) != fs::perms::none;
  };
  return othersWrite(p) || othersWrite(p.has_parent_path() ? p.parent_path() : fs::path("."));
}

// bpftrace (0.24+) falls back to its embedded standard library for a name no
// directory has: one of its C files, or a directory of them ("stdlib/strings"). They
// are the BPF C behind upstream's own builtins and macros (strlen, strerror,
// in_cgroup, usdt arguments, stack ids), callable from a script only by their internal
// `__` names; btc's builtins are its own, so such an import takes in nothing.
constexpr const char *kUpstreamStdlibFiles[] = {
    "stdlib/arch/arch.bpf.c",         "stdlib/cgroups/cgroups.bpf.c",
    "stdlib/hash/murmur2.bpf.c",      "stdlib/map/map.bpf.c",
    "stdlib/process/process.bpf.c",   "stdlib/process/task.bpf.c",
    "stdlib/recursion_check/recursion_check.bpf.c",
    "stdlib/socket/socket.bpf.c",     "stdlib/stack/dwunwind.bpf.c",
    "stdlib/stack/dwunwind_defs.h",   "stdlib/stack/expression.h",
    "stdlib/stack/stackid.bpf.c",     "stdlib/strings/errors.h",
    "stdlib/strings/signal.h",        "stdlib/strings/strings.bpf.c",
    "stdlib/strings/strings.h",       "stdlib/strings/syscall.h",
    "stdlib/system/system.bpf.c",     "stdlib/task/task.bpf.c",
    "stdlib/task/vma.bpf.c",          "stdlib/test/test.bpf.c",
    "stdlib/usdt/usdt.bpf.c",
};

bool isUpstreamStdlib(const std::string &name) {
  return name == "stdlib" || name.rfind("stdlib/", 0) == 0;
}

// One of upstream's standard library files, or a directory holding some.
bool inUpstreamStdlib(const std::string &name) {
  for (std::string_view file : kUpstreamStdlibFiles)
    if (file == name || fs::path(file).parent_path() == fs::path(name))
      return true;
  return false;
}

std::string upstreamStdlibDirectories() {
  std::set<std::string> dirs;
  for (std::string_view file : kUpstreamStdlibFiles)
    dirs.insert(fs::path(file).parent_path().string());
  std::string list;
  for (const std::string &d : dirs)
    list += (list.empty() ? "" : ", ") + d;
  return list;
}

// The name a `#define NAME ...` line defines, "" for any other line.
std::string definedMacro(const Preamble &p) {
  if (p.kind != Preamble::Define)
    return "";
  size_t at = p.text.find_first_not_of(" \t#");
  if (at == std::string::npos || p.text.compare(at, 6, "define") != 0)
    return "";
  at = p.text.find_first_not_of(" \t", at + 6);
  size_t end = at;
  while (end < p.text.size() && isIdentChar(p.text[end]))
    ++end;
  return at == std::string::npos ? "" : p.text.substr(at, end - at);
}

class Importer {
public:
  Importer(DiagnosticEngine &diags, const ParseOptions &options)
      : diags_(diags), options_(options) {}

  // Brings `imports` (of the file `from`, `prog`) into `prog`, before its own items.
  void resolve(Program &prog, const fs::path &from, const std::vector<ImportRequest> &imports);
  void enter(const fs::path &file) { chain_.push_back(file); }

private:
  void importPath(Program &into, const fs::path &path, const ImportRequest &req,
                  bool inDirectory);
  void importScript(Program &into, const fs::path &path, const ImportRequest &req);
  void importHeader(Program &into, const fs::path &path, const ImportRequest &req);

  DiagnosticEngine &diags_;
  const ParseOptions &options_;
  std::vector<fs::path> chain_;  // the scripts being imported, the first script first
  std::set<fs::path> imported_;  // every script and header imported so far
};

fs::path canonicalPath(const fs::path &p) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(p, ec);
  return ec ? p : c;
}

void prepend(Program &to, Program &&from) {
  auto before = [](auto &dst, auto &src) {
    dst.insert(dst.begin(), std::make_move_iterator(src.begin()),
               std::make_move_iterator(src.end()));
  };
  before(to.preamble, from.preamble);
  before(to.macros, from.macros);
  before(to.mapDecls, from.mapDecls);
  before(to.probes, from.probes);
  before(to.functions, from.functions);
}

void Importer::resolve(Program &prog, const fs::path &from,
                       const std::vector<ImportRequest> &imports) {
  fs::path dir = from.has_parent_path() ? from.parent_path() : fs::path(".");
  Program taken;
  for (const ImportRequest &req : imports) {
    std::vector<fs::path> bases{dir};
    for (const std::string &d : options_.importDirs)
      bases.emplace_back(d);
    std::string checked;
    bool found = false;
    for (const fs::path &base : bases) {
      fs::path path = base / req.name;
      std::error_code ec;
      if (!fs::exists(path, ec))  {
        checked += (checked.empty() ? "" : ", ") + path.string();
        continue;
      }
      if (writableByAnyone(path)) {
        diags_.warning(req.range, "skipping '" + path.string() +
                                      "': it or its directory is writable by anyone");
        continue;
      }
      importPath(taken, path, req, false);
      found = true;
      break;
    }
    if (!found && isUpstreamStdlib(req.name)) {
      if (!inUpstreamStdlib(req.name))
        diags_.error(req.range, "bpftrace's standard library has no '" + req.name +
                                    "' (its directories: " + upstreamStdlibDirectories() +
                                    ")");
    } else if (!found)
      diags_.error(req.range, "cannot find the import '" + req.name + "' (looked for " +
                                  (checked.empty() ? std::string("nothing safe") : checked) +
                                  ")");
  }
  prepend(prog, std::move(taken));
}

void Importer::importPath(Program &into, const fs::path &path, const ImportRequest &req,
                          bool inDirectory) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    if (inDirectory)
      return; // a directory imports its files, not its subdirectories
    std::vector<fs::path> entries;
    for (const auto &e : fs::directory_iterator(path, ec))
      entries.push_back(e.path());
    if (ec) {
      diags_.error(req.range, "cannot read the import '" + path.string() + "': " + ec.message());
      return;
    }
    std::sort(entries.begin(), entries.end());
    for (const fs::path &e : entries)
      importPath(into, e, req, true);
    return;
  }
  std::string ext = path.extension().string();
  std::string stemExt = path.stem().extension().string();
  if (ext == ".bt") {
    importScript(into, path, req);
  } else if (ext == ".h") {
    importHeader(into, path, req);
  } else if (stemExt == ".bpf" && (ext == ".c" || ext == ".o") && options_.cSources) {
    // A .bpf.c is compiled and linked as bitcode, a .bpf.o linked as it is
    // (lib/Lower/CSources.cpp, BpfObjects.cpp).
    fs::path file = canonicalPath(path);
    if (imported_.insert(file).second)
      options_.cSources->push_back({file.string(), req.range});
  } else if (stemExt == ".bpf" && ext == ".o") {
    diags_.error(req.range, "importing BPF objects ('" + path.filename().string() +
                                "') is not supported yet");
  } else if (stemExt == ".bpf" && ext == ".c") {
    diags_.error(req.range, "importing C sources ('" +
                                path.filename().string() + "') is not supported yet");
  } else if (!inDirectory) {
    diags_.error(req.range, "unknown import type: '" + path.filename().string() +
                                "' (a .bt script or a directory of them)");
  }
}

void Importer::importScript(Program &into, const fs::path &path, const ImportRequest &req) {
  fs::path file = canonicalPath(path);
  auto onChain = std::find(chain_.begin(), chain_.end(), file);
  if (onChain != chain_.end()) {
    std::string cycle;
    for (auto it = onChain; it != chain_.end(); ++it)
      cycle += it->filename().string() + " > ";
    diags_.error(req.range, "import cycle: " + cycle + file.filename().string());
    return;
  }
  if (!imported_.insert(file).second)
    return; // imported already, through another import
  std::string text;
  if (readWholeFile(path.string(), text) != FileReadError::None) {
    diags_.error(req.range,
                 "cannot read the import '" + path.string() + "': " + std::strerror(errno));
    return;
  }
  uint32_t index = diags_.addFile(path.string(), std::move(text));
  const SourceFile &source = diags_.fileOf(SourceLoc{0, 0, index});
  Parser parser(source, diags_, options_, index);
  std::optional<Program> prog = parser.run();
  if (!prog)
    return;
  // Its C (#include, C definitions and the #define lines they may use) joins the one
  // translation unit of the whole program, as upstream merges every script's C. Its
  // macros were expanded in its own text as it was read and stay its own: each is
  // #undef'd after its C, so the importer reads none of them as a C constant.
  std::vector<Preamble> c;
  std::vector<std::string> defined;
  for (Preamble &p : prog->preamble) {
    if (p.kind == Preamble::Config) {
      diags_.error(p.range, "a config block cannot be in an imported script (it sets the "
                            "importing script's options)");
      continue;
    }
    if (std::string name = definedMacro(p); !name.empty())
      defined.push_back(name);
    c.push_back(std::move(p));
  }
  for (const std::string &name : defined)
    c.push_back({Preamble::Define, "#undef " + name, c.back().range, {}});
  prog->preamble = std::move(c);
  chain_.push_back(file);
  resolve(*prog, path, parser.imports());
  chain_.pop_back();
  prepend(*prog, std::move(into));
  into = std::move(*prog);
}

// A header's declarations (structs, unions, enums, typedefs, macros) for the script's
// C, as `#include` of it by its full path at the import. Upstream (0.24+) hands an
// imported header only to the C sources it builds; taking it into the script's C too
// lets the script name what it declares, which is what importing a header is for here.
void Importer::importHeader(Program &into, const fs::path &path, const ImportRequest &req) {
  fs::path file = canonicalPath(path);
  if (file.string().find_first_of("\"\n\\") != std::string::npos) {
    diags_.error(req.range, "cannot import the header '" + file.string() +
                                "': its path has a character #include cannot quote");
    return;
  }
  if (imported_.insert(file).second)
    into.preamble.push_back({Preamble::Include, "#include \"" + file.string() + "\"", req.range, {}});
}

} // namespace

void resolveImports(Program &prog, const SourceFile &script,
                    const std::vector<ImportRequest> &imports, DiagnosticEngine &diags,
                    const ParseOptions &options) {
  // A program given with -e or on standard input imports from the current directory.
  bool named = script.name() != "-e" && script.name() != "stdin";
  fs::path from = named ? fs::path(script.name()) : fs::path("./-");
  Importer importer(diags, options);
  if (named)
    importer.enter(canonicalPath(from));
  importer.resolve(prog, from, imports);
}

} // namespace bt::parse
