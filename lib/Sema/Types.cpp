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
  case AggKind::Tseries: return functionInfo(FunctionId::Tseries).spelling;
  }
  return "?";
}

TypeId SemaResult::typeOf(const ast::Expr *e) const {
  auto it = exprTypes.find(e);
  return it == exprTypes.end() ? types.none() : it->second;
}

DeclId SemaResult::declarationIdOf(const ast::VariableRef *v) const { return bindings.at(v); }

const Declaration &SemaResult::declarationOf(const ast::VariableRef *v) const {
  return scopes.declaration(declarationIdOf(v));
}

const TracepointField &SemaResult::fieldOf(const ast::FieldExpr *f, const ProbeInfo &probe,
                                           size_t attachment) const {
  return probe.attachments[attachment].fields[tracepointFields.at(f).fields[attachment]];
}

BuiltinUse SemaResult::builtinOf(const ast::BuiltinRef *b) const { return builtins.at(b); }

FunctionId SemaResult::functionOf(const ast::CallExpr *c) const { return functions.at(c); }

bool SemaResult::takesStack(const ast::Expr *e) const {
  if (auto *b = ast::as<ast::BuiltinRef>(e)) {
    auto it = builtins.find(b);
    return it != builtins.end() &&
           (it->second.id == BuiltinId::Kstack || it->second.id == BuiltinId::Ustack);
  }
  if (auto *c = ast::as<ast::CallExpr>(e)) {
    auto it = functions.find(c);
    return it != functions.end() &&
           (it->second == FunctionId::Kstack || it->second == FunctionId::Ustack);
  }
  return false;
}

const MapInfo *SemaResult::map(const std::string &name) const {
  for (const auto &m : maps)
    if (m.name == name)
      return &m;
  return nullptr;
}

} // namespace bt
