// Reading a whole file into memory: the one reader btc, btrun and lib/Oci share. Plain
// C++ (no LLVM, libbpf or AST), so every library may link it.
#ifndef BT_BASIC_FILE_H
#define BT_BASIC_FILE_H

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace bt {

enum class FileReadError {
  None,
  Open,     // errno says why
  Read,     // errno says why (EISDIR for a directory)
  TooLarge, // more than the caller's maximum
};

/// Reads all of `path` ("-": standard input) into `out`, at most `maxBytes` of it: a
/// bound keeps /dev/zero or a runaway pipe from exhausting memory.
FileReadError readWholeFile(const std::string &path, std::string &out,
                            size_t maxBytes = std::numeric_limits<size_t>::max());
FileReadError readWholeFile(const std::string &path, std::vector<uint8_t> &out,
                            size_t maxBytes = std::numeric_limits<size_t>::max());

} // namespace bt

#endif
