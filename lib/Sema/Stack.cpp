// kstack() and ustack(): a stack mode (bpftrace, perf, raw: how btrun lays the
// frames out; build_id, ustack's only: a build id and file offset per frame;
// `config = { stack_mode = ... }` sets the default) and a frame limit.
#include "Typer.h"

namespace bt::sema {

using namespace ast;

TypeId Typer::stackCall(const CallExpr *c, FunctionId id) {
  const std::string fn = c->callee;
  obj::StackMode mode = R.options.stackMode;
  unsigned limit = kMaxStackFrames;
  size_t i = 0;
  if (i < c->args.size())
    if (auto *name = as<IdentifierRef>(c->args[i].get())) {
      auto named = obj::fromString<obj::StackMode>(name->name);
      if (!named) {
        err(name->range, fn + "() mode must be " + obj::expectedValues<obj::StackMode>() +
                             ", not '" + name->name + "'");
        return R.types.none();
      }
      mode = *named;
      ++i;
    }
  // The kernel records build ids of user frames only (BPF_F_USER_BUILD_ID); upstream
  // refuses kstack(build_id), and kstack() under `stack_mode = build_id`, so.
  if (id == FunctionId::Kstack && mode == obj::StackMode::BuildId) {
    err(i ? c->args[0]->range : c->range, "'build_id' stack mode can only be used for ustack");
    return R.types.none();
  }
  if (i < c->args.size()) {
    expr(c->args[i].get()); // $N given to btc is a literal once typed
    auto n = literal(c->args[i].get());
    if (!n || *n < 1 || *n > kMaxStackFrames) {
      err(c->args[i]->range, fn + "() frame limit must be an integer literal from 1 to " +
                                 std::to_string(kMaxStackFrames) +
                                 runTimeParamReason(c->args[i].get()));
      return R.types.none();
    }
    limit = static_cast<unsigned>(*n);
    ++i;
  }
  if (i < c->args.size()) {
    err(c->range, functionInfo(id).usage);
    return R.types.none();
  }
  return id == FunctionId::Kstack ? R.types.kernelStack(limit, mode)
                                  : R.types.userStack(limit, mode);
}

} // namespace bt::sema
