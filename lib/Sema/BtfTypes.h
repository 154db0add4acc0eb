// Private to lib/Sema: the target kernel's types, read from its BTF with libbpf.
// The BTF (vmlinux, ~5 MB) is parsed only when a script first names a kernel
// type, so scripts without kernel types never pay for it. Structs and unions
// become Btf records in the TypeTable as shells (name, size, BTF id); their
// members are looked up when the script names one.
#pragma once

#include "bt/Sema/Sema.h"
#include "bt/Sema/Types.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

struct btf;

namespace bt::sema {

class BtfTypes {
public:
  // `path`: the BTF file ("" when the target has none); `targetName` names the
  // target in messages ("the host", "target 'fleet.json'").
  // `moduleFiles`: kernel modules' BTF files a target description names (module -> file);
  // any other module's is the file of its name beside `path`.
  BtfTypes(std::string path, std::string targetName,
           std::map<std::string, std::string> moduleFiles = {});
  ~BtfTypes();
  BtfTypes(const BtfTypes &) = delete;
  BtfTypes &operator=(const BtfTypes &) = delete;

  // Parses the BTF on first use. False, with the reason in `error()`, when it cannot.
  bool load();
  const std::string &error() const { return error_; }
  bool errorReported = false;
  const std::string &path() const { return path_; }
  const std::map<std::string, std::string> &moduleFiles() const { return moduleFiles_; }
  // How messages name the target whose BTF this is ("the host (kernel 6.1.0)").
  const std::string &targetName() const { return targetName_; }

  // A type as a script spells it: "struct task_struct", "union u", "enum e",
  // or a typedef or base type name ("pid_t", "unsigned int"). nullopt when the
  // BTF has no such type; none() for `void`.
  std::optional<TypeId> named(TypeTable &types, const std::string &spelling);

  // A member of a Btf record, looked up through anonymous structs and unions: its
  // name, bit offset from the record's start, width when it is a bitfield (0
  // otherwise) and type. nullopt when the record has no such member;
  // `unsupported` is set to the member's BTF kind when its type cannot be used.
  struct Member {
    std::string name;
    unsigned bitOffset = 0, bitfieldSize = 0;
    TypeId type;
  };
  std::optional<Member> member(TypeTable &types, TypeId record, const std::string &name,
                               std::string &unsupported);
  // The names of a Btf record's members in declaration order, those of anonymous
  // structs and unions in their place (as bpftrace prints a struct).
  std::vector<std::string> memberNames(const Type &record);
  // C definitions of the named types ("struct path", "typedef u32") the BTF has, with the types they
  // need, as libbpf's btf_dump writes them; "" when it has none of them.
  std::string cDefinitions(const std::vector<std::string> &spellings);

  // An enumerator of any enum in the BTF: its value and the enum's type.
  struct EnumConstant {
    int64_t value = 0;
    TypeId type;
  };
  std::optional<EnumConstant> enumConstant(TypeTable &types, const std::string &name);
  // The enumerators of the enum a script spells "enum NAME", in declaration order (each
  // value as a 64-bit enum value holds it: extended by the enum's sign); nullopt when the
  // BTF has no such enum.
  std::optional<std::vector<std::pair<uint64_t, std::string>>>
  enumerators(const std::string &spelling);

  // What a BTF-typed probe's context holds: the prototype of a kernel function
  // (fentry/fexit) or of a raw tracepoint (its `__bpf_trace_<name>` function, less
  // the leading `void *__data`, which BPF programs are not given). Each argument fills one u64 slot of the context, a
  // struct passed by value as many as it takes; fexit's return value follows them.
  // nullopt when the BTF has no such prototype.
  struct Param {
    std::string name;
    std::optional<TypeId> type; // nullopt: `unsupported` says why
    std::string unsupported;
    unsigned slot = 0;
  };
  struct Prototype {
    std::vector<Param> params;
    Param result; // named "retval"; its type is none() for void
  };
  // The result's field in fexit's `args` record, as upstream names it: no script can
  // spell it as `args.NAME`, so a parameter named `retval` stays the parameter.
  static constexpr const char *kRetvalField = "$retval";
  // `module`: the function of that kernel module (useModule first), "" the kernel's own.
  std::optional<Prototype> functionPrototype(TypeTable &types, const std::string &function,
                                             const std::string &module = "");
  bool hasFunction(const std::string &function, const std::string &module);
  // Types everything with a kernel module's BTF too (fentry:MODULE:fn), split from the
  // kernel's: the description's file for it, else the file named after the module beside
  // the kernel's BTF, as /sys/kernel/btf lays them out. Any number of modules; a type a script names is the
  // kernel's, else that of the first module used that has it. "" when it is in use, else
  // the error line.
  std::string useModule(const std::string &module);
  std::string modulePath(const std::string &module) const;
  // The modules in use, in the order useModule read them (the order their ids number).
  std::vector<std::string> modules() const;
  // Why the kernel refuses fentry/fexit on `function` of `module` ("": the kernel's own;
  // its btf_distill_func_proto: a struct or union returned by value, a struct argument
  // over 16 bytes, a floating-point or variadic argument, more than 12 arguments), or ""
  // when it does not or the BTF cannot tell.
  std::string untraceable(const std::string &function, const std::string &module = "");
  std::optional<Prototype> tracepointPrototype(TypeTable &types, const std::string &event);

  // The type of the kernel variable `name` (vmlinux BTF has the per-CPU ones), level by
  // level; nullopt when the BTF has no such variable, `unsupported` set to the BTF kind
  // of a level a typed __ksym cannot repeat (lib/Sema/NetFunctions3.cpp).
  std::optional<std::vector<KsymShape>> variableShape(const std::string &name,
                                                      std::string &unsupported);

private:
  // A type's id as the TypeTable keeps it (Type::btfId): the kernel's own id, or a module's
  // own id with the module's number + 1 in the top bits, as each module's split BTF numbers
  // its own types from the same start.
  using Key = uint32_t;
  static constexpr unsigned kModuleShift = 24;
  struct Source {
    const struct btf *btf;
    int module; // index into modules_, -1: the kernel's
    int32_t id; // in `btf`
  };
  Source source(Key key) const;
  // The key of `id` as `module`'s BTF (or the kernel's, module -1) refers to it.
  Key keyOf(int module, int32_t id) const;
  // The first of the kernel's then each module's BTF that has `name` of `kind`.
  std::optional<Key> findNamed(const std::string &name, int kind) const;

  std::optional<TypeId> convert(TypeTable &types, Key key, std::string &unsupported);
  Prototype prototype(TypeTable &types, Key protoKey, bool skipFirst);
  std::optional<Key> findFunction(const std::string &function, const std::string &module);
  int moduleIndex(const std::string &module) const;
  void scanUntraceable(int module);

  std::string path_, targetName_, error_;
  std::map<std::string, std::string> moduleFiles_;
  struct btf *btf_ = nullptr; // the kernel's (vmlinux)
  struct Module {
    std::string name, path;
    struct btf *btf = nullptr; // split from btf_, whose ids it keeps
    uint32_t start = 0;        // its own types' first id
    bool scanned = false;      // untraceable_ has its functions
  };
  std::vector<Module> modules_;
  bool tried_ = false;
  std::unordered_map<Key, TypeId> converted_;
  // name -> (value, enum's key), built on the first enum constant.
  std::optional<std::map<std::string, std::pair<int64_t, Key>>> enumerators_;
  // "function" (the kernel's) or "module:function" -> why fentry cannot attach to it.
  std::optional<std::unordered_map<std::string, std::string>> untraceable_;
};

} // namespace bt::sema
