// Where btrun's script output goes: stdout or the -o file, flushed per write.
#ifndef BT_RUNTIME_OUTPUT_H
#define BT_RUNTIME_OUTPUT_H

#include "bt/Runtime/Result.h"

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

namespace bt::rt {

class Output {
public:
  /// stdout when `path` is empty.
  static Result<std::unique_ptr<Output>> open(const std::string &path);
  ~Output();
  Output(const Output &) = delete;
  Output &operator=(const Output &) = delete;

  void write(std::string_view text);

private:
  Output(std::FILE *f, bool owned) : f_(f), owned_(owned) {}
  std::FILE *f_;
  bool owned_;
};

} // namespace bt::rt

#endif
