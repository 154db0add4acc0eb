#include "bt/Sema/Sema.h"

namespace bt {

const char *aggName(AggKind k) {
  switch (k) {
  case AggKind::None: return "none";
  case AggKind::Count: return "count";
  case AggKind::Sum: return "sum";
  case AggKind::Min: return "min";
  case AggKind::Max: return "max";
  case AggKind::Avg: return "avg";
  case AggKind::Stats: return "stats";
  case AggKind::Hist: return "hist";
  case AggKind::Lhist: return "lhist";
  }
  return "?";
}

const char *probeTypeName(ProbeType t) {
  switch (t) {
  case ProbeType::Begin: return "begin";
  case ProbeType::End: return "end";
  case ProbeType::Tracepoint: return "tracepoint";
  case ProbeType::RawTracepoint: return "rawtracepoint";
  case ProbeType::Interval: return "interval";
  case ProbeType::Profile: return "profile";
  case ProbeType::Software: return "software";
  case ProbeType::Uprobe: return "uprobe";
  case ProbeType::Uretprobe: return "uretprobe";
  case ProbeType::Usdt: return "usdt";
  case ProbeType::Kprobe: return "kprobe";
  case ProbeType::Kretprobe: return "kretprobe";
  case ProbeType::Fentry: return "fentry";
  case ProbeType::Fexit: return "fexit";
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
  return probe.attachments[attachment].fields[tracepointFields.at(f)[attachment]];
}

const MapInfo *SemaResult::map(const std::string &name) const {
  for (const auto &m : maps)
    if (m.name == name)
      return &m;
  return nullptr;
}

} // namespace bt
