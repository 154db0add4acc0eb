// Private to lib/Sema: the libdw functions that uprobe args read a binary's DWARF with
// (libdwfl finds it: in the file, or in a separate debug file by build id or
// .gnu_debuglink, as elfutils' tools look), opened with dlopen when a script first uses them, so that btc's start (and every script
// without them) never maps libdw and the liblzma, libbz2 it brings (bt/Basic/SharedLibrary.h).
#pragma once

#include "bt/Basic/SharedLibrary.h"

#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>

#include <string>

namespace bt::sema {

#define BT_DWARF_FUNCTIONS(X)                                                              \
  X(dwarf_begin) X(dwarf_end) X(dwarf_nextcu) X(dwarf_offdie) X(dwarf_child)               \
  X(dwarf_siblingof) X(dwarf_tag) X(dwarf_diename) X(dwarf_attr) X(dwarf_attr_integrate)   \
  X(dwarf_hasattr) X(dwarf_formref_die) X(dwarf_formudata) X(dwarf_formstring)             \
  X(dwarf_peel_type) X(dwarf_bytesize) X(dwarf_aggregate_size) X(dwarf_bitsize)             \
  X(dwarf_dieoffset) X(dwfl_begin) X(dwfl_end) X(dwfl_report_begin) X(dwfl_report_offline) \
  X(dwfl_report_end) X(dwfl_module_getdwarf) X(dwfl_errno) X(dwfl_errmsg)                   \
  X(dwfl_build_id_find_elf) X(dwfl_standard_find_debuginfo) X(dwfl_offline_section_address)

struct DwarfLibrary {
#define BT_DWARF_MEMBER(name) decltype(&::name) name = nullptr;
  BT_DWARF_FUNCTIONS(BT_DWARF_MEMBER)
#undef BT_DWARF_MEMBER

  /// libdw1's soname: the ABI the header above describes.
  static constexpr const char *kPath = "libdw.so.1";
  static std::string cannotOpen(const std::string &why) {
    return std::string("cannot load ") + kPath + " (" + why + ")";
  }
  bool bind(const SharedLibrary &library, std::string &error) {
#define BT_DWARF_BIND(name) library.bind(name, #name, error) &&
    return BT_DWARF_FUNCTIONS(BT_DWARF_BIND) true;
#undef BT_DWARF_BIND
  }

  /// The library, opened once per process; nullptr with the reason in `error`.
  static const DwarfLibrary *get(std::string &error) {
    return openFunctionTable<DwarfLibrary>(error);
  }
};

} // namespace bt::sema
