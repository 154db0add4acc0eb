// shared-library-test: bt::SharedLibrary and openFunctionTable (bt/Basic/SharedLibrary.h)
// on the C library, a symbol it lacks and a library that is not there; each line says what
// a call gave. test/lit/basic/shared-library.test checks them.
#include "bt/Basic/SharedLibrary.h"

#include <cstring>
#include <iostream>

namespace {

struct LibcFunctions {
  decltype(&std::strlen) strlen = nullptr;
  static constexpr const char *kPath = "libc.so.6";
  static std::string cannotOpen(const std::string &why) { return "no libc (" + why + ")"; }
  bool bind(const bt::SharedLibrary &library, std::string &error) {
    return library.bind(strlen, "strlen", error);
  }
};

struct MissingFunctions {
  void (*none)() = nullptr;
  static constexpr const char *kPath = "libbt-no-such-library.so.0";
  static std::string cannotOpen(const std::string &why) { return "cannot load it (" + why + ")"; }
  bool bind(const bt::SharedLibrary &library, std::string &error) {
    return library.bind(none, "none", error);
  }
};

template <typename Table> void show(const char *what) {
  std::string error;
  const Table *table = bt::openFunctionTable<Table>(error);
  std::cout << what << ": " << (table ? "opened" : error) << "\n";
}

} // namespace

int main() {
  std::string error;
  bt::SharedLibrary libc;
  std::cout << "open libc.so.6: " << (libc.open("libc.so.6", error) ? "ok" : error) << "\n";
  size_t (*length)(const char *) = nullptr;
  if (libc.bind(length, "strlen", error))
    std::cout << "strlen(\"four\") through the library: " << length("four") << "\n";
  void (*none)() = nullptr;
  if (!libc.bind(none, "bt_no_such_function", error))
    std::cout << "bind bt_no_such_function: " << error << "\n";

  show<LibcFunctions>("table of libc.so.6");
  show<LibcFunctions>("table of libc.so.6 again");
  show<MissingFunctions>("table of a missing library");
  show<MissingFunctions>("table of a missing library again");
  const LibcFunctions *table = bt::openFunctionTable<LibcFunctions>(error);
  std::cout << "strlen(\"three\") through the table: " << table->strlen("three") << "\n";
}
