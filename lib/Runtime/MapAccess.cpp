// Map iteration with bpf_map_get_next_key / lookup / update / delete, and the
// keyless per-CPU arrays read as the hashes they stand for.
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

size_t roundUp8(size_t n) { return (n + 7) / 8 * 8; }

/// Bytes a lookup of one element writes: the kernel's value size, per CPU.
size_t lookupSize(const KernelMap &km, const MapSpec &map) {
  return map.perCpu() ? roundUp8(km.valueSize) * possibleCpus() : km.valueSize;
}

Status checkValueSize(const KernelMap &km, const MapSpec &map) {
  if (km.valueSize < valueSize(map) || km.valueSize > (1u << 20))
    return Error("map " + map.name + ": its values are " + std::to_string(km.valueSize) +
                 " bytes in the object, the manifest's " + toString(map.aggregation) +
                 " needs " + std::to_string(valueSize(map)));
  return {};
}

/// The first valueSize(map) bytes of each CPU's value, valueStride(map) apart.
std::vector<uint8_t> repack(const KernelMap &km, const MapSpec &map, const std::vector<uint8_t> &raw) {
  if (!map.perCpu() || roundUp8(km.valueSize) == valueStride(map))
    return raw;
  size_t from = roundUp8(km.valueSize), to = valueStride(map), n = raw.size() / from;
  std::vector<uint8_t> out(n * to, 0);
  for (size_t c = 0; c < n; ++c)
    std::memcpy(out.data() + c * to, raw.data() + c * from, valueSize(map));
  return out;
}

bool isKeylessArray(const MapSpec &map) { return map.bpfType == MapType::PercpuArray; }

Status checkArray(const KernelMap &km, const MapSpec &map) {
  if (!map.keyless || map.aggregation == Aggregation::None || km.keySize != 4 ||
      km.maxEntries < 2)
    return Error("map " + map.name + ": a percpu_array must be a keyless aggregation with a " +
                 "4-byte key and at least 2 elements");
  return {};
}

Status lookupIndex(const KernelMap &km, const MapSpec &map, uint32_t index, std::vector<uint8_t> &buf) {
  if (bpf_map_lookup_elem(km.fd, &index, buf.data()) != 0)
    return Error("map " + map.name + ": cannot look up element " + std::to_string(index) + ": " +
                 std::strerror(errno));
  return {};
}

/// Whether any CPU's 8-byte word at `offset` is non-zero.
bool anyCpuSet(const KernelMap &km, const std::vector<uint8_t> &buf, size_t offset) {
  for (size_t at = offset; at + 8 <= buf.size(); at += roundUp8(km.valueSize)) {
    uint64_t w;
    std::memcpy(&w, buf.data() + at, 8);
    if (w)
      return true;
  }
  return false;
}

// Element i < maxEntries - 1 is bucket i; an element was updated when its
// count (count/hist/lhist: the value; sum/min/max/avg/stats: the word at 8)
// is set on some CPU. The last element is the marker zeroMap sets: after
// zero(), every bucket reads as present with its (zero) value, as in a hash.
Result<std::vector<RawEntry>> readArray(const KernelMap &km, const MapSpec &map) {
  if (auto st = checkMapShape(km, map); !st)
    return std::move(st).error();
  std::vector<uint8_t> buf(lookupSize(km, map));
  if (auto st = lookupIndex(km, map, km.maxEntries - 1, buf); !st)
    return std::move(st).error();
  bool zeroed = anyCpuSet(km, buf, 0);
  size_t countOffset = km.valueSize >= 16 ? 8 : 0;
  std::vector<RawEntry> out;
  for (uint32_t i = 0; i + 1 < km.maxEntries; ++i) {
    if (auto st = lookupIndex(km, map, i, buf); !st)
      return std::move(st).error();
    if (!zeroed && !anyCpuSet(km, buf, countOffset))
      continue;
    RawEntry e;
    uint64_t key = i;
    e.key.resize(8);
    std::memcpy(e.key.data(), &key, 8);
    e.value = repack(km, map, buf);
    out.push_back(std::move(e));
  }
  return out;
}

