// Several targets as one (combineTargets): btc compiles once and checks against each,
// so the object runs on every one. Every query asks each member; a refusal names the
// member that refuses.
#include "bt/Target/KernelModules.h"
#include "bt/Target/Target.h"

#include <algorithm>
#include <set>

namespace bt {
namespace {

std::string describe(const TracepointField &f) {
  return "offset " + std::to_string(f.offset) + ", size " + std::to_string(f.size) +
         (f.isSigned ? ", signed" : ", unsigned") + " ('" + f.declaration + "')";
}

class CombinedTarget : public TargetInfo, public KernelModuleList {
public:
  explicit CombinedTarget(std::vector<std::unique_ptr<TargetInfo>> targets)
      : targets_(std::move(targets)) {}

  std::string name() const override {
    std::string out = "targets ";
    for (size_t i = 0; i < targets_.size(); ++i)
      out += (i == 0 ? "" : i + 1 == targets_.size() ? " and " : ", ") + quoted(*targets_[i]);
    return out;
  }
  const Arch &arch() const override { return targets_[0]->arch(); }

  // Those every member with a known list has, in the first such member's order.
  std::vector<std::string> tracepoints() const override {
    std::optional<std::vector<std::string>> out;
    for (const auto &t : targets_) {
      if (!t->tracepointsUnknownReason().empty())
        continue;
      auto list = t->tracepoints();
      if (!out) {
        out = std::move(list);
        continue;
      }
      std::set<std::string> has(list.begin(), list.end());
      out->erase(std::remove_if(out->begin(), out->end(),
                                [&](const std::string &e) { return !has.count(e); }),
                 out->end());
    }
    return out ? *out : std::vector<std::string>{};
  }

  std::optional<std::vector<TracepointField>>
  tracepointFormat(const std::string &category, const std::string &name) const override {
    auto format = findTracepoint(category, name);
    if (!format)
      return std::nullopt;
    return format->fields;
  }

  // The fields every member lays out alike; one that differs, or that a member lacks,
  // is unknown, and reading it is an error naming both layouts.
  OrError<TracepointFormat> findTracepoint(const std::string &category,
                                           const std::string &name) const override {
    std::vector<TracepointFormat> formats;
    for (const auto &t : targets_) {
      auto format = t->findTracepoint(category, name);
      if (!format)
        return format;
      formats.push_back(std::move(*format));
    }
    TracepointFormat out = formats[0];
    std::vector<std::string> why;
    if (!formats[0].unknownFields.empty())
      why.push_back(formats[0].unknownFields);
    for (size_t i = 1; i < formats.size(); ++i) {
      if (!formats[i].unknownFields.empty())
        why.push_back(formats[i].unknownFields);
      std::vector<TracepointField> kept;
      for (const TracepointField &f : out.fields) {
        auto other = std::find_if(formats[i].fields.begin(), formats[i].fields.end(),
                                  [&](const TracepointField &g) { return g.name == f.name; });
        if (other == formats[i].fields.end())
          why.push_back("'" + f.name + "' is on " + targets_[0]->name() + " but not on " +
                        targets_[i]->name());
        else if (*other != f)
          why.push_back("'" + f.name + "' is at " + describe(f) + " on " + targets_[0]->name() +
                        " but at " + describe(*other) + " on " + targets_[i]->name() +
                        ": one object cannot read both");
        else
          kept.push_back(f);
      }
      out.fields = std::move(kept);
    }
    out.unknownFields.clear();
    for (size_t i = 0; i < why.size(); ++i)
      out.unknownFields += (i ? "; " : "") + why[i];
    return out;
  }

  std::string tracepointsNote() const override {
    std::string out;
    for (const auto &t : targets_) {
      std::string note = t->tracepointsNote();
      if (!note.empty() && out.find(note) == std::string::npos)
        out += (out.empty() ? "" : "; ") + note;
    }
    return out;
  }
  std::string tracepointsUnknownReason() const override {
    for (const auto &t : targets_)
      if (auto why = t->tracepointsUnknownReason(); !why.empty())
        return why;
    return "";
  }

  Support probeType(const std::string &type) const override {
    return all([&](const TargetInfo &t) { return t.probeType(type); });
  }
  Support function(const std::string &fn) const override {
    return all([&](const TargetInfo &t) { return t.function(fn); });
  }
  // Blacklisted on one member, the kprobe would not attach there.
  bool kprobeBlacklisted(const std::string &fn) const override {
    for (const auto &t : targets_)
      if (t->kprobeBlacklisted(fn))
        return true;
    return false;
  }
  std::string nameLackingProbeType(const std::string &type) const override {
    for (const auto &t : targets_)
      if (t->probeType(type) == Support::No)
        return t->nameLackingProbeType(type);
    return name();
  }
  std::string nameLackingFunction(const std::string &fn) const override {
    for (const auto &t : targets_)
      if (t->function(fn) == Support::No)
        return t->nameLackingFunction(fn);
    return name();
  }

