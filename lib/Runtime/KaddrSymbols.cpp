// The object's kernel-variable externs: the variables of its BTF's .ksyms section, of
// type const void (kaddr's) or typed as the kernel's BTF types them (percpu_kaddr's),
// looked up by name in /proc/kallsyms, whose names every process may read.
#include "KaddrSymbols.h"

#include "bt/Basic/File.h"
#include "bt/Runtime/KernelStacks.h"

#include <bpf/btf.h>
#include <algorithm>

namespace bt::rt {

std::vector<KernelVariableExtern> kaddrSymbols(const ObjectFile &file) {
  std::vector<KernelVariableExtern> names;
  auto section = std::find_if(file.sections.begin(), file.sections.end(),
                              [](const ElfSection &s) { return s.name == ".BTF"; });
  if (section == file.sections.end())
    return names;
  struct btf *btf = btf__new(section->bytes.data(), static_cast<uint32_t>(section->bytes.size()));
  if (!btf)
    return names; // libbpf's open reports a BTF it cannot read
  int sec = btf__find_by_name_kind(btf, ".ksyms", BTF_KIND_DATASEC);
  if (sec < 0) {
    btf__free(btf);
    return names;
  }
  const btf_type *t = btf__type_by_id(btf, static_cast<uint32_t>(sec));
  const btf_var_secinfo *vars = btf_var_secinfos(t);
  for (unsigned i = 0; i < btf_vlen(t); ++i) {
    const btf_type *var = btf__type_by_id(btf, vars[i].type);
    if (!var || !btf_is_var(var))
      continue;
    // `const void` is kaddr's typeless extern, any other type percpu_kaddr's. A bound on
    // the modifiers keeps a cyclic BTF from looping (libbpf's open refuses that one).
    uint32_t target = var->type;
    const btf_type *mod = btf__type_by_id(btf, target);
    for (int depth = 0; target != 0 && mod && btf_is_mod(mod) && depth < 32; ++depth) {
      target = mod->type;
      mod = btf__type_by_id(btf, target);
    }
    names.push_back({btf__name_by_offset(btf, var->name_off), target != 0});
  }
  btf__free(btf);
  return names;
}

Status checkKaddrSymbols(const std::vector<KernelVariableExtern> &names,
                         std::string_view kallsyms) {
  std::vector<bool> found(names.size(), false);
  size_t missing = names.size();
  size_t pos = 0;
  while (pos < kallsyms.size() && missing != 0) {
    size_t end = kallsyms.find('\n', pos);
    if (end == std::string_view::npos)
      end = kallsyms.size();
    std::string_view line = kallsyms.substr(pos, end - pos);
    pos = end + 1;
    std::string_view address, name;
    if (!splitKallsymsLine(line, address, name))
      continue;
    // A script names few kaddr symbols: a scan of them beats a set's code in btrun-static.
    for (size_t i = 0; i < names.size(); ++i)
      if (!found[i] && names[i].name == name) {
        found[i] = true;
        --missing;
      }
  }
  for (size_t i = 0; i < names.size(); ++i)
    if (!found[i])
      return Error(std::string(names[i].typed ? "percpu_kaddr" : "kaddr") + "(\"" +
                   names[i].name + "\"): this kernel has no symbol '" + names[i].name +
                   "' (/proc/kallsyms lists none of that name)");
  return {};
}

Status checkKaddrSymbols(const ObjectFile &file) {
  auto names = kaddrSymbols(file);
  if (names.empty())
    return {};
  std::string kallsyms;
  if (readWholeFile("/proc/kallsyms", kallsyms) != FileReadError::None)
    return Error(std::string(names.front().typed ? "percpu_kaddr" : "kaddr") + "(\"" +
                 names.front().name + "\"): cannot read /proc/kallsyms to find it");
  return checkKaddrSymbols(names, kallsyms);
}

} // namespace bt::rt