Status fillArray(const KernelMap &km, const MapSpec &map, bool zeroed) {
  if (auto st = checkMapShape(km, map); !st)
    return st;
  std::vector<uint8_t> zero(lookupSize(km, map), 0), marker = zero;
  marker[0] = zeroed ? 1 : 0;
  for (uint32_t i = 0; i < km.maxEntries; ++i) {
    const auto &v = i + 1 == km.maxEntries ? marker : zero;
    if (bpf_map_update_elem(km.fd, &i, v.data(), BPF_ANY) != 0)
      return Error("map " + map.name + ": cannot zero element " + std::to_string(i) + ": " +
                   std::strerror(errno));
  }
  return {};
}

Result<std::vector<std::vector<uint8_t>>> keys(const KernelMap &km, const MapSpec &map) {
  std::vector<std::vector<uint8_t>> out;
  std::vector<uint8_t> cur(km.keySize), next(km.keySize);
  const void *prev = nullptr;
  while (true) {
    if (bpf_map_get_next_key(km.fd, prev, next.data()) != 0) {
      if (errno == ENOENT)
        break;
      return Error("map " + map.name + ": cannot iterate: " + std::strerror(errno));
    }
    out.push_back(next);
    cur = next;
    prev = cur.data();
    if (out.size() > (km.maxEntries ? km.maxEntries : 1u << 20) * 2 + 16)
      break; // the map changes under us faster than we read it
  }
  return out;
}

} // namespace

KernelMap kernelMapOf(const bpf_map *m) {
  return {bpf_map__fd(m), static_cast<int>(bpf_map__type(m)), bpf_map__key_size(m),
          bpf_map__value_size(m), bpf_map__max_entries(m)};
}

Status checkMapShape(const KernelMap &km, const MapSpec &map) {
  const char *type = libbpf_bpf_map_type_str(static_cast<bpf_map_type>(km.type));
  if (!type || std::string(toString(map.bpfType)) != type)
    return Error("map " + map.name + " is a " + (type ? type : "map of an unknown type") +
                 " in the object, the manifest says " + toString(map.bpfType));
  if (auto st = checkValueSize(km, map); !st)
    return st;
  return isKeylessArray(map) ? checkArray(km, map) : Status{};
}

Result<std::vector<RawEntry>> readMap(const KernelMap &km, const MapSpec &map) {
  if (isKeylessArray(map))
    return readArray(km, map);
  if (auto st = checkMapShape(km, map); !st)
    return std::move(st).error();
  auto ks = keys(km, map);
  if (!ks)
    return std::move(ks).error();
  std::vector<RawEntry> out;
  std::vector<uint8_t> buf(lookupSize(km, map));
  for (auto &k : *ks) {
    if (bpf_map_lookup_elem(km.fd, k.data(), buf.data()) != 0) {
      if (errno == ENOENT)
        continue; // deleted meanwhile
      return Error("map " + map.name + ": cannot look up an element: " + std::strerror(errno));
    }
    RawEntry e;
    e.key = std::move(k);
    e.value = repack(km, map, buf);
    out.push_back(std::move(e));
  }
  return out;
}

Status clearMap(const KernelMap &km, const MapSpec &map) {
  if (isKeylessArray(map))
    return fillArray(km, map, false);
  auto ks = keys(km, map);
  if (!ks)
    return std::move(ks).error();
  for (auto &k : *ks)
    if (bpf_map_delete_elem(km.fd, k.data()) != 0 && errno != ENOENT)
      return Error("map " + map.name + ": cannot delete an element: " + std::strerror(errno));
  return {};
}

Status zeroMap(const KernelMap &km, const MapSpec &map) {
  if (isKeylessArray(map))
    return fillArray(km, map, true);
  if (auto st = checkMapShape(km, map); !st)
    return st;
  auto ks = keys(km, map);
  if (!ks)
    return std::move(ks).error();
  std::vector<uint8_t> zero(lookupSize(km, map), 0);
  for (auto &k : *ks)
    if (bpf_map_update_elem(km.fd, k.data(), zero.data(), BPF_EXIST) != 0 && errno != ENOENT)
      return Error("map " + map.name + ": cannot zero an element: " + std::strerror(errno));
  return {};
}

} // namespace bt::rt
