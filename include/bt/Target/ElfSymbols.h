// A binary's functions and addresses as libelf reads them: one walk of the symbol tables
// for btc's uprobe wildcards (names) and btrun's uprobes (file offsets), and the file
// offset of an address, which btrun's USDT sites and semaphores need too.
#pragma once

#include "bt/Target/Target.h"

#include <libelf.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bt {

// A function symbol of an ELF file (of elfAddressNames: any symbol that names addresses).
struct ElfFunction {
  std::string name;
  // Its address as linked (the symbol's value): what `uprobe:BINARY:ADDRESS` names.
  uint64_t address = 0;
  // Its address as an offset in the file, as the kernel's uprobes want it; none when no
  // loadable segment holds the address.
  std::optional<uint64_t> fileOffset;
  // Its size in bytes as the symbol table gives it (0: unknown).
  uint64_t size = 0;
  // STB_LOCAL, STB_GLOBAL or STB_WEAK: which of two names at one address btrun-static's
  // user symbolizer prints (lib/Runtime/UserSymbolsElf.cpp).
  unsigned char binding = 0;
};

// The function symbols of an ELF file (.symtab and .dynsym: FUNC and GNU_IFUNC, defined,
// at a non-zero address, named), in the file's order; or why the file cannot be read.
// elfFunctionSymbols (Target.h) is their names. With `withDebugFile`, also the static
// functions of its separate debug file, found by build id (a stripped libc's).
OrError<std::vector<ElfFunction>> elfFunctions(const std::string &path, bool withDebugFile = true);

// Every symbol of an ELF file that names addresses as libdwfl's symbolizer (btrun's)
// names them, for btrun-static's (lib/Runtime/UserSymbolsElf.cpp): the functions and
// also the other defined symbols but sections, files and thread-locals (an assembly
// label without `.type`, a data object), with the separate debug file's.
OrError<std::vector<ElfFunction>> elfAddressNames(const std::string &path);

// A symbol of an ELF file as uaddr() takes it: its address (as linked) and size.
struct ElfSymbol {
  uint64_t address = 0, size = 0;
};

// The defined symbol `name` of an ELF file (.symtab, then .dynsym), none when it has
// no such symbol; or why the file cannot be read.
OrError<std::optional<ElfSymbol>> elfSymbol(const std::string &path, const std::string &name);

// The offset in the file of virtual address `address`, through the PT_LOAD segment whose
// file bytes hold it; none when no segment's do.
std::optional<uint64_t> elfFileOffset(Elf *elf, uint64_t address);

} // namespace bt
