// See ModuleBtf.h. The kernel's BTF objects are walked by id, as libbpf walks them.
#include "ModuleBtf.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <unistd.h>

namespace bt::rt {

namespace {

// The id of `function` among the types a module's split BTF adds to vmlinux's, or 0.
uint32_t ownFunction(const btf *module, const btf *vmlinux, const std::string &function) {
  for (uint32_t id = btf__type_cnt(vmlinux), n = btf__type_cnt(module); id < n; ++id) {
    const btf_type *t = btf__type_by_id(module, id);
    if (btf_is_func(t) && function == btf__name_by_offset(module, t->name_off))
      return id;
  }
  return 0;
}

} // namespace

void forEachModuleBtf(const std::function<bool(int fd, uint32_t id, const std::string &module)> &visit) {
  uint32_t id = 0;
  while (bpf_btf_get_next_id(id, &id) == 0) {
    int fd = bpf_btf_get_fd_by_id(id);
    if (fd < 0)
      continue; // unloaded since
    char name[64] = {};
    bpf_btf_info info = {};
    info.name = reinterpret_cast<uintptr_t>(name);
    info.name_len = sizeof(name);
    uint32_t len = sizeof(info);
    bool isModule = bpf_obj_get_info_by_fd(fd, &info, &len) == 0 && info.kernel_btf &&
                    std::strcmp(name, "vmlinux") != 0;
    if (isModule && visit(fd, id, name))
      return;
    ::close(fd);
  }
}

Result<ModuleFunction> findModuleFunction(const std::string &module, const std::string &function) {
  btf *vmlinux = btf__load_vmlinux_btf();
  if (!vmlinux)
    return Error("no kernel BTF (/sys/kernel/btf/vmlinux)");
  std::string where = "kernel module '" + module + "'";
  if (btf__find_by_name_kind(vmlinux, function.c_str(), BTF_KIND_FUNC) > 0) {
    btf__free(vmlinux);
    return Error("the kernel has a function '" + function + "' of its own beside " + where +
                 "'s, and this libbpf finds fentry targets by name, the kernel's first: "
                 "btrun refuses rather than attach to the wrong one");
  }
  std::string earlier; // a module libbpf would search before this one that has the name
  std::optional<Result<ModuleFunction>> found;
  forEachModuleBtf([&](int fd, uint32_t id, const std::string &name) {
    btf *split = btf__load_from_kernel_by_id_split(id, vmlinux);
    uint32_t funcId = split ? ownFunction(split, vmlinux, function) : 0;
    btf__free(split);
    if (module != name) {
      if (funcId && earlier.empty())
        earlier = name;
      return false;
    }
    if (!funcId) {
      ::close(fd);
      found = Error("function '" + function + "' is not in the BTF of " + where);
    } else if (!earlier.empty()) {
      ::close(fd);
      found = Error("kernel module '" + earlier + "' has a function '" + function + "' too, " +
                    "and this libbpf finds fentry targets by name, '" + earlier +
                    "' first: btrun refuses rather than attach to the wrong one");
    } else {
      found = ModuleFunction{fd, id, funcId};
    }
    return true;
  });
  btf__free(vmlinux);
  if (found)
    return std::move(*found);
  return Error(where + " is not loaded (no kernel BTF object of that name)");
}

Result<std::vector<ModuleTarget>> setModuleTargets(const BpfObject &obj, const Manifest &manifest) {
  std::vector<ModuleTarget> out;
  for (const auto &p : manifest.probes) {
    if (p.type != ProbeType::Fentry && p.type != ProbeType::Fexit)
      continue;
    for (const auto &a : p.attachments) {
      bpf_program *prog = obj.program(a.program);
      if (a.target.module.empty() || a.target.onBpfProgram || !bpf_program__autoload(prog))
        continue;
      auto f = findModuleFunction(a.target.module, a.target.symbol);
      if (!f)
        return Error(a.probe + ": " + f.error().message());
      ::close(f->btfFd);
      if (bpf_program__set_attach_target(prog, 0, a.target.symbol.c_str()) != 0)
        return Error(a.probe + ": cannot attach to " + a.target.module + "'s '" + a.target.symbol +
                     "': " + std::strerror(errno));
      out.push_back({a.program, a.probe, f->btfObjId, f->funcId});
    }
  }
  return out;
}

Status checkModuleTargets(const BpfObject &obj, const std::vector<ModuleTarget> &targets) {
  for (const ModuleTarget &t : targets) {
    bpf_prog_info info = {};
    uint32_t len = sizeof(info);
    if (bpf_obj_get_info_by_fd(bpf_program__fd(obj.program(t.program)), &info, &len) != 0)
      return Error(t.probe + ": cannot read its program's attach target: " + std::strerror(errno));
    if (info.attach_btf_obj_id != t.btfObjId || info.attach_btf_id != t.funcId)
      return Error(t.probe + ": the program was loaded for BTF object " +
                   std::to_string(info.attach_btf_obj_id) + " type " +
                   std::to_string(info.attach_btf_id) + ", not the module's (object " +
                   std::to_string(t.btfObjId) + " type " + std::to_string(t.funcId) + ")");
  }
  return {};
}

} // namespace bt::rt
