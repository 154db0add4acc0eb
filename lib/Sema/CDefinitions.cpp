// Parsing the script's C with libclang: the source clang sees, its diagnostics at
// the script's lines, and what the translation unit defines.
#include "CDefinitions.h"

#include "BtfTypes.h"
#include "CDefinitionsKernelHeaders.h"
#include "CDefinitionsState.h"

#include <cstdlib>
#include <cstring>

namespace bt::sema {

namespace {

// The name clang gives the script's C; diagnostics there are the script's own.
constexpr const char *kMainFile = "/btc/script.c";
// Where the script's macros are evaluated, one a line, after the script's C.
constexpr const char *kMacroFile = "/btc/macros.c";
// The kernel types filled in from BTF, included before the script's C.
constexpr const char *kBtfHeader = "/btc/btf-types.h";

// The name a #line gives the C of the script's file `index` (0: the script itself;
// N: the Nth file it imports) and back, for clang's diagnostics.
constexpr const char *kImportedFilePrefix = "/btc/imported-";
std::string presumedFileName(uint32_t index) {
  return index == 0 ? kMainFile : kImportedFilePrefix + std::to_string(index) + ".c";
}
std::optional<uint32_t> presumedFileIndex(const std::string &name) {
  if (name == kMainFile)
    return 0;
  size_t prefix = std::strlen(kImportedFilePrefix);
  if (name.compare(0, prefix, kImportedFilePrefix) != 0)
    return std::nullopt;
  return uint32_t(std::strtoul(name.c_str() + prefix, nullptr, 10));
}

// "struct path" of clang's "field has incomplete type 'struct path'".
// A type name the script's C uses without declaring it (`uint32_t`, `u64`, `pid_t`) is
// the kernel's typedef, as bpftrace's C parse finds it in the kernel's BTF: "typedef NAME".
std::optional<std::string> undefinedKernelType(const std::string &message) {
  for (const char *marker : {"incomplete type '", "incomplete definition of type '",
                             "unknown type name '"}) {
    size_t at = message.find(marker);
    if (at == std::string::npos)
      continue;
    bool typeName = marker[0] == 'u';
    at += std::string(marker).size();
    size_t end = message.find('\'', at);
    if (end != std::string::npos)
      return (typeName ? "typedef " : "") + message.substr(at, end - at);
  }
  return std::nullopt;
}

// The script's first #include, else its first line of C.
SourceRange includeRange(const std::vector<const ast::Preamble *> &c) {
  for (const ast::Preamble *p : c)
    if (p->kind == ast::Preamble::Include)
      return p->range;
  return c.front()->range;
}

// The #include (or header import) of the program's C through which the header of a
// diagnostic came in: the bottom of the header's inclusion stack, a line of a script's
// C. The first #include when there is none (the BTF header, given with -include).
SourceRange includedThrough(const ClangLibrary &clang, CXTranslationUnit unit, CXDiagnostic d,
                            const std::vector<const ast::Preamble *> &c) {
  struct Search {
    const ClangLibrary &clang;
    CXFile header = nullptr;
    std::optional<CXSourceLocation> include = std::nullopt;
  } search{clang};
  unsigned line = 0, col = 0, offset = 0;
  clang.clang_getExpansionLocation(clang.clang_getDiagnosticLocation(d), &search.header, &line,
                                   &col, &offset);
  clang.clang_getInclusions(
      unit,
      [](CXFile included, CXSourceLocation *stack, unsigned depth, CXClientData data) {
        auto &s = *static_cast<Search *>(data);
        if (depth > 0 && s.header && s.clang.clang_File_isEqual(included, s.header))
          s.include = stack[depth - 1];
      },
      &search);
  if (search.include) {
    CXString name;
    clang.clang_getPresumedLocation(*search.include, &name, &line, &col);
    const char *n = clang.clang_getCString(name);
    std::optional<uint32_t> file = presumedFileIndex(n ? n : "");
    clang.clang_disposeString(name);
    for (const ast::Preamble *p : c)
      if (file && p->kind == ast::Preamble::Include && p->range.begin.file == *file &&
          p->range.begin.line == line)
        return p->range;
  }
  return includeRange(c);
}

} // namespace

CDefinitions::State::~State() {
    if (unit)
      clang->clang_disposeTranslationUnit(unit);
    if (index)
      clang->clang_disposeIndex(index);
  }

std::string CDefinitions::State::text(CXString s) const {
    const char *c = clang->clang_getCString(s);
    std::string r = c ? c : "";
    clang->clang_disposeString(s);
    return r;
  }

CXTranslationUnit CDefinitions::State::parseSource(const std::string &src) const {
    std::vector<const char *> argv;
    for (const std::string &a : args)
      argv.push_back(a.c_str());
    CXUnsavedFile files[] = {{kMainFile, src.data(), (unsigned long)src.size()},
                             {kBtfHeader, btfHeader.data(), (unsigned long)btfHeader.size()}};
    if (!btfHeader.empty()) {
      argv.push_back("-include");
      argv.push_back(kBtfHeader);
    }
    CXTranslationUnit tu = nullptr;
    unsigned flags = CXTranslationUnit_DetailedPreprocessingRecord |
                     CXTranslationUnit_SkipFunctionBodies | CXTranslationUnit_KeepGoing;
    if (clang->clang_parseTranslationUnit2(index, kMainFile, argv.data(), int(argv.size()),
                                           files, btfHeader.empty() ? 1 : 2, flags,
                                           &tu) != CXError_Success)
      return nullptr;
    return tu;
  }

