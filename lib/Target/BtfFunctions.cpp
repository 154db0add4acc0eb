// See BtfFunctions.h.
#include "BtfFunctions.h"

#include <bpf/btf.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace bt::target {

OrError<std::vector<std::string>> btfFunctions(const std::string &path, const std::string &base) {
  using Result = OrError<std::vector<std::string>>;
  btf *baseBtf = nullptr;
  if (!base.empty() && !(baseBtf = btf__parse(base.c_str(), nullptr)))
    return Result::failure("cannot read the kernel's BTF " + base + ": " + std::strerror(errno));
  btf *b = baseBtf ? btf__parse_split(path.c_str(), baseBtf) : btf__parse(path.c_str(), nullptr);
  if (!b) {
    int err = errno;
    btf__free(baseBtf);
    return Result::failure("cannot read the kernel's BTF " + path + ": " + std::strerror(err));
  }
  std::vector<std::string> names;
  uint32_t count = btf__type_cnt(b);
  for (uint32_t id = baseBtf ? btf__type_cnt(baseBtf) : 1; id < count; ++id) {
    const btf_type *t = btf__type_by_id(b, id);
    if (!btf_is_func(t))
      continue;
    if (const char *name = btf__name_by_offset(b, t->name_off); name && *name)
      names.emplace_back(name);
  }
  btf__free(b);
  btf__free(baseBtf);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

} // namespace bt::target
