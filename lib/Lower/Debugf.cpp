// debugf(fmt, ...): bpf_trace_printk(fmt, size, a, b, c) with the format on the stack;
// integers go by value, strings as the address of their buffer (the kernel reads it).
#include "ProbeLowering.h"

namespace bt::lower {

void ProbeLowering::debugfCall(const ast::CallExpr *c) {
  const std::string &format = ast::as<ast::StringLit>(c->args[0].get())->value;
  unsigned size = static_cast<unsigned>(format.size()) + 1;
  std::vector<llvm::Value *> args{stringLiteral(format, size).v, B.getInt32(size)};
  for (size_t i = 1; i < c->args.size(); ++i)
    args.push_back(expr(c->args[i].get()).v);
  lc.callHelper(TracePrintk, lc.i64(), args);
}

} // namespace bt::lower