  // Whether a macro's tokens can make an integer constant expression: no strings,
  // braces or statements, no keywords but those of a cast or sizeof.
bool CDefinitions::State::maybeInteger(CXCursor macro) const {
    CXToken *tokens = nullptr;
    unsigned n = 0;
    clang->clang_tokenize(unit, clang->clang_getCursorExtent(macro), &tokens, &n);
    bool ok = n > 1;
    static const std::set<std::string> castWords = {"sizeof", "int",   "long",   "short",
                                                    "char",   "signed", "unsigned"};
    for (unsigned i = 1; i < n && ok; ++i) {
      std::string t = text(clang->clang_getTokenSpelling(unit, tokens[i]));
      switch (clang->clang_getTokenKind(tokens[i])) {
      case CXToken_Keyword: ok = castWords.count(t) > 0; break;
      case CXToken_Literal: ok = t[0] != '"'; break;
      case CXToken_Punctuation: ok = t != "{" && t != "}" && t != ";" && t != "#" && t != "##"; break;
      default: break;
      }
    }
    clang->clang_disposeTokens(unit, tokens, n);
    return ok;
  }

void CDefinitions::State::collect() {
    clang->clang_visitChildren(
        clang->clang_getTranslationUnitCursor(unit),
        [](CXCursor c, CXCursor parent, CXClientData data) {
          auto &s = *static_cast<State *>(data);
          const ClangLibrary &L = *s.clang;
          CXCursorKind kind = L.clang_getCursorKind(c);
          bool fromScript = L.clang_Location_isFromMainFile(L.clang_getCursorLocation(c)) != 0;
          switch (kind) {
          case CXCursor_StructDecl:
          case CXCursor_UnionDecl:
          case CXCursor_EnumDecl: {
            if (L.clang_Cursor_isAnonymousRecordDecl(c))
              return CXChildVisit_Recurse;
            std::string name = s.text(L.clang_getTypeSpelling(L.clang_getCursorType(c)));
            auto &table = kind == CXCursor_EnumDecl ? s.enums : s.records;
            auto it = table.find(name);
            // A definition replaces a declaration, never the other way round.
            if (it == table.end() || L.clang_isCursorDefinition(c))
              table[name] = {c, fromScript};
            return CXChildVisit_Recurse;
          }
          case CXCursor_TypedefDecl:
            s.typedefs[s.text(L.clang_getCursorSpelling(c))] = {c, fromScript};
            return CXChildVisit_Continue;
          case CXCursor_EnumConstantDecl: {
            std::string name = s.text(L.clang_getCursorSpelling(c));
            s.enumerators[name] = L.clang_getEnumConstantDeclValue(c);
            if (fromScript)
              s.scriptEnumerators[name] = s.text(L.clang_getTypeSpelling(L.clang_getCursorType(parent)));
            else
              s.scriptEnumerators.erase(name);
            return CXChildVisit_Continue;
          }
          case CXCursor_MacroDefinition: {
            std::string name = s.text(L.clang_getCursorSpelling(c));
            // `__X__` names are the toolchain's and the headers' own (__GLIBC__); other
            // reserved names can be constants scripts read (asm/unistd.h's __NR_read).
            // An include guard has no value, so maybeInteger leaves it out.
            bool toolchain = name.size() > 4 && name.compare(0, 2, "__") == 0 &&
                             name.compare(name.size() - 2, 2, "__") == 0;
            if (name.empty())
              return CXChildVisit_Continue;
            if (toolchain)
              s.otherMacros[name] = "a macro of the compiler or the C library's own (btc reads "
                                    "no __NAME__ macro as a constant)";
            else if (L.clang_Cursor_isMacroFunctionLike(c))
              s.otherMacros[name] = "a function-like macro, which is never expanded in a script";
            else if (s.maybeInteger(c))
              s.macroCandidates.push_back(name);
            else
              s.otherMacros[name] = "a macro whose value is no integer constant";
            return CXChildVisit_Continue;
          }
          default:
            return CXChildVisit_Continue;
          }
        },
        this);
  }

