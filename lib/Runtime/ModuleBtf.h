// fentry/fexit on a kernel module's function (fentry:MODULE:fn): the module's BTF
// object and the function's id in it.
#ifndef BT_RUNTIME_MODULEBTF_H
#define BT_RUNTIME_MODULEBTF_H

#include "bt/Runtime/Loader.h"
#include "bt/Runtime/Result.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace bt::rt {

/// Walks the loaded kernel modules' BTF objects by id, as libbpf searches them:
/// visit(fd, id, module) for each until it returns true. The fd is closed after a visit
/// that returns false; after one that returns true it is the visitor's.
void forEachModuleBtf(const std::function<bool(int fd, uint32_t id, const std::string &module)> &visit);

struct ModuleFunction {
  int btfFd = -1;        // the module's BTF object; the caller closes it
  uint32_t btfObjId = 0; // that object's id
  uint32_t funcId = 0;   // the function's BTF id in it
};

/// `function` in the BTF of the loaded kernel module `module`. libbpf 1.1 finds an
/// fentry target by name alone (vmlinux first, then each module's BTF by id), so this
/// also fails when that search would meet another function of the name first: btrun
/// refuses rather than attach to the wrong one.
Result<ModuleFunction> findModuleFunction(const std::string &module, const std::string &function);

/// A program of the object that must attach to a module's function.
struct ModuleTarget {
  std::string program, probe;
  uint32_t btfObjId = 0, funcId = 0;
};

/// Before the load: points each fentry/fexit:MODULE:fn program that loads at its
/// function, by name (all this libbpf takes; findModuleFunction made sure the name
/// leads there), and says what each must end up attached to.
Result<std::vector<ModuleTarget>> setModuleTargets(const BpfObject &obj, const Manifest &manifest);
/// After the load: whether the kernel took each program for its module's function.
Status checkModuleTargets(const BpfObject &obj, const std::vector<ModuleTarget> &targets);

} // namespace bt::rt

#endif
