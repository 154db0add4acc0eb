// tseries(value, interval, intervals[, agg]): upstream bpftrace's time-series
// aggregation. Its interval and number of intervals are literals, fixed per map, as
// the map's value holds one bucket per interval (lib/Lower/Tseries.cpp); a map with
// keys holds one such value per key.
#include "Typer.h"

#include <array>

namespace bt::sema {

using namespace ast;

namespace {

// A map value must fit one CPU's per-CPU slot (the kernel caps those at 32 KiB).
constexpr int64_t kMaxIntervals = 1000;
constexpr std::array<const char *, 4> kAggregations = {"avg", "max", "min", "sum"};

} // namespace

void Typer::tseriesParams(const CallExpr *call, MapInfo &mi) {
  if (auto refused = R.options.refusedUnstable("unstable_tseries")) {
    err(call->range, "tseries(): " + *refused);
    return;
  }
  if (call->args.size() < 3 || call->args.size() > 4)
    return;
  auto interval = literal(call->args[1].get()), intervals = literal(call->args[2].get());
  if (!interval || *interval <= 0) {
    err(call->args[1]->range, "tseries() needs an interval above 0 as an integer literal "
                              "(nanoseconds, or with a unit: 100ms)");
    return;
  }
  if (!intervals || *intervals <= 0 || *intervals > kMaxIntervals) {
    err(call->args[2]->range, "tseries() needs a number of intervals from 1 to " +
                                  std::to_string(kMaxIntervals) + " as an integer literal");
    return;
  }
  std::string agg;
  if (call->args.size() == 4) {
    auto *s = as<StringLit>(call->args[3].get());
    bool known = false;
    for (const char *a : kAggregations)
      known = known || (s && s->value == a);
    if (!known) {
      err(call->args[3]->range,
          "tseries() aggregates with \"avg\", \"max\", \"min\" or \"sum\" (a string literal)");
      return;
    }
    agg = s->value;
  }
  if (mi.tseriesIntervals && (mi.tseriesIntervalNs != *interval ||
                              mi.tseriesIntervals != *intervals || mi.tseriesAgg != agg)) {
    err(call->range, "tseries() parameters of " + mi.name + " differ from an earlier use");
    return;
  }
  mi.tseriesIntervalNs = *interval;
  mi.tseriesIntervals = *intervals;
  mi.tseriesAgg = agg;
}

} // namespace bt::sema