  // Every candidate macro as an enumerator of its own, in one more parse: clang
  // evaluates what is an integer constant; the rest are errors, ignored.
void CDefinitions::State::evaluateMacros() {
    macrosEvaluated = true;
    if (macroCandidates.empty())
      return;
    // Candidate i on line i + 1 of a file of its own: an error there leaves it out,
    // whatever value clang's recovery gave the enumerator. A macro #undef'd before the
    // end (an imported script's are) is no macro at all there: an unknown name.
    std::string src = source + "\n#line 1 \"" + kMacroFile + "\"\n";
    for (size_t i = 0; i < macroCandidates.size(); ++i)
      src += "enum { __btc_macro_" + std::to_string(i) + " = (" + macroCandidates[i] + ") };\n";
    CXTranslationUnit tu = parseSource(src);
    if (!tu)
      return;
    std::set<std::string> failed, undefined;
    for (unsigned i = 0, n = clang->clang_getNumDiagnostics(tu); i < n; ++i) {
      CXDiagnostic d = clang->clang_getDiagnostic(tu, i);
      CXString file;
      unsigned line = 0, col = 0;
      clang->clang_getPresumedLocation(clang->clang_getDiagnosticLocation(d), &file, &line, &col);
      if (clang->clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error && text(file) == kMacroFile &&
          line >= 1 && line <= macroCandidates.size()) {
        failed.insert("__btc_macro_" + std::to_string(line - 1));
        const std::string &name = macroCandidates[line - 1];
        if (text(clang->clang_getDiagnosticSpelling(d)) == "use of undeclared identifier '" + name + "'")
          undefined.insert(name);
      }
      clang->clang_disposeDiagnostic(d);
    }
    struct Found {
      State *s;
      const std::set<std::string> *failed;
      std::map<std::string, int64_t> values;
    } found{this, &failed, {}};
    clang->clang_visitChildren(
        clang->clang_getTranslationUnitCursor(tu),
        [](CXCursor c, CXCursor, CXClientData data) {
          auto &f = *static_cast<Found *>(data);
          const ClangLibrary &L = *f.s->clang;
          CXCursorKind kind = L.clang_getCursorKind(c);
          if (kind == CXCursor_EnumDecl)
            return CXChildVisit_Recurse;
          if (kind == CXCursor_EnumConstantDecl) {
            std::string name = f.s->text(L.clang_getCursorSpelling(c));
            if (name.compare(0, 12, "__btc_macro_") == 0 && !f.failed->count(name))
              f.values[name] = L.clang_getEnumConstantDeclValue(c);
          }
          return CXChildVisit_Continue;
        },
        &found);
    for (size_t i = 0; i < macroCandidates.size(); ++i)
      if (auto it = found.values.find("__btc_macro_" + std::to_string(i)); it != found.values.end())
        macroValues[macroCandidates[i]] = it->second;
      else if (!undefined.count(macroCandidates[i]))
        otherMacros[macroCandidates[i]] = "a macro whose value is no integer constant";
    clang->clang_disposeTranslationUnit(tu);
  }

CDefinitions::CDefinitions(std::unique_ptr<State> state) : s_(std::move(state)) {}
CDefinitions::~CDefinitions() = default;

std::unique_ptr<CDefinitions> CDefinitions::parse(const std::vector<const ast::Preamble *> &c,
                                                  const Options &options, BtfTypes *btf,
                                                  DiagnosticEngine &diags) {
  SourceRange first = c.front()->range;
  std::string loadError;
  const ClangLibrary *clang = ClangLibrary::get(loadError);
  if (!clang) {
    diags.error(first, loadError);
    return nullptr;
  }
  auto s = std::make_unique<State>();
  s->clang = clang;
  s->btf = btf;
  // Each line at its place in its file, so that clang's line:col is the file's. An
  // imported script's C (or an imported header's #include), and a line that comes back
  // above the last one, start after a #line naming the file: the C stays the main file's
  // for clang (an imported script's records are the script's own), only the place moves.
  uint32_t file = 0;
  unsigned line = 1, col = 1;
  for (const ast::Preamble *p : c) {
    SourceLoc at = p->range.begin;
    if (at.file != file || at.line < line || (at.line == line && at.col < col)) {
      s->source += col == 1 ? "" : "\n";
      s->source += "#line " + std::to_string(at.line) + " \"" + presumedFileName(at.file) + "\"\n";
      file = at.file, line = at.line, col = 1;
    }
    for (; line < p->range.begin.line; ++line, col = 1)
      s->source += '\n';
    for (; col < p->range.begin.col; ++col)
      s->source += ' ';
    s->source += p->text;
    for (char ch : p->text)
      if (ch == '\n')
        ++line, col = 1;
      else
        ++col;
    // bpftrace takes `struct x { ... }` without its ';' (upstream's runqlen); clang needs it.
    if (p->kind == ast::Preamble::CDefinition && !p->text.empty() && p->text.back() == '}')
      s->source += ';', ++col;
  }
  s->source += '\n';
  s->args = {"-x", "c", "-std=gnu11", "--target=" + options.triple, "-ferror-limit=0",
             "-fno-color-diagnostics"};
  for (const std::string &d : options.quoteDirs)
    s->args.push_back("-iquote" + d);
  for (const std::string &d : options.includeDirs)
    s->args.push_back("-I" + d);
  // The header tree is looked for only when the script includes something.
  for (const ast::Preamble *p : c)
    s->includes |= p->kind == ast::Preamble::Include;
  std::optional<KernelHeaders> kernel;
  std::string kernelError;
  if (s->includes && !findKernelHeaders(options, kernel, kernelError)) {
    diags.error(includeRange(c), kernelError);
    return nullptr;
  }
  if (kernel) {
    s->kernelSource = kernel->source;
    for (std::string &a : kernelHeaderArgs(*kernel, options.triple))
      s->args.push_back(std::move(a));
  }
  for (const std::string &d : options.defines)
    s->args.push_back("-D" + d);
  s->index = clang->clang_createIndex(0, 0);
  s->unit = s->parseSource(s->source);
  // Kernel types the script's C uses but leaves undefined: their definitions from
  // the target's BTF, and one more parse.
  std::vector<std::string> undefined;
  for (unsigned i = 0, n = s->unit ? clang->clang_getNumDiagnostics(s->unit) : 0; i < n; ++i) {
    CXDiagnostic d = clang->clang_getDiagnostic(s->unit, i);
    if (auto t = undefinedKernelType(s->text(clang->clang_getDiagnosticSpelling(d))))
      undefined.push_back(*t);
    clang->clang_disposeDiagnostic(d);
  }
  if (!undefined.empty() && btf && btf->load())
    s->btfHeader = btf->cDefinitions(undefined);
  if (!s->btfHeader.empty()) {
    clang->clang_disposeTranslationUnit(s->unit);
    s->unit = s->parseSource(s->source);
  }
  if (!s->unit) {
    diags.error(first, "libclang could not parse the script's C definitions");
    return nullptr;
  }
  // Errors in the script at their place; a header's first error at the #include (or
  // import) that brought the header in.
  bool failed = false;
  std::set<std::pair<uint32_t, uint32_t>> headersReported; // by their #include's file, line
  for (unsigned i = 0, n = clang->clang_getNumDiagnostics(s->unit); i < n; ++i) {
    CXDiagnostic d = clang->clang_getDiagnostic(s->unit, i);
    if (clang->clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error) {
      failed = true;
      CXString file;
      unsigned l = 0, k = 0;
      clang->clang_getPresumedLocation(clang->clang_getDiagnosticLocation(d), &file, &l, &k);
      std::string where = s->text(file);
      std::string msg = s->text(clang->clang_getDiagnosticSpelling(d));
      if (std::optional<uint32_t> file = presumedFileIndex(where)) {
        diags.error({{l, k, *file}, {l, k, *file}}, msg + s->missingHeaderAdvice(msg));
      } else {
        SourceRange include = includedThrough(*clang, s->unit, d, c);
        if (headersReported.insert({include.begin.file, include.begin.line}).second)
          diags.error(include, where + ":" + std::to_string(l) + ":" + std::to_string(k) + ": " + msg);
      }
    }
    clang->clang_disposeDiagnostic(d);
  }
  if (failed)
    return nullptr;
  s->collect();
  return std::unique_ptr<CDefinitions>(new CDefinitions(std::move(s)));
}

std::string CDefinitions::State::missingHeaderAdvice(const std::string &message) const {
  const std::string notFound = "' file not found";
  if (message.size() < notFound.size() ||
      message.compare(message.size() - notFound.size(), notFound.size(), notFound) != 0)
    return "";
  if (!kernelSource.empty())
    return " (nor in the kernel header tree '" + kernelSource + "')";
  // Advice only for the kernel's directories: a missing <sys/...> or "mine.h" is no tree's.
  bool kernelHeader = false;
  for (const char *dir : {"'linux/", "'net/", "'asm/", "'asm-generic/", "'uapi/", "'trace/"})
    kernelHeader |= message.compare(0, std::strlen(dir), dir) == 0;
  if (!kernelHeader)
    return "";
  return std::string(" (the system's include path has only the kernel's UAPI headers; ") +
         kKernelHeadersAdvice + ")";
}

std::string CDefinitions::unknownNameAdvice() const {
  if (!s_->includes || !s_->kernelSource.empty())
    return "";
  return std::string("; #include read only the kernel's UAPI headers: ") + kKernelHeadersAdvice;
}

std::optional<std::string> CDefinitions::notConstant(const std::string &name) {
  if (constant(name))
    return std::nullopt;
  if (auto it = s_->otherMacros.find(name); it != s_->otherMacros.end())
    return it->second;
  return std::nullopt;
}

std::optional<std::string> CDefinitions::scriptEnumOf(const std::string &enumerator) const {
  auto it = s_->scriptEnumerators.find(enumerator);
  return it == s_->scriptEnumerators.end() ? std::nullopt : std::optional(it->second);
}

bool CDefinitions::isScriptEnum(const std::string &spelling) const {
  auto it = s_->enums.find(spelling);
  return it != s_->enums.end() && it->second.fromScript;
}

std::optional<int64_t> CDefinitions::constant(const std::string &name) {
  if (auto it = s_->enumerators.find(name); it != s_->enumerators.end())
    return it->second;
  if (!s_->macrosEvaluated)
    s_->evaluateMacros();
  if (auto it = s_->macroValues.find(name); it != s_->macroValues.end())
    return it->second;
  return std::nullopt;
}

} // namespace bt::sema
