#include "bt/Sema/Scopes.h"

namespace bt {

ScopeId ScopeTree::add(Scope::Kind kind, std::optional<ScopeId> parent) {
  Scope s;
  s.kind = kind;
  s.parent = parent;
  scopes_.push_back(std::move(s));
  return ScopeId(scopes_.size() - 1);
}

std::optional<DeclId> ScopeTree::lookup(ScopeId from, const std::string &name) const {
  for (std::optional<ScopeId> s = from; s; s = scopes_[*s].parent) {
    auto it = scopes_[*s].names.find(name);
    if (it != scopes_[*s].names.end())
      return it->second;
  }
  return std::nullopt;
}

ScopeId ScopeTree::probeScopeOf(ScopeId from) const {
  while (scopes_[from].kind != Scope::Kind::Probe)
    from = *scopes_[from].parent;
  return from;
}

DeclId ScopeTree::declare(ScopeId in, const std::string &name, TypeId type,
                          SourceRange defined) {
  decls_.push_back({name, type, defined, in});
  DeclId id = DeclId(decls_.size() - 1);
  scopes_[in].names[name] = id;
  return id;
}

} // namespace bt
