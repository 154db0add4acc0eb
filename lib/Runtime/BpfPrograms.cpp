// Finding fentry:bpf's target among the BPF programs loaded on this host: every program
// by id, and the functions its BTF func_info lists (the program, then its subprograms).
#include "bt/Runtime/BpfPrograms.h"

#include "ProgramFuncInfo.h"
#include "bt/Basic/Glob.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <vector>

namespace bt::rt {

ProgramFuncInfo programFuncInfo(int fd) {
  bpf_prog_info info{};
  uint32_t len = sizeof info;
  if (bpf_obj_get_info_by_fd(fd, &info, &len) != 0 || !info.btf_id || !info.nr_func_info)
    return {};
  ProgramFuncInfo out;
  out.records.resize(info.nr_func_info);
  bpf_prog_info again{};
  again.nr_func_info = info.nr_func_info;
  again.func_info_rec_size = sizeof(bpf_func_info);
  again.func_info = reinterpret_cast<uint64_t>(out.records.data());
  len = sizeof again;
  if (bpf_obj_get_info_by_fd(fd, &again, &len) != 0)
    return {};
  // The kernel may have fewer now (never more: it fills what we sized).
  out.records.resize(std::min<size_t>(out.records.size(), again.nr_func_info));
  out.btfId = info.btf_id;
  return out;
}

namespace {

// The functions of the program `fd` (name and BTF id); none when it was loaded without BTF.
std::vector<std::pair<std::string, uint32_t>> functionsOf(int fd) {
  ProgramFuncInfo info = programFuncInfo(fd);
  if (info.records.empty())
    return {};
  struct btf *btf = btf__load_from_kernel_by_id(info.btfId);
  if (!btf)
    return {};
  std::vector<std::pair<std::string, uint32_t>> functions;
  for (const bpf_func_info &fi : info.records)
    if (const btf_type *t = btf__type_by_id(btf, fi.type_id))
      functions.emplace_back(btf__name_by_offset(btf, t->name_off), fi.type_id);
  btf__free(btf);
  return functions;
}

} // namespace

std::vector<BpfFunction> matchBpfFunctions(const std::vector<BpfFunction> &all,
                                           const std::string &pattern,
                                           std::optional<uint64_t> progId) {
  // bpftrace lists the functions as "bpf:ID:NAME" lines in a set and matches those, so
  // its probes come in that text's order (program 1000 before program 123).
  std::map<std::string, BpfFunction> byText;
  for (const BpfFunction &f : all)
    if ((!progId || f.progId == *progId) && globMatches(pattern, f.name))
      byText.emplace("bpf:" + std::to_string(f.progId) + ":" + f.name, f);
  std::vector<BpfFunction> out;
  for (auto &[text, f] : byText)
    out.push_back(f);
  return out;
}

Result<std::vector<BpfFunction>> findBpfFunctions(const std::string &pattern,
                                                  std::optional<uint64_t> progId) {
  std::vector<BpfFunction> all;
  bool progRuns = false;
  uint32_t id = 0;
  while (bpf_prog_get_next_id(id, &id) == 0) {
    if (progId && id != *progId)
      continue;
    int fd = bpf_prog_get_fd_by_id(id);
    if (fd < 0)
      continue; // it ended since
    progRuns = true;
    for (const auto &[name, typeId] : functionsOf(fd))
      all.push_back({id, name, typeId});
    ::close(fd);
  }
  auto matches = matchBpfFunctions(all, pattern, progId);
  if (!matches.empty())
    return matches;
  bool wildcard = hasGlob(pattern);
  std::string what = wildcard ? "a function matching '" + pattern + "'" : "a function '" + pattern + "'";
  if (progId)
    return Error(progRuns ? "BPF program " + std::to_string(*progId) + " has no " +
                                what.substr(2) + " (or was loaded without BTF)"
                          : "no BPF program " + std::to_string(*progId) + " is running");
  return Error("no running BPF program has " + what + " (a program loaded without BTF has none)");
}

} // namespace bt::rt