  // Kernel types are CO-RE relocations: one BTF compiles them for every member, and
  // btrun reports a member that lacks one where it loads.
  std::optional<std::string> btfPath() const override {
    for (const auto &t : targets_)
      if (auto path = t->btfPath())
        return path;
    return std::nullopt;
  }

  OrError<std::string> resolveBinary(const std::string &path) const override {
    return agree(path, [&](const TargetInfo &t) { return t.resolveBinary(path); });
  }
  OrError<std::string> resolveLibrary(const std::string &lib) const override {
    return agree(lib, [&](const TargetInfo &t) { return t.resolveLibrary(lib); });
  }

  // Those every member lists, sorted.
  OrError<std::vector<std::string>> functions() const override {
    return intersection([](const TargetInfo &t) { return t.functions(); });
  }

  // The module's functions every member lists, sorted.
  OrError<std::vector<std::string>> moduleFunctions(const std::string &module) const override {
    return intersection([&](const TargetInfo &t) { return t.moduleFunctions(module); });
  }

  // The modules every member has.
  OrError<std::vector<std::string>> kernelModules() const override {
    return intersection([](const TargetInfo &t) -> OrError<std::vector<std::string>> {
      if (auto *modules = dynamic_cast<const KernelModuleList *>(&t))
        return modules->kernelModules();
      return OrError<std::vector<std::string>>::failure(t.name() +
                                                        " does not say which modules it has");
    });
  }

  // Any member's list from BTF makes the intersection one that may name untraceable functions.
  bool functionsFromBtf() const override {
    for (const auto &t : targets_)
      if (t->functionsFromBtf())
        return true;
    return false;
  }

  std::vector<const TargetInfo *> members() const override {
    std::vector<const TargetInfo *> out;
    for (const auto &t : targets_)
      for (const TargetInfo *m : t->members())
        out.push_back(m);
    return out;
  }

private:
  static std::string quoted(const TargetInfo &t) {
    std::string file = t.descriptionFile();
    return file.empty() ? t.name() : "'" + file + "'";
  }

  // No when any says No; Yes when all say Yes; otherwise Unknown.
  template <typename Query> Support all(Query query) const {
    Support out = Support::Yes;
    for (const auto &t : targets_) {
      Support s = query(*t);
      if (s == Support::No)
        return s;
      if (s == Support::Unknown)
        out = s;
    }
    return out;
  }

  // The one path every member resolves `what` to; the first failure, or the two
  // members that disagree.
  // The names every member's list holds, sorted (each list is sorted first).
  template <typename Query>
  OrError<std::vector<std::string>> intersection(Query query) const {
    std::optional<std::vector<std::string>> out;
    for (const auto &t : targets_) {
      auto list = query(*t);
      if (!list)
        return list;
      std::sort(list->begin(), list->end());
      if (!out) {
        out = std::move(*list);
        continue;
      }
      std::vector<std::string> both;
      std::set_intersection(out->begin(), out->end(), list->begin(), list->end(),
                            std::back_inserter(both));
      out = std::move(both);
    }
    return *out;
  }

  template <typename Query> OrError<std::string> agree(const std::string &what, Query query) const {
    std::optional<std::string> first;
    for (const auto &t : targets_) {
      auto resolved = query(*t);
      if (!resolved)
        return resolved;
      if (!first)
        first = *resolved;
      else if (*first != *resolved)
        return OrError<std::string>::failure(
            "'" + what + "' is '" + *first + "' on " + targets_[0]->name() + " but '" +
            *resolved + "' on " + t->name() + ": one object cannot name both");
    }
    return *first;
  }

  std::vector<std::unique_ptr<TargetInfo>> targets_;
};

} // namespace

OrError<std::unique_ptr<TargetInfo>>
combineTargets(std::vector<std::unique_ptr<TargetInfo>> targets) {
  using Result = OrError<std::unique_ptr<TargetInfo>>;
  if (targets.empty())
    return Result::failure("no target to combine");
  for (const auto &t : targets)
    if (t->arch().name != targets[0]->arch().name)
      return Result::failure(targets[0]->name() + " is " + targets[0]->arch().name + " but " +
                             t->name() + " is " + t->arch().name +
                             ": one object serves one architecture");
  if (targets.size() == 1)
    return std::move(targets[0]);
  return std::unique_ptr<TargetInfo>(std::make_unique<CombinedTarget>(std::move(targets)));
}

} // namespace bt
