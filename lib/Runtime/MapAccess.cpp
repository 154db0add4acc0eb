// Map iteration with bpf_map_get_next_key / lookup / update / delete.
#include "bt/Runtime/MapAccess.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <cstring>

namespace bt::rt {

unsigned possibleCpus() {
  int n = libbpf_num_possible_cpus();
  return n > 0 ? static_cast<unsigned>(n) : 1;
}

namespace {

size_t lookupSize(const MapInfo &map) {
  return map.perCpu() ? static_cast<size_t>(valueStride(map)) * possibleCpus() : valueSize(map);
}

Result<std::vector<std::vector<uint8_t>>> keys(int fd, const MapInfo &map, unsigned keySize) {
  std::vector<std::vector<uint8_t>> out;
  std::vector<uint8_t> cur(keySize), next(keySize);
  const void *prev = nullptr;
  while (true) {
    if (bpf_map_get_next_key(fd, prev, next.data()) != 0) {
      if (errno == ENOENT)
        break;
      return Error("map " + map.name + ": cannot iterate: " + std::strerror(errno));
    }
    out.push_back(next);
    cur = next;
    prev = cur.data();
    if (out.size() > (map.maxEntries ? map.maxEntries : 1u << 20) * 2 + 16)
      break; // the map changes under us faster than we read it
  }
  return out;
}

} // namespace

Result<std::vector<RawEntry>> readMap(int fd, const MapInfo &map, unsigned keySize) {
  auto ks = keys(fd, map, keySize);
  if (!ks)
    return std::move(ks).error();
  std::vector<RawEntry> out;
  size_t vs = lookupSize(map);
  for (auto &k : *ks) {
    RawEntry e;
    e.value.resize(vs);
    if (bpf_map_lookup_elem(fd, k.data(), e.value.data()) != 0) {
      if (errno == ENOENT)
        continue; // deleted meanwhile
      return Error("map " + map.name + ": cannot look up an element: " + std::strerror(errno));
    }
    e.key = std::move(k);
    out.push_back(std::move(e));
  }
  return out;
}

Status clearMap(int fd, const MapInfo &map, unsigned keySize) {
  auto ks = keys(fd, map, keySize);
  if (!ks)
    return std::move(ks).error();
  for (auto &k : *ks)
    if (bpf_map_delete_elem(fd, k.data()) != 0 && errno != ENOENT)
      return Error("map " + map.name + ": cannot delete an element: " + std::strerror(errno));
  return {};
}

Status zeroMap(int fd, const MapInfo &map, unsigned keySize) {
  auto ks = keys(fd, map, keySize);
  if (!ks)
    return std::move(ks).error();
  std::vector<uint8_t> zero(lookupSize(map), 0);
  for (auto &k : *ks)
    if (bpf_map_update_elem(fd, k.data(), zero.data(), BPF_EXIST) != 0 && errno != ENOENT)
      return Error("map " + map.name + ": cannot zero an element: " + std::strerror(errno));
  return {};
}

} // namespace bt::rt
