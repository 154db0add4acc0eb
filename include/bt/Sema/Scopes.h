// Variables: each is a declaration in a scope, and every use of a name binds to
// the declaration found by walking the scope chain outwards. A probe's scope
// holds its `$x` variables (assigned anywhere in the probe, one variable for the
// whole probe, as in bpftrace); every block (if, else, while, unroll, { }) has a
// scope inside it, empty until `let` declares into it.
#pragma once

#include "bt/Parse/Source.h"
#include "bt/Sema/Types.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace bt {

using ScopeId = uint32_t;
using DeclId = uint32_t;

// A user-defined function call's result, declared in the scope of the call's body
// (Sema's UserFunctions.cpp): no variable can have this name.
inline constexpr const char *kReturnValueName = "return value";

struct Declaration {
  std::string name;   // "$x"
  TypeId type;        // widened over every assignment
  SourceRange defined; // the assignment that declared it
  ScopeId scope = 0;
  bool typed = false;  // `let $x: T`: T is kept, and what is assigned must fit it
  // `let $x: bool`: only truth values are assigned to it; or (not typed) every value
  // assigned to it is one, and upstream types it bool
  bool declaredBool = false;
  bool sizedString = false;  // `let $s: string[N]`: a longer string does not fit it
};

struct Scope {
  enum class Kind { Probe, Block };
  Kind kind = Kind::Probe;
  std::optional<ScopeId> parent; // none for a probe's scope
  std::map<std::string, DeclId> names;
};

class ScopeTree {
public:
  ScopeId add(Scope::Kind kind, std::optional<ScopeId> parent);
  const Scope &scope(ScopeId id) const { return scopes_[id]; }
  // The declaration `name` has in `from` or a scope around it.
  std::optional<DeclId> lookup(ScopeId from, const std::string &name) const;
  // The probe scope `from` lies in.
  ScopeId probeScopeOf(ScopeId from) const;
  DeclId declare(ScopeId in, const std::string &name, TypeId type, SourceRange defined);
  const Declaration &declaration(DeclId id) const { return decls_[id]; }
  Declaration &declaration(DeclId id) { return decls_[id]; }
  size_t declarations() const { return decls_.size(); }

private:
  std::vector<Scope> scopes_;
  std::vector<Declaration> decls_;
};

} // namespace bt
