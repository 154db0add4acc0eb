#include "bt/Basic/File.h"

#include <fstream>
#include <iostream>

namespace bt {
namespace {

template <class Bytes>
FileReadError readInto(const std::string &path, Bytes &out, size_t maxBytes) {
  std::ifstream file;
  std::istream *in = &std::cin;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file)
      return FileReadError::Open;
    in = &file;
  }
  out.clear();
  try {
    // libstdc++ throws from the stream buffer on a read error (EISDIR for a directory),
    // past the stream's state: errno still says why.
    char buf[65536];
    while (in->read(buf, sizeof buf) || in->gcount() > 0) {
      size_t n = static_cast<size_t>(in->gcount());
      if (out.size() + n > maxBytes)
        return FileReadError::TooLarge;
      out.insert(out.end(), buf, buf + n);
    }
  } catch (const std::exception &) {
    return FileReadError::Read;
  }
  return in->bad() ? FileReadError::Read : FileReadError::None;
}

} // namespace

FileReadError readWholeFile(const std::string &path, std::string &out, size_t maxBytes) {
  return readInto(path, out, maxBytes);
}

FileReadError readWholeFile(const std::string &path, std::vector<uint8_t> &out,
                            size_t maxBytes) {
  return readInto(path, out, maxBytes);
}

} // namespace bt
