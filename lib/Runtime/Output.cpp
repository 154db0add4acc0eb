#include "bt/Runtime/Output.h"

#include <cerrno>
#include <cstring>

namespace bt::rt {

Result<std::unique_ptr<Output>> Output::open(const std::string &path) {
  if (path.empty())
    return std::unique_ptr<Output>(new Output(stdout, false));
  std::FILE *f = std::fopen(path.c_str(), "w");
  if (!f)
    return Error(path + ": cannot open for writing: " + std::strerror(errno));
  return std::unique_ptr<Output>(new Output(f, true));
}

Output::~Output() {
  if (owned_)
    std::fclose(f_);
  else
    std::fflush(f_);
}

void Output::write(std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), f_);
  std::fflush(f_);
}

} // namespace bt::rt
