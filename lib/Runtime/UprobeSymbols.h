// Function symbols of a traced binary as file offsets, read once per binary (lib/Target's
// elfFunctions): libbpf 1.1 reads the whole symbol table again for every uprobe it
// attaches by name, which a wildcard over 1,670 functions repeats 1,670 times. Private to
// lib/Runtime.
#ifndef BT_RUNTIME_UPROBESYMBOLS_H
#define BT_RUNTIME_UPROBESYMBOLS_H

#include "bt/Runtime/Result.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace bt::rt {

class UprobeSymbols {
public:
  /// The file offset of byte `offset` of function `symbol` in `path` (FUNC or GNU_IFUNC,
  /// defined), as the kernel's uprobe wants it; an error naming the symbol or the file
  /// otherwise, and one when `offset` lies past the function's end (a uprobe there would
  /// patch another function, or data), as bpftrace refuses it. A uretprobe (`entryOnly`)
  /// takes no offset: its breakpoint swaps the word on top of the stack for a trampoline,
  /// which is the return address only at the function's first instruction.
  Result<uint64_t> fileOffset(const std::string &path, const std::string &symbol,
                              uint64_t offset = 0, bool entryOnly = false);
  /// The file offset of `address` (a virtual address as the binary is linked, which is
  /// no file offset in a non-PIE binary or one whose text segment is not at its file
  /// offset) when a function of `path` holds it; an error otherwise (bpftrace's "could not
  /// resolve address": a uprobe outside every function would patch headers or data of the
  /// traced process), or, `entryOnly`, when it is not the function's first byte.
  Result<uint64_t> addressOffset(const std::string &path, uint64_t address, bool entryOnly);
  /// The functions of `path` whose names match glob `pattern`, in name order (empty when
  /// the file cannot be read: attaching the pattern then says why).
  std::vector<std::string> functionsMatching(const std::string &path, const std::string &pattern);

private:
  struct Function {
    uint64_t offset = 0, size = 0; // in the file
    uint64_t address = 0;          // as linked
  };
  struct Binary {
    bool read = false, debugFileRead = false;
    std::string error; // why the file could not be read ("" when it could)
    std::map<std::string, Function> functions;
    // The function (name and place) holding a virtual address.
    const std::pair<const std::string, Function> *holding(uint64_t address) const;
  };
  // The binary's functions, read once; with `withDebugFile` its debug file's too.
  Binary &binary(const std::string &path, bool withDebugFile);
  std::map<std::string, Binary> binaries_;
};

} // namespace bt::rt

#endif
