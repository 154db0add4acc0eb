// The object's kaddr externs: the variables of its BTF's .ksyms section whose type is
// const void (percpu_kaddr's are typed, found in the kernel's BTF instead), looked up by name
// in /proc/kallsyms, whose names every process may read.
#include "KaddrSymbols.h"

#include "bt/Basic/File.h"
#include "bt/Runtime/KernelStacks.h"

#include <bpf/btf.h>
#include <algorithm>

namespace bt::rt {

std::vector<std::string> kaddrSymbols(const ObjectFile &file) {
  std::vector<std::string> names;
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
    // `const void`: the typeless extern libbpf resolves from kallsyms. A bound on the
    // modifiers keeps a cyclic BTF from looping (libbpf's open refuses that one).
    uint32_t target = var->type;
    const btf_type *mod = btf__type_by_id(btf, target);
    for (int depth = 0; target != 0 && mod && btf_is_mod(mod) && depth < 32; ++depth) {
      target = mod->type;
      mod = btf__type_by_id(btf, target);
    }
    if (target == 0)
      names.emplace_back(btf__name_by_offset(btf, var->name_off));
  }
  btf__free(btf);
  return names;
}

Status checkKaddrSymbols(const std::vector<std::string> &names, std::string_view kallsyms) {
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
      if (!found[i] && names[i] == name) {
        found[i] = true;
        --missing;
      }
  }
  for (size_t i = 0; i < names.size(); ++i)
    if (!found[i])
      return Error("kaddr(\"" + names[i] + "\"): this kernel has no symbol '" + names[i] +
                   "' (/proc/kallsyms lists none of that name)");
  return {};
}

Status checkKaddrSymbols(const ObjectFile &file) {
  auto names = kaddrSymbols(file);
  if (names.empty())
    return {};
  std::string kallsyms;
  if (readWholeFile("/proc/kallsyms", kallsyms) != FileReadError::None)
    return Error("kaddr(\"" + names.front() + "\"): cannot read /proc/kallsyms to find it");
  return checkKaddrSymbols(names, kallsyms);
}

} // namespace bt::rt
