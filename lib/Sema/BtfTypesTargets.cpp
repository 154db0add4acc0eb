// Kernel types against every target: a script compiled for several targets
// (`btc --target A --target B`) is typed with the first target's BTF; each kernel
// member, enum constant, sizeof and offsetof it relocates is then looked up in every
// other target's BTF, so a type or member one target lacks is refused at compile time
// naming that target, where CO-RE would only fail when the object loads there.
#include "BtfTypes.h"
#include "SemaInternal.h"

#include "bt/Target/Target.h"

#include <algorithm>
#include <map>

namespace bt::sema {

namespace {

struct Finding {
  SourceRange range;
  std::string message;
};

std::string spell(const Type &record) {
  return (record.isUnion ? "union " : "struct ") + record.name;
}

void checkTarget(const SemaResult &R, BtfTypes &other, const std::string &target,
                 std::vector<Finding> &out) {
  TypeTable scratch; // the other BTF's types: its ids are its own
  // Reports the first record or member of `path` the other BTF lacks; false when
  // that is a record (its other members need no report of their own).
  auto lacks = [&](SourceRange r, const std::vector<MemberAccess> &path) {
    for (const MemberAccess &m : path) {
      const Type &record = R.types.get(m.record);
      if (record.origin != RecordOrigin::Btf)
        continue;
      auto there = other.named(scratch, spell(record));
      if (!there || !scratch.get(*there).isRecord()) {
        out.push_back({r, spell(record) + " is not in the BTF of " + target});
        return false;
      }
      std::string unsupported;
      if (!other.member(scratch, *there, m.name, unsupported) && unsupported.empty()) {
        out.push_back({r, spell(record) + " has no member '" + m.name + "' on " + target});
        return true;
      }
    }
    return true;
  };
  for (const auto &[f, m] : R.members)
    lacks(f->fieldRange, {m});
  // A copied record's members (print(*p)) have no place of their own: the copy's.
  std::map<uint32_t, const std::vector<MemberAccess> *> copied; // in a stable order
  for (const auto &[index, list] : R.recordMembers)
    copied.emplace(index, &list);
  for (const auto &[index, list] : copied)
    for (const MemberAccess &m : *list)
      if (!lacks(R.recordCopySites.at(index), {m}))
        break;
  for (const auto &[o, path] : R.kernelOffsets)
    lacks(o->range, path);
  for (const auto &[s, sized] : R.kernelSizes) {
    TypeId t = sized; // an array's element: its record
    while (R.types.get(t).isArray())
      t = R.types.get(t).element;
    if (!other.named(scratch, spell(R.types.get(t))))
      out.push_back({s->range, spell(R.types.get(t)) + " is not in the BTF of " + target});
  }
  for (const auto &[e, value] : R.constants) {
    auto *id = ast::as<ast::IdentifierRef>(e);
    const Type &t = R.types.get(R.typeOf(e));
    if (id && t.name.compare(0, 5, "enum ") == 0 && !other.enumConstant(scratch, id->name))
      out.push_back({e->range, "enum constant '" + id->name + "' is not in the BTF of " + target});
  }
}

} // namespace

void checkKernelTypesOnTargets(const SemaResult &R, const TargetInfo &target,
                               DiagnosticEngine &diags) {
  auto members = target.members();
  // `--btf FILE` is the one BTF for every target.
  if (members.size() < 2 || !R.options.btfFile.empty() || !R.btf->load())
    return;
  std::vector<Finding> findings;
  for (size_t i = 1; i < members.size(); ++i) {
    auto path = members[i]->btfPath();
    if (!path) // kernel types need BTF: the first target's error, when it has none
      continue;
    BtfTypes other(*path, members[i]->name());
    if (!other.load()) {
      diags.error(SourceRange{}, other.error());
      continue;
    }
    checkTarget(R, other, members[i]->name(), findings);
  }
  std::stable_sort(findings.begin(), findings.end(), [](const Finding &a, const Finding &b) {
    return std::make_pair(a.range.begin.line, a.range.begin.col) <
           std::make_pair(b.range.begin.line, b.range.begin.col);
  });
  for (const Finding &f : findings)
    diags.error(f.range, f.message);
}

} // namespace bt::sema
