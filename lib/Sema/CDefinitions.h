// Private to lib/Sema: the script's C (struct/union/enum/typedef definitions,
// #include, #define) parsed by libclang for the target's triple, as bpftrace's
// ClangParser does. Types are converted when the script names them: a record the
// script defines is laid out as clang lays it out for the target (members read
// at those offsets, no CO-RE); a record from a header that the target's BTF also
// has is the BTF's (CO-RE), as bpftrace prefers BTF for kernel types. Integer
// constants: enumerators, and object-like macros that clang evaluates to one.
#pragma once

#include "bt/Parse/AST.h"
#include "bt/Parse/Source.h"
#include "bt/Sema/Types.h"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace bt::sema {

class BtfTypes;
struct ClangLibrary;

class CDefinitions {
public:
  struct Options {
    std::string triple;                   // the target's, e.g. "x86_64-linux-gnu"
    std::vector<std::string> includeDirs; // btc -I, searched before the system's
    // Where a quoted #include "x.h" looks first (clang's -iquote), in order.
    std::vector<std::string> quoteDirs;
    std::vector<std::string> defines;     // NAME or NAME=VALUE, before the script's C
    // The target kernel's header tree (btc --kernel-source/--kernel-build, bpftrace's
    // BPFTRACE_KERNEL_SOURCE/BUILD); none named: /lib/modules/<kernelRelease>'s.
    std::string kernelSource, kernelBuild, kernelRelease;
  };
  // Parses the preamble's #include/#define lines and C definitions; nullptr
  // after reporting clang's errors at the script's lines (or libclang missing).
  static std::unique_ptr<CDefinitions> parse(const std::vector<const ast::Preamble *> &c,
                                             const Options &options, BtfTypes *btf,
                                             DiagnosticEngine &diags);
  ~CDefinitions();
  CDefinitions(const CDefinitions &) = delete;
  CDefinitions &operator=(const CDefinitions &) = delete;

  // "struct foo", "union u", "enum e" or a typedef name. scriptOnly: only what
  // the script itself defines (it wins over BTF); otherwise headers' too.
  std::optional<TypeId> named(TypeTable &types, const std::string &spelling, bool scriptOnly);

  struct Member {
    unsigned bitOffset = 0, bitfieldSize = 0;
    TypeId type;
  };
  // A member of a C record, through anonymous structs and unions; nullopt when
  // there is none, with `unsupported` set when its type cannot be used.
  std::optional<Member> member(TypeTable &types, const Type &record, const std::string &name,
                               std::string &unsupported);
  // The names of a C record's members in declaration order, those of anonymous
  // structs and unions in their place.
  std::vector<std::string> memberNames(const Type &record);

  // The enumerators of a C enum ("enum e") as (value, name), each value as a 64-bit
  // enum value holds it; nullopt when the C defines no such enum.
  std::optional<std::vector<std::pair<uint64_t, std::string>>>
  enumerators(const std::string &spelling);

  // The spelling of the enum the script itself defines (not a header) that declares
  // `enumerator` ("enum e", an anonymous one as clang spells it); nullopt for others.
  std::optional<std::string> scriptEnumOf(const std::string &enumerator) const;
  // Whether the script itself (not a header) defines the enum spelled so.
  bool isScriptEnum(const std::string &spelling) const;

  // An enumerator, or an object-like macro whose expansion is an integer constant.
  std::optional<int64_t> constant(const std::string &name);
  // For a name the script's C defines as a macro that is no integer constant: why
  // ("a function-like macro, ..."); nullopt for a constant or a name it does not define.
  std::optional<std::string> notConstant(const std::string &name);
  // For an unknown name: advice to name a kernel header tree when the script
  // includes headers without one (only the UAPI was read), else "".
  std::string unknownNameAdvice() const;

private:
  struct State;
  explicit CDefinitions(std::unique_ptr<State> state);
  std::unique_ptr<State> s_;
};

} // namespace bt::sema
