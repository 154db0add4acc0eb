#include "bt/Sema/Sema.h"

namespace bt {

const char *aggName(AggKind k) {
  switch (k) {
  case AggKind::None: return "none";
  case AggKind::Count: return functionInfo(FunctionId::Count).spelling;
  case AggKind::Sum: return functionInfo(FunctionId::Sum).spelling;
  case AggKind::Min: return functionInfo(FunctionId::Min).spelling;
  case AggKind::Max: return functionInfo(FunctionId::Max).spelling;
  case AggKind::Avg: return functionInfo(FunctionId::Avg).spelling;
  case AggKind::Stats: return functionInfo(FunctionId::Stats).spelling;
  case AggKind::Hist: return functionInfo(FunctionId::Hist).spelling;
  case AggKind::Lhist: return functionInfo(FunctionId::Lhist).spelling;
  }
  return "?";
}

std::string Type::str() const {
  switch (kind) {
  case TypeKind::None: return "none";
  case TypeKind::Int:
    return (isSigned ? "int" : "uint") + std::to_string(size * 8);
  case TypeKind::String: return "string[" + std::to_string(size) + "]";
  case TypeKind::TracepointArgs: return "args";
  case TypeKind::Aggregation: return std::string(aggName(agg)) + "()";
  case TypeKind::KernelSymbol: return "ksym";
  case TypeKind::Timestamp: return "strftime";
  case TypeKind::KernelStack:
    return "kstack(" + std::string(perfMode ? "perf, " : "") + std::to_string(size) + ")";
  case TypeKind::Tuple: {
    std::string s = "(";
    for (size_t i = 0; i < elems.size(); ++i)
      s += (i ? ", " : "") + elems[i].str();
    return s + ")";
  }
  }
  return "?";
}

bool operator==(const Type &a, const Type &b) {
  return a.kind == b.kind && a.size == b.size && a.isSigned == b.isSigned &&
         a.agg == b.agg && a.elems == b.elems && a.perfMode == b.perfMode &&
         a.timeFormat == b.timeFormat;
}

const Type &SemaResult::typeOf(const ast::Expr *e) const {
  static const Type none;
  auto it = exprTypes.find(e);
  return it == exprTypes.end() ? none : it->second;
}

BuiltinUse SemaResult::builtinOf(const ast::BuiltinRef *b) const { return builtins.at(b); }

FunctionId SemaResult::functionOf(const ast::CallExpr *c) const { return functions.at(c); }

const MapInfo *SemaResult::map(const std::string &name) const {
  for (const auto &m : maps)
    if (m.name == name)
      return &m;
  return nullptr;
}

} // namespace bt
