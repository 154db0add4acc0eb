// Upstream bpftrace's helpers: the compile-time ones are constants Sema computed
// (is_str, strcap, kfunc_exist, ...); strstr is StringFunctions.cpp's search;
// pid(init) and tid(init) are the builtins Sema put in their place.
#include "ProbeLowering.h"

namespace bt::lower {

Value ProbeLowering::upstreamCall(const ast::CallExpr *c) {
  TypeId t = lc.sema.typeOf(c);
  switch (lc.sema.functionOf(c)) {
  case FunctionId::Strstr:
    return {t, firstMatch(c)};
  case FunctionId::PidCall:
  case FunctionId::TidCall:
    return expr(lc.sema.expansions.at(c).get());
  case FunctionId::Strcap:
  case FunctionId::DefaultStrLength:
  case FunctionId::IsArray:
  case FunctionId::IsInteger:
  case FunctionId::IsLiteral:
  case FunctionId::IsPtr:
  case FunctionId::IsStr:
  case FunctionId::IsUnsignedInteger:
  case FunctionId::KfuncExist:
    return {t, B.getInt64(lc.sema.constants.at(c))};
  default:
    llvm_unreachable("call rejected by Sema");
  }
}

} // namespace bt::lower
