// An aggregation read as a value in a probe (`$x = @c`, `@s > 10`, `(int64)@a`):
// upstream bpftrace's synchronous read of count(), sum(), avg(), min() and max(),
// their CPUs' slots combined (lib/Lower/AggregationRead.cpp). count() is unsigned, and
// so is a sum() of unsigned values (upstream's usum_t); the others are signed. A histogram or stats() has no one value: bpftrace refuses to
// read it, and so does btc.
#include "Typer.h"

namespace bt::sema {

using namespace ast;

TypeId Typer::aggregationValue(const MapRef *m, AggKind agg) {
  switch (agg) {
  case AggKind::Count:
    return u64();
  case AggKind::Sum:
    return ty(mapInfo(m).value).isSigned ? s64() : u64();
  case AggKind::Avg: case AggKind::Min: case AggKind::Max:
    return s64();
  default:
    err(m->range, "the value of a " + std::string(aggName(agg)) + "() map cannot be read in a " +
                      "probe (count(), sum(), avg(), min() and max() can be)");
    return R.types.none();
  }
}

} // namespace bt::sema
