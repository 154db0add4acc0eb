// See bt/Target/BtfFile.h.
#include "bt/Target/BtfFile.h"
#include "BtfFunctions.h"
#include "bt/Target/KernelModules.h"

#include <algorithm>
#include <optional>

namespace bt {
namespace {

class BtfFileTarget : public TargetInfo, public KernelModuleList {
public:
  BtfFileTarget(std::unique_ptr<TargetInfo> target, std::string file)
      : target_(std::move(target)), file_(std::move(file)) {}

  std::string name() const override { return target_->name(); }
  const Arch &arch() const override { return target_->arch(); }
  std::string kernelRelease() const override { return target_->kernelRelease(); }
  std::vector<std::string> tracepoints() const override { return target_->tracepoints(); }
  std::optional<std::vector<TracepointField>>
  tracepointFormat(const std::string &category, const std::string &name) const override {
    return target_->tracepointFormat(category, name);
  }
  OrError<TracepointFormat> findTracepoint(const std::string &category,
                                           const std::string &name) const override {
    return target_->findTracepoint(category, name);
  }
  std::string tracepointsNote() const override { return target_->tracepointsNote(); }
  std::string tracepointsUnknownReason() const override {
    return target_->tracepointsUnknownReason();
  }
  Support probeType(const std::string &type) const override { return target_->probeType(type); }
  std::string nameLackingProbeType(const std::string &type) const override {
    return target_->nameLackingProbeType(type);
  }
  std::string nameLackingFunction(const std::string &fn) const override {
    return listsOwnFunctions() ? target_->nameLackingFunction(fn)
                               : name() + " (its functions from BTF file '" + file_ + "')";
  }
  std::string descriptionFile() const override { return target_->descriptionFile(); }
  // Only functions come from FILE: kernel types read it through SemaOptions::btfFile,
  // and what else the target's BTF answers (raw tracepoints) stays the target's.
  std::optional<std::string> btfPath() const override { return target_->btfPath(); }
  OrError<std::string> resolveBinary(const std::string &path) const override {
    return target_->resolveBinary(path);
  }
  OrError<std::string> resolveLibrary(const std::string &name) const override {
    return target_->resolveLibrary(name);
  }
  bool kprobeBlacklisted(const std::string &fn) const override {
    return target_->kprobeBlacklisted(fn);
  }

  OrError<std::vector<std::string>> functions() const override {
    if (listsOwnFunctions())
      return target_->functions();
    return target::btfFunctions(file_);
  }
  // FILE, where functions() are its.
  std::optional<std::string> functionsFile() const {
    return listsOwnFunctions() ? std::nullopt : std::optional<std::string>(file_);
  }
  bool functionsFromBtf() const override {
    return listsOwnFunctions() ? target_->functionsFromBtf() : true;
  }
  Support function(const std::string &fn) const override {
    if (listsOwnFunctions())
      return target_->function(fn);
    // BTF names no compiler clone (fn.constprop.0) that ftrace lists: the kernel decides.
    if (fn.find('.') != std::string::npos)
      return Support::Unknown;
    if (!fileFunctions_) {
      auto names = target::btfFunctions(file_);
      if (!names) // unreadable here: the kernel says at attach
        return Support::Unknown;
      fileFunctions_ = std::move(*names);
    }
    return std::binary_search(fileFunctions_->begin(), fileFunctions_->end(), fn) ? Support::Yes
                                                                                 : Support::No;
  }
  // The kernel's own are FILE's; a module's are the target's (its BTF is split from the
  // target's vmlinux, not from FILE).
  OrError<std::vector<std::string>> moduleFunctions(const std::string &module) const override {
    if (module == "vmlinux" && !listsOwnFunctions())
      return functions();
    return target_->moduleFunctions(module);
  }
  OrError<std::vector<std::string>> kernelModules() const override {
    if (auto *modules = dynamic_cast<const KernelModuleList *>(target_.get()))
      return modules->kernelModules();
    return OrError<std::vector<std::string>>::failure(name() +
                                                      " does not say which modules it has");
  }

private:
  // Whether the target lists its kernel functions itself, not from its BTF.
  bool listsOwnFunctions() const {
    if (!ownList_)
      ownList_ = !target_->functionsFromBtf() && bool(target_->functions());
    return *ownList_;
  }

  std::unique_ptr<TargetInfo> target_;
  std::string file_;
  mutable std::optional<bool> ownList_;
  mutable std::optional<std::vector<std::string>> fileFunctions_; // sorted (btfFunctions)
};

} // namespace

std::unique_ptr<TargetInfo> withBtfFile(std::unique_ptr<TargetInfo> target, std::string file) {
  return std::make_unique<BtfFileTarget>(std::move(target), std::move(file));
}

std::optional<std::string> functionsBtfFile(const TargetInfo &target) {
  for (const TargetInfo *member : target.members())
    if (auto *wrapped = dynamic_cast<const BtfFileTarget *>(member))
      if (auto file = wrapped->functionsFile())
        return file;
  return std::nullopt;
}

} // namespace bt
