// Map declarations, `let @m = hash(N) | lruhash(N) | percpuhash(N) |
// percpulruhash(N) | percpuarray(1);` (bpftrace 0.24+): the kind and the maximum
// number of keys of a map the probes use. An aggregation (count(), hist(), ...) is
// per-CPU whatever the declaration says, as btc's aggregations always are; a plain
// value cannot be per-CPU (btrun reads one value per key). Upstream's percpuarray
// holds one element, a keyless count(): btc's keyless aggregations already live in
// a per-CPU array, so the declaration only checks that the map is one.
#include "SemaInternal.h"

namespace bt::sema {

using namespace ast;

void applyMapDeclarations(const Program &program, SemaResult &result,
                          const std::set<std::string> &functionMaps, DiagnosticEngine &diags) {
  std::map<std::string, const MapDecl *> seen;
  for (const MapDecl &d : program.mapDecls) {
    bool lru = d.kind == "lruhash" || d.kind == "percpulruhash";
    bool perCpu = d.kind == "percpuhash" || d.kind == "percpulruhash";
    bool array = d.kind == "percpuarray";
    if (!lru && !perCpu && !array && d.kind != "hash") {
      diags.error(d.kindRange, "unknown map kind '" + d.kind +
                                   "' (hash, lruhash, percpuhash, percpulruhash or percpuarray)");
      continue;
    }
    auto *n = as<IntegerLit>(d.size.get());
    if (!n || n->value == 0 || n->value > UINT32_MAX) {
      diags.error(d.size->range, "the size of " + d.name +
                                     " must be an integer literal from 1 to 4294967295");
      continue;
    }
    if (array && n->value != 1) {
      diags.error(d.size->range, "a percpuarray map holds one element: the size of " +
                                     d.name + " must be 1, as upstream's");
      continue;
    }
    if (auto [it, added] = seen.emplace(d.name, &d); !added) {
      diags.error(d.nameRange, "map " + d.name + " is declared twice");
      diags.note(it->second->nameRange, "declared here");
      continue;
    }
    MapInfo *mi = nullptr;
    for (auto &m : result.maps)
      if (m.name == d.name)
        mi = &m;
    if (!mi) {
      // Upstream's warning, in its words and at the declaration; the script runs without
      // the map.
      if (!functionMaps.count(d.name))
        diags.warning(d.range, "Unused map: " + d.name);
      continue;
    }
    if (array && (mi->agg != AggKind::Count || !mi->keys.empty())) {
      diags.error(d.kindRange, "a percpuarray map holds one keyless count() (upstream's); " +
                                   d.name + " holds " +
                                   (mi->keys.empty() ? "" : std::string("keyed ")) +
                                   result.types.get(mi->value).str());
      continue;
    }
    if (perCpu && mi->agg == AggKind::None) {
      diags.error(d.kindRange, "a " + d.kind + " map holds aggregations (count(), sum(), ...); " +
                                   d.name + " holds " + result.types.get(mi->value).str() +
                                   " (use hash or lruhash)");
      continue;
    }
    mi->lru = lru;
    mi->maxKeys = n->value;
  }
}

} // namespace bt::sema
