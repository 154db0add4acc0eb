// Private to lib/Runtime: a tseries() map as upstream bpftrace prints it, as text
// (a graph of its intervals, per key) and as JSON ({"interval_start", "value"} per
// interval, an array per key).
#ifndef BT_RUNTIME_TSERIESFORMAT_H
#define BT_RUNTIME_TSERIESFORMAT_H

#include "bt/Runtime/MapPrinter.h"

#include <string>
#include <vector>

namespace bt::rt {

std::string formatTseries(const MapSpec &map, const std::vector<RawEntry> &entries,
                          unsigned ncpus, const FormatContext &ctx);
std::string formatTseriesJson(const MapSpec &map, const std::vector<RawEntry> &entries,
                              unsigned ncpus, const FormatContext &ctx);

} // namespace bt::rt

#endif
