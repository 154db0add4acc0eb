// Upstream's builtin type names where a type stands (sizeof, typeinfo, typeof's peers,
// casts, arrays of them): its lexer makes string, inet, buffer, timestamp, macaddr_t,
// cgroup_path_t, void and the aggregations' count_t, sum_t, ... type tokens (bpftrace 0.17
// knows none of them). Each names the value btc gives the function that makes one, so
// sizeof(T) is the size btc gives such a value (bpftrace 0.17's layout of it, as for
// sizeof(e)); a name with no such value in btc is a located "not supported".
#include "Typer.h"

namespace bt::sema {

using namespace ast;

namespace {

// As the largest strlen btc's config takes (Let.cpp's bound on a declared string).
constexpr int64_t kMaxNamedBytes = 32768;

std::optional<AggKind> aggregationNamed(const std::string &n) {
  static const std::map<std::string, AggKind> names = {
      {"count_t", AggKind::Count}, {"sum_t", AggKind::Sum}, {"min_t", AggKind::Min},
      {"max_t", AggKind::Max},     {"avg_t", AggKind::Avg}, {"stats_t", AggKind::Stats},
  };
  auto it = names.find(n);
  return it == names.end() ? std::nullopt : std::optional(it->second);
}

// usum_t, umin_t and umax_t are sum(), min() and max() of unsigned values, as upstream's;
// upstream's lexer also has uavg_t, ustats_t and ucount_t, which nothing makes (its avg(),
// stats() and count() are signed), nor does btc.
std::optional<AggKind> unsignedAggregationNamed(const std::string &n) {
  static const std::map<std::string, AggKind> names = {
      {"usum_t", AggKind::Sum}, {"umin_t", AggKind::Min}, {"umax_t", AggKind::Max}};
  auto it = names.find(n);
  return it == names.end() ? std::nullopt : std::optional(it->second);
}

bool unmadeAggregation(const std::string &n) {
  return n == "uavg_t" || n == "ustats_t" || n == "ucount_t";
}

} // namespace

std::optional<std::optional<TypeId>> Typer::upstreamBuiltinType(const TypeName &tn) {
  const std::string &n = tn.name;
  bool sized = tn.arraySize >= 0;
  bool known = n == "string" || n == "inet" || n == "buffer" || n == "timestamp" ||
               n == "macaddr_t" || n == "cgroup_path_t" ||
               n == "void" || aggregationNamed(n) || unsignedAggregationNamed(n) ||
               unmadeAggregation(n);
  // `void *` is C's, and a script's own definition of the name is its own.
  if (!known || (n == "void" && tn.pointerDepth) || cType(n, true))
    return std::nullopt;
  auto refuse = [&](const std::string &why) -> std::optional<std::optional<TypeId>> {
    err(tn.range, "the type " + writtenSpelling(tn) + " is not supported" + why);
    return std::optional<TypeId>();
  };
  if (tn.pointerDepth)
    return refuse(": btc has no pointers to " + n + " values");
  if (n == "void")
    return refuse(": void has no size and no value");
  if (unmadeAggregation(n))
    return refuse(": no aggregation makes one (" + n.substr(1) + " is always signed)");
  if (n != "string" && n != "buffer" && !(n == "inet" && sized) && sized)
    return refuse(": " + n + " takes no size ([N])");
  TypeId t;
  if (n == "string") {
    // Unsized, the bytes btc holds a string in (`let $x: string`): max_strlen.
    if (sized && (tn.arraySize == 0 || tn.arraySize > kMaxNamedBytes))
      return refuse(": a string holds 1 to " + std::to_string(kMaxNamedBytes) + " bytes");
    t = R.types.string(sized ? unsigned(tn.arraySize) : R.options.strlen);
    // `string[8][4]`: four of them, as upstream reads a type's suffixes left to right.
    for (uint64_t count : tn.innerSizes) {
      if (count == 0 || ty(t).size * count > uint64_t(kMaxNamedBytes))
        return refuse(": an array of strings holds 1 to " + std::to_string(kMaxNamedBytes) +
                      " bytes");
      t = R.types.array(t, unsigned(count));
    }
    return std::optional(t);
  }
  if (!tn.innerSizes.empty())
    return refuse(" yet: btc has no arrays of " + n + " values");
  if (n == "inet") {
    // ntop()'s value: a family and 16 address bytes, bpftrace 0.17's 24 bytes.
    t = R.types.inetAddress();
    if (sized && uint64_t(tn.arraySize) != ty(t).size)
      return refuse(": btc's inet (ntop()'s value) is inet[" + std::to_string(ty(t).size) + "]");
  } else if (n == "buffer") {
    if (!sized || tn.arraySize == 0 || tn.arraySize > kMaxNamedBytes)
      return refuse(": a buffer names its capacity, buffer[N] (buf()'s N bytes, 1 to " +
                    std::to_string(kMaxNamedBytes) + ")");
    t = R.types.buffer(unsigned(tn.arraySize));
  } else if (n == "timestamp") {
    t = R.types.timestamp("");
  } else if (n == "macaddr_t") {
    t = R.types.macAddressText();
  } else if (n == "cgroup_path_t") {
    t = R.types.cgroupPath("");
  } else if (auto agg = unsignedAggregationNamed(n)) {
    t = R.types.aggregation(*agg, false);
  } else {
    t = R.types.aggregation(*aggregationNamed(n));
  }
  return std::optional(t);
}

std::string Typer::writtenSpelling(const TypeName &tn) const {
  std::string s = spelling(tn);
  size_t unsized = s.find("[]");
  if (tn.arraySize != 0 || unsized == std::string::npos || tn.range.begin.line == 0 ||
      tn.range.begin.line != tn.range.end.line)
    return s;
  std::string line = D.fileOf(tn.range.begin).lineText(tn.range.begin.line);
  size_t from = tn.range.begin.col - 1, to = std::min<size_t>(tn.range.end.col, line.size());
  size_t open = from < to ? line.find('[', from) : std::string::npos;
  if (open == std::string::npos || open >= to)
    return s;
  size_t inside = line.find_first_not_of(" \t", open + 1);
  if (inside < to && line[inside] != ']')
    s.insert(unsized + 1, "0");
  return s;
}

} // namespace bt::sema
