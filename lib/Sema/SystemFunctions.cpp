// Typing of the functions that name things of the system: cgroupid(path), whose id btrun
// resolves on the run host before BEGIN (bpftrace resolves it where it runs); the values
// btrun prints by the host: cgroup_path(id[, filter]), syscall_name(nr); and what the
// probe's context or binary holds: reg(name) (the target arch's pt_regs), uaddr(sym).
#include "ProcessProbes.h"
#include "Typer.h"

#include "bt/Format/Text.h"
#include "bt/Target/ElfSymbols.h"

namespace bt::sema {

using namespace ast;

TypeId Typer::systemFunctionCall(const CallExpr *c, FunctionId id) {
  const FunctionInfo &info = functionInfo(id);
  switch (id) {
  case FunctionId::Cgroupid: {
    auto *path = as<StringLit>(c->args[0].get());
    if (!path) {
      err(c->args[0]->range, info.usage);
      return R.types.none();
    }
    if (path->value.empty() || path->value.find('\0') != std::string::npos) {
      err(path->range, "cgroupid() needs a path without NUL bytes, not '" +
                           format::escapeNonPrintable(path->value) + "'");
      return R.types.none();
    }
    R.cgroupPaths.insert(path->value);
    return u64();
  }
  case FunctionId::Reg: {
    // The probed context's registers: pt_regs (kprobes, uprobes), which a perf event's
    // context starts with (profile, interval, software).
    constexpr ProbeTypeMask withRegisters = probes::Kprobe | probes::Kretprobe | probes::Uprobe |
                                            probes::Uretprobe | probes::Usdt | probes::Profile |
                                            probes::Interval | probes::Software |
                                            probes::Hardware | probes::Watchpoint |
                                            probes::AsyncWatchpoint;
    if (!inProbe(c->range, "reg()"))
      return R.types.none();
    if (!(maskOf(probe_->type) & withRegisters)) {
      err(c->range, std::string("reg() cannot be used in ") + probeTypeName(probe_->type) +
                        " probes: they have no registers to read");
      return R.types.none();
    }
    auto *name = as<StringLit>(c->args[0].get());
    if (!name) {
      err(c->args[0]->range, info.usage);
      return R.types.none();
    }
    if (!findRegister(R.arch, name->value)) {
      err(name->range, "'" + format::escapeNonPrintable(name->value) +
                           "' is not a register of " + R.arch.name);
      return R.types.none();
    }
    return u64();
  }
  case FunctionId::Uaddr: {
    if (!inProbe(c->range, "uaddr()"))
      return R.types.none();
    if (!(maskOf(probe_->type) & (probes::Uprobe | probes::Uretprobe | probes::Usdt))) {
      err(c->range, std::string("uaddr() cannot be used in ") + probeTypeName(probe_->type) +
                        " probes: it names a symbol of the probed binary (uprobe, uretprobe, "
                        "usdt)");
      return R.types.none();
    }
    auto *name = as<StringLit>(c->args[0].get());
    if (!name) {
      err(c->args[0]->range, info.usage);
      return R.types.none();
    }
    // As bpftrace: the address the binary was linked at (a PIE's moves at run time).
    std::optional<ElfSymbol> found;
    for (const Attachment &a : probe_->attachments) {
      if (onProcessBinary(a, probe_->type)) {
        err(c->range, needsBinaryAtCompileTime("uaddr() (the symbol's address)", a));
        return R.types.none();
      }
      auto sym = elfSymbol(a.path, name->value);
      if (!sym) {
        err(c->range, "uaddr(): " + sym.error());
        return R.types.none();
      }
      if (!*sym) {
        err(name->range, "uaddr(): '" + format::escapeNonPrintable(a.path) + "' has no symbol '" +
                             format::escapeNonPrintable(name->value) + "'");
        return R.types.none();
      }
      if (found && found->address != (*sym)->address) {
        err(name->range, "uaddr(): '" + format::escapeNonPrintable(name->value) +
                             "' lies at different addresses in the probe's binaries");
        return R.types.none();
      }
      found = **sym;
    }
    if (!found)
      return R.types.none();
    R.userAddresses[c] = found->address;
    // The pointee is as wide as the symbol when that is an integer's width.
    uint64_t size = found->size;
    unsigned bytes = size == 1 || size == 2 || size == 4 ? unsigned(size) : 8;
    return R.types.pointer(R.types.integer(bytes, false), AddressSpace::User);
  }
  case FunctionId::CgroupPath:
  case FunctionId::SyscallName: {
    const Type &t = ty(expr(c->args[0].get()));
    if (!t.isNone() && !t.isInt()) {
      err(c->args[0]->range, c->callee + "() needs an integer, got " + t.str());
      return R.types.none();
    }
    if (id == FunctionId::SyscallName) {
      if (syscallNames(R.arch).empty()) {
        err(c->calleeRange, "syscall_name() is not supported yet on " + R.arch.name +
                                " (btc has no system call table for it)");
        return R.types.none();
      }
      R.usesSyscallNames = true;
      return R.types.syscallName();
    }
    std::string filter = "*";
    if (c->args.size() == 2) {
      auto *lit = as<StringLit>(c->args[1].get());
      if (!lit) {
        err(c->args[1]->range, "cgroup_path() filter must be a string literal, as in \"unified\"");
        return R.types.none();
      }
      filter = lit->value;
    }
    return R.types.cgroupPath(filter);
  }
  default:
    return R.types.none();
  }
}

} // namespace bt::sema
