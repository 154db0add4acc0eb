// A shared library opened with dlopen when a feature first needs it, so that a program's
// start (and every run without that feature) never maps it: btc's libclang
// (lib/Sema/ClangLibrary.h), btrun's libdw (lib/Runtime/DwLibrary.h). Each user declares
// one table of function pointers, typed as the library's header declares them.
#ifndef BT_BASIC_SHAREDLIBRARY_H
#define BT_BASIC_SHAREDLIBRARY_H

#include <string>

namespace bt {

class SharedLibrary {
public:
  /// dlopen with RTLD_NOW (a symbol the library cannot resolve fails here, not at a later
  /// call) and RTLD_LOCAL (what it brings, libclang's own LLVM, stays apart from the
  /// program's symbols). False with dlerror's reason in `error`. The library stays loaded
  /// for the rest of the process: the functions bound from it are kept in tables.
  bool open(const std::string &path, std::string &error);

  /// Points `function` at the library's function `name`; false with "PATH lacks NAME" in
  /// `error` when it has none.
  template <typename FunctionPointer>
  bool bind(FunctionPointer &function, const char *name, std::string &error) const {
    function = reinterpret_cast<FunctionPointer>(symbol(name));
    if (!function)
      error = path_ + " lacks " + name;
    return function != nullptr;
  }

private:
  void *symbol(const char *name) const;

  void *handle_ = nullptr;
  std::string path_;
};

/// The function table `Table` of `Table::kPath`, opened and bound on the first call and
/// kept for the process; nullptr with the reason in `error` (the same on every call).
/// `Table` gives kPath, `static std::string cannotOpen(const std::string &why)` (the
/// message when dlopen fails) and `bool bind(const SharedLibrary &, std::string &error)`.
template <typename Table> const Table *openFunctionTable(std::string &error) {
  static std::string loadError;
  static const Table *table = []() -> const Table * {
    SharedLibrary library;
    std::string why;
    if (!library.open(Table::kPath, why)) {
      loadError = Table::cannotOpen(why);
      return nullptr;
    }
    static Table functions;
    return functions.bind(library, loadError) ? &functions : nullptr;
  }();
  if (!table)
    error = loadError;
  return table;
}

} // namespace bt

#endif
