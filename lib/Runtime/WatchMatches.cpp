// See WatchMatches.h.
#include "WatchMatches.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace bt::rt {

namespace {

size_t matchRows(const Manifest &m) {
  size_t rows = 0;
  for (const ProbeSpec &p : m.probes)
    for (const AttachmentSpec &a : p.attachments)
      if (a.target.matchRow)
        rows = std::max<size_t>(rows, *a.target.matchRow + 1);
  return rows;
}

} // namespace

Status sizeWatchMatchNames(const BpfObject &obj, const Manifest &m) {
  if (!m.watchMatchNames)
    return {};
  const obj::WatchMatchNames &names = *m.watchMatchNames;
  bpf_map *map = obj.map(names.map);
  if (!map || bpf_map__key_size(map) != sizeof(uint32_t) ||
      bpf_map__value_size(map) != names.size)
    return Error("the object has no map '" + names.map +
                 "' of u32 keys and the rows watch_match_names says");
  bpf_map__set_max_entries(map, static_cast<uint32_t>(std::max<size_t>(matchRows(m), 1)));
  return {};
}

Status fillWatchMatchNames(const BpfObject &obj, const Manifest &m,
                           const TracedProcessFiles &process) {
  if (!m.watchMatchNames)
    return {};
  // The binary as bpftrace 0.17 names a watchpoint's (tracedBinaryNames).
  std::string binary = process.pid ? "/proc/" + std::to_string(*process.pid) + "/exe"
                                   : process.commandProgram;
  int fd = bpf_map__fd(obj.map(m.watchMatchNames->map));
  std::vector<char> row(m.watchMatchNames->size);
  for (const ProbeSpec &p : m.probes)
    for (const AttachmentSpec &a : p.attachments) {
      if (!a.target.matchRow || !a.target.matchProbe)
        continue;
      const auto &[before, after] = *a.target.matchProbe;
      std::string text = before + binary + ":" + a.target.symbol + after;
      std::fill(row.begin(), row.end(), '\0');
      std::memcpy(row.data(), text.data(), std::min(text.size(), row.size() - 1));
      auto key = static_cast<uint32_t>(*a.target.matchRow);
      if (bpf_map_update_elem(fd, &key, row.data(), BPF_ANY) != 0)
        return Error(a.probe + ": cannot write its `probe` text: " + std::strerror(errno));
    }
  return {};
}

} // namespace bt::rt
