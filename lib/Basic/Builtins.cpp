// The tables of include/bt/Basic/*.def as arrays, and name lookups over them.
#include "bt/Basic/Builtins.h"

#include <cctype>

namespace bt {
namespace {

constexpr ProbeKindInfo kProbeKinds[] = {
#define PROBE_KIND(Id, Name, Shape, Section, Order, Needs) \
  {ProbeType::Id, Name, Shape, Section, AttachOrder::Order, Needs},
#include "bt/Basic/ProbeKinds.def"
};

constexpr ProbeKindSpelling kProbeKindSpellings[] = {
#define PROBE_SPELLING(Id, Spelling) {ProbeType::Id, Spelling},
#include "bt/Basic/ProbeKinds.def"
};

constexpr BuiltinInfo kBuiltins[] = {
#define BUILTIN(Id, Spelling, Result, Probes, NotYetIn, NotYetReason) \
  {BuiltinId::Id, Spelling, 0, BuiltinResult::Result, Probes, NotYetIn, NotYetReason, true},
#define BUILTIN_FAMILY(Id, Prefix, Count, Result, Probes, NotYetIn, NotYetReason) \
  {BuiltinId::Id, Prefix, Count, BuiltinResult::Result, Probes, NotYetIn, NotYetReason, true},
#define BUILTIN_NOT_YET(Id, Spelling, Reason) \
  {BuiltinId::Id, Spelling, 0, BuiltinResult::Unknown, probes::Any, probes::None, Reason, false},
#define BUILTIN_FAMILY_NOT_YET(Id, Prefix, Count) \
  {BuiltinId::Id, Prefix, Count, BuiltinResult::Unknown, probes::Any, probes::None, "", false},
#include "bt/Basic/Builtins.def"
};

constexpr BuiltinAlias kBuiltinAliases[] = {
#define BUILTIN_ALIAS(Id, Spelling) {BuiltinId::Id, Spelling},
#include "bt/Basic/Builtins.def"
};

constexpr FunctionInfo kFunctions[] = {
#define FUNCTION(Id, Spelling, MinArgs, MaxArgs, Arguments, Kind, Usage, Check, Lower) \
  {FunctionId::Id, Spelling, MinArgs, MaxArgs, Arguments, FunctionKind::Kind, Usage, true},
#define AGGREGATION(Id, Spelling, MinArgs, MaxArgs, Arguments, Usage) \
  {FunctionId::Id, Spelling, MinArgs, MaxArgs, Arguments, FunctionKind::Aggregation, Usage, true},
#define FUNCTION_NOT_YET(Id, Spelling) \
  {FunctionId::Id, Spelling, 0, kVariadic, "", FunctionKind::Value, "", false},
#define FUNCTION_REFUSED(Id, Spelling, Reason) \
  {FunctionId::Id, Spelling, 0, kVariadic, "", FunctionKind::Value, Reason, false},
#include "bt/Basic/Functions.def"
};

constexpr FunctionAlias kFunctionAliases[] = {
#define FUNCTION_ALIAS(Id, Spelling) {FunctionId::Id, Spelling},
#include "bt/Basic/Functions.def"
};

// Each table is indexed by its id: the rows are in enum order.
constexpr bool rowsInIdOrder() {
  for (size_t i = 0; i < std::size(kProbeKinds); ++i)
    if (size_t(kProbeKinds[i].type) != i)
      return false;
  for (size_t i = 0; i < std::size(kBuiltins); ++i)
    if (size_t(kBuiltins[i].id) != i)
      return false;
  for (size_t i = 0; i < std::size(kFunctions); ++i)
    if (size_t(kFunctions[i].id) != i)
      return false;
  return true;
}
static_assert(rowsInIdOrder());

// An alias is a spelling no row has: lookups would find the row first.
constexpr bool aliasesAreNewSpellings() {
  for (const auto &a : kBuiltinAliases)
    for (const auto &b : kBuiltins)
      if (std::string_view(a.spelling) == b.spelling)
        return false;
  for (const auto &a : kFunctionAliases)
    for (const auto &f : kFunctions)
      if (std::string_view(a.spelling) == f.spelling)
        return false;
  return true;
}
static_assert(aliasesAreNewSpellings());
static_assert(std::size(kProbeKinds) <= 8 * sizeof(ProbeTypeMask));

// The digits after a family's prefix: one to three, as the parser takes them.
std::optional<unsigned> familyIndex(std::string_view name, std::string_view prefix) {
  if (name.size() <= prefix.size() || name.size() > prefix.size() + 3 ||
      name.substr(0, prefix.size()) != prefix)
    return std::nullopt;
  unsigned n = 0;
  for (char c : name.substr(prefix.size())) {
    if (!std::isdigit(static_cast<unsigned char>(c)))
      return std::nullopt;
    n = n * 10 + unsigned(c - '0');
  }
  return n;
}

} // namespace

const ProbeKindInfo &probeKind(ProbeType t) { return kProbeKinds[size_t(t)]; }

std::optional<ProbeType> lookupProbeKind(std::string_view provider) {
  for (const auto &a : kProbeKindSpellings)
    if (provider == a.spelling)
      return a.type;
  return std::nullopt;
}

const BuiltinInfo &builtinInfo(BuiltinId id) { return kBuiltins[size_t(id)]; }

std::optional<BuiltinUse> lookupBuiltin(std::string_view name) {
  for (const auto &b : kBuiltins) {
    if (!b.familySize) {
      if (name == b.spelling)
        return BuiltinUse{b.id, 0};
    } else if (auto i = familyIndex(name, b.spelling)) {
      // Only the canonical spelling: arg3, not arg03.
      if (*i < b.familySize && name.size() == std::string_view(b.spelling).size() + 1)
        return BuiltinUse{b.id, *i};
      return std::nullopt;
    }
  }
  for (const auto &a : kBuiltinAliases)
    if (name == a.spelling)
      return BuiltinUse{a.id, 0};
  return std::nullopt;
}

bool isBuiltinSpelling(std::string_view name) {
  for (const auto &b : kBuiltins)
    if (b.familySize ? familyIndex(name, b.spelling).has_value() : name == b.spelling)
      return true;
  for (const auto &a : kBuiltinAliases)
    if (name == a.spelling)
      return true;
  return false;
}

const FunctionInfo &functionInfo(FunctionId id) { return kFunctions[size_t(id)]; }

std::optional<FunctionId> lookupFunction(std::string_view name) {
  for (const auto &f : kFunctions)
    if (name == f.spelling)
      return f.id;
  for (const auto &a : kFunctionAliases)
    if (name == a.spelling)
      return a.id;
  return std::nullopt;
}

TableView<ProbeKindInfo> allProbeKinds() { return {kProbeKinds, std::size(kProbeKinds)}; }
TableView<ProbeKindSpelling> allProbeKindSpellings() {
  return {kProbeKindSpellings, std::size(kProbeKindSpellings)};
}
TableView<BuiltinInfo> allBuiltins() { return {kBuiltins, std::size(kBuiltins)}; }
TableView<BuiltinAlias> allBuiltinAliases() {
  return {kBuiltinAliases, std::size(kBuiltinAliases)};
}
TableView<FunctionInfo> allFunctions() { return {kFunctions, std::size(kFunctions)}; }
TableView<FunctionAlias> allFunctionAliases() {
  return {kFunctionAliases, std::size(kFunctionAliases)};
}

} // namespace bt
