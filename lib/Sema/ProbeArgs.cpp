// The arguments of BTF-typed probes: `args.name` (or `args->name`) in tp_btf,
// rawtracepoint, fentry and fexit probes, and fexit's typed `retval`, from the
// prototype in the target's BTF. Each is a u64 slot of the probe's context
// (SemaResult::contextSlots); a pointer argument is a kernel pointer, so
// `args.prev->pid` is a CO-RE member read like any other; a struct passed by value
// takes the slots that follow too.
#include "BtfTypes.h"
#include "Typer.h"

namespace bt::sema {

using namespace ast;

bool Typer::btfArgs() const {
  return probe_->type != ProbeType::Tracepoint && probe_->type != ProbeType::Kretprobe &&
         probe_->type != ProbeType::Uprobe && probe_->type != ProbeType::Uretprobe;
}

std::optional<BtfTypes::Prototype> Typer::prototypeOf(const Attachment &a, SourceRange r) {
  if (!kernelTypes(r))
    return std::nullopt;
  bool function = probe_->type == ProbeType::Fentry || probe_->type == ProbeType::Fexit;
  const std::string &name = function ? a.symbol : a.name;
  auto p = function ? R.btf->functionPrototype(R.types, name, a.module)
                    : R.btf->tracepointPrototype(R.types, name);
  if (!p)
    err(r, std::string(function ? "function '" : "tracepoint '") + name +
               "' has no BTF prototype on " + R.btf->targetName() + " (" + a.probeName + ")");
  return p;
}

// One argument (or, as kRetvalField, fexit's result) of every attachment: the same type
// in each.
TypeId Typer::contextSlot(const Expr *e, SourceRange r, const std::string &name) {
  bool isResult = name == BtfTypes::kRetvalField;
  const std::string shown = isResult ? "retval" : name;
  std::optional<TypeId> result;
  std::vector<unsigned> slots;
  for (const auto &a : probe_->attachments) {
    // fexit:bpf's retval (its args are refused at `args`): the register the helper
    // bpf_get_func_ret reads, untyped, as the program's BTF is known only on the run host.
    if (a.onBpfProgram) {
      if (result && *result != u64()) {
        err(r, "'retval' has different types across " + probe_->text + " (" +
                   ty(*result).str() + ", " + ty(u64()).str() + ")");
        return R.types.none();
      }
      result = u64();
      slots.push_back(SemaResult::kFuncRetSlot);
      continue;
    }
    auto proto = prototypeOf(a, r);
    if (!proto)
      return R.types.none();
    // fentry's context ends with the arguments: only fexit has the result after them.
    const BtfTypes::Param *p =
        isResult && probe_->type == ProbeType::Fexit ? &proto->result : nullptr;
    for (const auto &param : proto->params)
      if (!isResult && param.name == name)
        p = &param;
    if (!p) {
      std::string known;
      for (const auto &param : proto->params)
        known += (known.empty() ? "" : ", ") + param.name;
      err(r, a.probeName + " has no argument '" + name + "' (it has: " +
                 (known.empty() ? "none" : known) + ")" +
                 (name == "retval" && probe_->type == ProbeType::Fexit
                      ? ": its result is the builtin retval, as in upstream bpftrace"
                      : ""));
      return R.types.none();
    }
    if (!p->type) {
      err(r, "'" + shown + "' of " + a.probeName + " is " + p->unsupported +
                 ", which is not supported yet");
      return R.types.none();
    }
    if (isResult && ty(*p->type).isNone()) {
      err(r, a.probeName + " returns void: it has no retval");
      return R.types.none();
    }
    if (result && *result != *p->type) {
      err(r, "'" + shown + "' has different types across " + probe_->text + " (" +
                 ty(*result).str() + ", " + ty(*p->type).str() + ")");
      return R.types.none();
    }
    result = p->type;
    slots.push_back(p->slot);
  }
  R.contextSlots[e] = std::move(slots);
  return result.value_or(R.types.none());
}

TypeId Typer::probeArg(const FieldExpr *f) { return contextSlot(f, f->fieldRange, f->field); }

TypeId Typer::probeRetval(const BuiltinRef *b) {
  return contextSlot(b, b->range, BtfTypes::kRetvalField);
}

} // namespace bt::sema
