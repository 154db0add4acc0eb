// Private to lib/Sema's C definitions (CDefinitions*.cpp): the translation unit
// and what it defines, by name.
#pragma once

#include "CDefinitions.h"
#include "ClangLibrary.h"

namespace bt::sema {

struct CDefinitions::State {
  const ClangLibrary *clang = nullptr;
  BtfTypes *btf = nullptr;
  CXIndex index = nullptr;
  CXTranslationUnit unit = nullptr;
  std::string source;
  // C definitions of the kernel types the script's C names but leaves undefined, from
  // the target's BTF (as bpftrace fills them in); included before the script.
  std::string btfHeader;
  std::vector<std::string> args;
  // The kernel header tree clang reads, "" for none; whether the script #includes.
  std::string kernelSource;
  bool includes = false;
  struct Decl {
    CXCursor cursor;
    bool fromScript = false;
  };
  std::map<std::string, Decl> records, typedefs, enums; // "struct foo", "foo_t", "enum e"
  std::map<std::string, int64_t> enumerators, macroValues;
  // The enum (its spelling) that declares each enumerator of an enum the script defines.
  std::map<std::string, std::string> scriptEnumerators;
  std::vector<std::string> macroCandidates; // object-like macros that may be integers
  // The other macros, each with why it is no constant (CDefinitions::notConstant).
  std::map<std::string, std::string> otherMacros;
  bool macrosEvaluated = false;

  ~State();
  std::string text(CXString s) const;
  CXTranslationUnit parseSource(const std::string &src) const;
  // Whether a macro's tokens can make an integer constant expression.
  bool maybeInteger(CXCursor macro) const;
  // The translation unit's records, typedefs, enums, enumerators and macros.
  void collect();
  // Every candidate macro as an enumerator of its own, in one more parse.
  void evaluateMacros();
  // What to add to clang's "'x.h' file not found": where else it was looked for, or
  // which option names the kernel header tree; "" for other messages.
  std::string missingHeaderAdvice(const std::string &message) const;
  // A clang type as the language's (CDefinitionsTyping.cpp).
  std::optional<TypeId> convert(TypeTable &types, CXType t, std::string &unsupported);
};

} // namespace bt::sema
