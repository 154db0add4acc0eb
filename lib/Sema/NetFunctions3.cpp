// Typing of percpu_kaddr(name [, cpu]): the address of a per-CPU kernel variable on
// this CPU or on `cpu`, a `uint64 *` as upstream types it. The kernel's helpers
// (bpf_this_cpu_ptr, bpf_per_cpu_ptr) take the variable as a __ksym typed from the
// kernel's BTF, so the variable's type is looked up here, level by level, for Lower
// to repeat in the object (lib/Lower/NetFunctions3.cpp); libbpf matches it at load.
#include "BtfTypes.h"
#include "bt/Target/BtfTypeIds.h"
#include "Typer.h"

#include <bpf/btf.h>

namespace bt::sema {

using namespace ast;

std::optional<std::vector<KsymShape>> BtfTypes::variableShape(const std::string &name,
                                                              std::string &unsupported) {
  if (!load())
    return std::nullopt;
  int32_t var = btf__find_by_name_kind(btf_, name.c_str(), BTF_KIND_VAR);
  if (var <= 0)
    return std::nullopt;
  std::vector<KsymShape> shape;
  uint32_t id = btf__type_by_id(btf_, var)->type;
  while (true) {
    id = static_cast<uint32_t>(skipBtfModifiers(btf_, static_cast<int32_t>(id)));
    const btf_type *t = btf__type_by_id(btf_, id);
    KsymShape level;
    if (id == 0) {
      shape.push_back(level);
      return shape;
    }
    const char *n = btf__name_by_offset(btf_, t->name_off);
    level.name = n ? n : "";
    if (btf_is_int(t)) {
      level.kind = KsymShape::Kind::Int;
    } else if (btf_is_struct(t) || btf_is_union(t)) {
      level.kind = btf_is_struct(t) ? KsymShape::Kind::Struct : KsymShape::Kind::Union;
      level.size = t->size;
    } else if (btf_is_enum(t)) {
      level.kind = KsymShape::Kind::Enum;
      level.size = t->size;
    } else if (btf_is_ptr(t)) {
      level.kind = KsymShape::Kind::Pointer;
      shape.push_back(level);
      id = t->type;
      continue;
    } else if (btf_is_array(t)) {
      level.kind = KsymShape::Kind::Array;
      level.size = btf_array(t)->nelems;
      shape.push_back(level);
      id = btf_array(t)->type;
      continue;
    } else {
      unsupported = "kind " + std::to_string(btf_kind(t));
      return shape;
    }
    shape.push_back(level);
    return shape;
  }
}

TypeId Typer::netFunction3Call(const CallExpr *c, FunctionId id) {
  if (id != FunctionId::PercpuKaddr)
    return R.types.none();
  auto *name = as<StringLit>(c->args[0].get());
  if (!name || name->value.empty() || name->value.find('\0') != std::string::npos) {
    err(c->args[0]->range, "percpu_kaddr() takes a per-CPU kernel variable's name as a "
                           "string literal");
    return R.types.none();
  }
  if (c->args.size() == 2) {
    const Type &cpu = ty(expr(c->args[1].get()));
    if (cpu.isNone())
      return R.types.none();
    if (!cpu.isInt()) {
      err(c->args[1]->range, "percpu_kaddr() cpu must be an integer, not " + cpu.str());
      return R.types.none();
    }
  }
  if (!kernelTypes(c->args[0]->range))
    return R.types.none();
  std::string unsupported;
  auto shape = R.btf->variableShape(name->value, unsupported);
  if (!shape) {
    err(c->args[0]->range, "percpu_kaddr(): the BTF of " + R.btf->path() +
                               " has no kernel variable '" + name->value +
                               "' (it lists per-CPU variables only)");
    return R.types.none();
  }
  if (!unsupported.empty()) {
    err(c->args[0]->range, "percpu_kaddr() of '" + name->value + "', whose type has a BTF " +
                               unsupported + " level, is not supported yet");
    return R.types.none();
  }
  R.percpuVariables[name->value] = *shape;
  return R.types.pointer(u64(), AddressSpace::Kernel);
}

} // namespace bt::sema
