// Symbolic names, upstream bpftrace's: printf's `%s` of an enum value prints its
// enumerator's name, `%gr` an integer of GFP flags as the kernel's names for them, and a
// value of an enum the script defines prints by name wherever print() and maps print it.
// btc takes the names from the script's C definitions or the target's BTF into the
// manifest (SemaResult::symbols), so btrun needs no BTF to print them.
#include "BtfTypes.h"
#include "Enumerators.h"
#include "Typer.h"

#include "bt/Format/Printf.h"

namespace bt::sema {

using namespace ast;

namespace {

// The kernel's GFP flag names in the order its own %pGg prints them
// (include/trace/events/mmflags.h): each compound flag before the bits it is made of,
// so that a value prints as few names as cover it. A bit is `___GFP_<NAME>_BIT` in the
// target's BTF (Linux 6.9 and later); one the target lacks (its config leaves it out)
// is 0, as in the kernel, and names nothing.
struct GfpName {
  const char *name;
  std::vector<const char *> bits; // the __GFP_ bits it is made of
};

const std::vector<GfpName> &gfpNames() {
  static const std::vector<const char *> reclaim = {"DIRECT_RECLAIM", "KSWAPD_RECLAIM"};
  auto with = [](std::vector<const char *> a, std::vector<const char *> b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  };
  static const std::vector<const char *> user = with(reclaim, {"IO", "FS", "HARDWALL"});
  static const std::vector<const char *> highuserMovable =
      with(user, {"HIGHMEM", "MOVABLE", "SKIP_KASAN"});
  // GFP_TRANSHUGE_LIGHT is GFP_HIGHUSER_MOVABLE, less reclaim, with COMP, NOMEMALLOC
  // and NOWARN; GFP_TRANSHUGE adds direct reclaim back.
  static const std::vector<const char *> transhugeLight = {
      "IO", "FS", "HARDWALL", "HIGHMEM", "MOVABLE", "SKIP_KASAN", "COMP", "NOMEMALLOC", "NOWARN"};
  static const std::vector<GfpName> names = {
      {"GFP_TRANSHUGE", with(transhugeLight, {"DIRECT_RECLAIM"})},
      {"GFP_TRANSHUGE_LIGHT", transhugeLight},
      {"GFP_HIGHUSER_MOVABLE", highuserMovable},
      {"GFP_HIGHUSER", with(user, {"HIGHMEM"})},
      {"GFP_USER", user},
      {"GFP_KERNEL_ACCOUNT", with(reclaim, {"IO", "FS", "ACCOUNT"})},
      {"GFP_KERNEL", with(reclaim, {"IO", "FS"})},
      {"GFP_NOFS", with(reclaim, {"IO"})},
      {"GFP_ATOMIC", {"HIGH", "KSWAPD_RECLAIM"}},
      {"GFP_NOIO", reclaim},
      {"GFP_NOWAIT", {"KSWAPD_RECLAIM"}},
      {"GFP_DMA", {"DMA"}},
      {"__GFP_HIGHMEM", {"HIGHMEM"}},
      {"GFP_DMA32", {"DMA32"}},
      {"__GFP_HIGH", {"HIGH"}},
      {"__GFP_IO", {"IO"}},
      {"__GFP_FS", {"FS"}},
      {"__GFP_NOWARN", {"NOWARN"}},
      {"__GFP_RETRY_MAYFAIL", {"RETRY_MAYFAIL"}},
      {"__GFP_NOFAIL", {"NOFAIL"}},
      {"__GFP_NORETRY", {"NORETRY"}},
      {"__GFP_COMP", {"COMP"}},
      {"__GFP_ZERO", {"ZERO"}},
      {"__GFP_NOMEMALLOC", {"NOMEMALLOC"}},
      {"__GFP_MEMALLOC", {"MEMALLOC"}},
      {"__GFP_HARDWALL", {"HARDWALL"}},
      {"__GFP_THISNODE", {"THISNODE"}},
      {"__GFP_RECLAIMABLE", {"RECLAIMABLE"}},
      {"__GFP_MOVABLE", {"MOVABLE"}},
      {"__GFP_ACCOUNT", {"ACCOUNT"}},
      {"__GFP_WRITE", {"WRITE"}},
      {"__GFP_RECLAIM", reclaim},
      {"__GFP_DIRECT_RECLAIM", {"DIRECT_RECLAIM"}},
      {"__GFP_KSWAPD_RECLAIM", {"KSWAPD_RECLAIM"}},
      {"__GFP_ZEROTAGS", {"ZEROTAGS"}},
      {"__GFP_SKIP_ZERO", {"SKIP_ZERO"}},
      {"__GFP_SKIP_KASAN", {"SKIP_KASAN"}},
      {"__GFP_NOLOCKDEP", {"NOLOCKDEP"}},
      {"__GFP_NO_OBJ_EXT", {"NO_OBJ_EXT"}},
  };
  return names;
}

} // namespace

bool Typer::gfpSymbols(SourceRange range) {
  if (R.symbols.count("%gr"))
    return true;
  if (!kernelTypes(range))
    return false;
  if (!R.btf->enumConstant(R.types, "___GFP_IO_BIT")) {
    err(range, "'%gr' needs the target's GFP flag bits, the ___GFP_*_BIT enumerators of "
               "Linux 6.9 and later, which the BTF of " + R.btf->path() + " lacks");
    return false;
  }
  std::vector<obj::Symbol> symbols;
  for (const GfpName &g : gfpNames()) {
    uint64_t mask = 0;
    for (const char *bit : g.bits)
      if (auto c = R.btf->enumConstant(R.types, std::string("___GFP_") + bit + "_BIT"))
        mask |= 1ULL << c->value;
    if (mask)
      symbols.push_back({mask, g.name});
  }
  R.symbols["%gr"] = std::move(symbols);
  return true;
}

void scriptEnumNames(SemaResult &R) {
  if (!R.cdefs)
    return;
  auto add = [&](TypeId id) {
    const Type &t = R.types.get(id);
    if (!isEnum(t) || R.scriptEnums.count(t.name))
      return;
    auto enumerators =
        R.cdefs->isScriptEnum(t.name) ? R.cdefs->enumerators(t.name) : std::nullopt;
    if (!enumerators)
      return;
    R.scriptEnums.insert(t.name);
    std::vector<obj::Symbol> symbols;
    for (auto &[value, enumerator] : *enumerators)
      symbols.push_back({value, std::move(enumerator)});
    R.symbols[t.name] = std::move(symbols);
  };
  for (const auto &[expr, id] : R.exprTypes)
    add(id);
  for (const auto &[record, members] : R.recordMembers)
    for (const MemberAccess &m : members)
      add(m.type);
}

void Typer::symbolicConversions(const CallExpr *c, const std::vector<Type> &args) {
  auto parsed = format::parsePrintf(as<StringLit>(c->args[0].get())->value);
  const auto &conversions = parsed.format.conversions;
  bool pinned = probe_ && probe_->type == ProbeType::Iter &&
                !probe_->attachments.front().pin.empty();
  for (size_t i = 0; i < conversions.size() && i < args.size(); ++i) {
    bool gfp = conversions[i].gfpFlags;
    bool enumName = conversions[i].conversion == 's' && isEnum(args[i]);
    SourceRange where = c->args[i + 1]->range;
    // btrun prints an integer under %s as text (upstream 0.24+); bpf_seq_printf cannot.
    if (pinned && !enumName && conversions[i].conversion == 's' && args[i].isInt()) {
      err(where, "'%s' of " + args[i].str() + " in a pinned iterator is not supported: the "
                 "kernel formats its file (bpf_seq_printf), and prints only strings with it");
      continue;
    }
    if (!gfp && !enumName)
      continue;
    if (pinned) {
      err(where, "'" + conversions[i].spelling() + "' of " + (gfp ? args[i].str() : args[i].name) +
                     " in a pinned iterator is not supported: the kernel formats its file "
                     "(bpf_seq_printf), and knows no names");
      continue;
    }
    if (gfp) {
      gfpSymbols(where);
      continue;
    }
    const std::string &name = args[i].name;
    if (R.symbols.count(name))
      continue;
    // An enum the script's C defines (or includes) is named by that definition.
    auto enumerators = enumeratorsOf(R.cdefs.get(), *R.btf, name);
    if (!enumerators && !kernelTypes(where)) // the BTF could not be read: reported once
      continue;
    if (!enumerators) {
      err(where, "'%s' of " + name + " needs its enumerators, which the BTF of " +
                     R.btf->path() + " lacks" +
                     (name == "enum " ? " (an anonymous enum cannot be found by name)" : ""));
      continue;
    }
    std::vector<obj::Symbol> symbols;
    for (auto &[value, enumerator] : *enumerators)
      symbols.push_back({value, std::move(enumerator)});
    R.symbols[name] = std::move(symbols);
  }
}

} // namespace bt::sema
