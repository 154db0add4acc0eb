// Private to lib/Sema: libclang's C API, opened with dlopen on the first script
// that has C definitions or #include, so that btc's start (and every script
// without them) never maps libclang and the LLVM it brings
// (bt/Basic/SharedLibrary.h).
#pragma once

#include "bt/Basic/SharedLibrary.h"

#include <clang-c/Index.h>

#include <string>

namespace bt::sema {

#define BT_CLANG_FUNCTIONS(X)                                                            \
  X(clang_createIndex) X(clang_disposeIndex) X(clang_parseTranslationUnit2)              \
  X(clang_disposeTranslationUnit) X(clang_getNumDiagnostics) X(clang_getDiagnostic)      \
  X(clang_disposeDiagnostic) X(clang_getDiagnosticSeverity) X(clang_getDiagnosticSpelling) \
  X(clang_getDiagnosticLocation) X(clang_getPresumedLocation) X(clang_getCString)        \
  X(clang_disposeString) X(clang_getTranslationUnitCursor) X(clang_visitChildren)        \
  X(clang_getCursorKind) X(clang_getCursorSpelling) X(clang_getCursorType)               \
  X(clang_getCanonicalType) X(clang_getPointeeType) X(clang_getArrayElementType)         \
  X(clang_getArraySize) X(clang_getTypeDeclaration) X(clang_getTypeSpelling)             \
  X(clang_Type_getSizeOf) X(clang_Type_getAlignOf) X(clang_Cursor_getOffsetOfField)      \
  X(clang_Cursor_isBitField) X(clang_getFieldDeclBitWidth) X(clang_getEnumConstantDeclValue) \
  X(clang_Cursor_isAnonymousRecordDecl) X(clang_isCursorDefinition)                      \
  X(clang_Cursor_isMacroFunctionLike) X(clang_getCursorExtent) X(clang_tokenize)         \
  X(clang_getTokenSpelling) X(clang_getTokenKind) X(clang_disposeTokens)                 \
  X(clang_getCursorLocation) X(clang_Location_isFromMainFile) X(clang_Cursor_Evaluate)   \
  X(clang_EvalResult_getKind) X(clang_EvalResult_getAsLongLong)                          \
  X(clang_EvalResult_dispose) X(clang_Type_getOffsetOf) X(clang_getExpansionLocation)  \
  X(clang_getInclusions) X(clang_File_isEqual)

struct ClangLibrary {
#define BT_CLANG_MEMBER(name) decltype(&::name) name = nullptr;
  BT_CLANG_FUNCTIONS(BT_CLANG_MEMBER)
#undef BT_CLANG_MEMBER

  static constexpr const char *kPath = BT_LIBCLANG_PATH;
  static std::string cannotOpen(const std::string &why) {
    return "C definitions and #include need libclang (" + why + ")";
  }
  bool bind(const SharedLibrary &library, std::string &error);

  // The library, opened once per process; nullptr with the reason in `error`.
  static const ClangLibrary *get(std::string &error) {
    return openFunctionTable<ClangLibrary>(error);
  }
};

} // namespace bt::sema
