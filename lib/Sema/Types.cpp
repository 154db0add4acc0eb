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

const MapInfo *SemaResult::map(const std::string &name) const {
  for (const auto &m : maps)
    if (m.name == name)
      return &m;
  return nullptr;
}

} // namespace bt
