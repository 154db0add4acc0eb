// Private to lib/Runtime: the few libdwfl functions btrun's user symbolizer calls, opened
// with dlopen on the first user address printed, so that btrun's start (and every script
// without ustack or usym) never maps libdw and the liblzma, libbz2 it brings
// (bt/Basic/SharedLibrary.h).
#ifndef BT_RUNTIME_DWLIBRARY_H
#define BT_RUNTIME_DWLIBRARY_H

#include "bt/Basic/SharedLibrary.h"

#include <elfutils/libdwfl.h>

#include <string>

namespace bt::rt {

#define BT_DWFL_FUNCTIONS(X)                                                               \
  X(dwfl_begin) X(dwfl_end) X(dwfl_linux_proc_report) X(dwfl_report_end)                  \
  X(dwfl_addrmodule) X(dwfl_module_addrinfo) X(dwfl_module_info)                          \
  X(dwfl_linux_proc_find_elf) X(dwfl_standard_find_debuginfo)

struct DwLibrary {
#define BT_DWFL_MEMBER(name) decltype(&::name) name = nullptr;
  BT_DWFL_FUNCTIONS(BT_DWFL_MEMBER)
#undef BT_DWFL_MEMBER

  /// libdw1's soname: the ABI the header above describes.
  static constexpr const char *kPath = "libdw.so.1";
  static std::string cannotOpen(const std::string &why) {
    return std::string("cannot load ") + kPath + " (" + why + ")";
  }
  bool bind(const SharedLibrary &library, std::string &error);

  /// The library, opened once per process; nullptr with the reason in `error`.
  static const DwLibrary *get(std::string &error) { return openFunctionTable<DwLibrary>(error); }
};

} // namespace bt::rt

#endif
