// See bt/Target/RawTracepoints.h.
#include "bt/Target/RawTracepoints.h"

#include <bpf/btf.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace bt {
namespace {

using Names = OrError<std::vector<std::string>>;

// The kernel declares a btf_trace_NAME typedef for each raw tracepoint it defines.
Names fromBtf(const std::string &path) {
  btf *b = btf__parse(path.c_str(), nullptr);
  if (!b)
    return Names::failure("cannot read the kernel's BTF " + path + ": " + std::strerror(errno));
  static const char prefix[] = "btf_trace_";
  std::vector<std::string> names;
  for (uint32_t id = 1, count = btf__type_cnt(b); id < count; ++id) {
    const btf_type *t = btf__type_by_id(b, id);
    if (!btf_is_typedef(t))
      continue;
    const char *name = btf__name_by_offset(b, t->name_off);
    if (name && std::strncmp(name, prefix, sizeof prefix - 1) == 0 && name[sizeof prefix - 1])
      names.emplace_back(name + sizeof prefix - 1);
  }
  btf__free(b);
  return names;
}

Names ofOne(const TargetInfo &target) {
  std::vector<std::string> names;
  if (auto path = target.btfPath()) {
    auto btf = fromBtf(*path);
    if (!btf)
      return btf;
    names = std::move(*btf);
  } else {
    if (std::string why = target.tracepointsUnknownReason(); !why.empty())
      return Names::failure(target.name() + " has no BTF and its tracepoints are unknown: " + why);
    for (const std::string &tp : target.tracepoints()) {
      if (tp.compare(0, 18, "syscalls:sys_enter") == 0 || tp.compare(0, 17, "syscalls:sys_exit") == 0)
        continue;
      if (auto colon = tp.find(':'); colon != std::string::npos)
        names.push_back(tp.substr(colon + 1));
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

} // namespace

Names rawTracepoints(const TargetInfo &target) {
  std::optional<std::vector<std::string>> common;
  for (const TargetInfo *member : target.members()) {
    auto names = ofOne(*member);
    if (!names)
      return names;
    if (!common) {
      common = std::move(*names);
      continue;
    }
    std::vector<std::string> both;
    std::set_intersection(common->begin(), common->end(), names->begin(), names->end(),
                          std::back_inserter(both));
    common = std::move(both);
  }
  return common.value_or(std::vector<std::string>{});
}

} // namespace bt
