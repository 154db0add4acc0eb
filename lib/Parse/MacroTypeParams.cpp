// Macros with type parameters (upstream bpftrace's newest): `macro sz[T]() { sizeof(T) }`
// used as `sz[uint64]()` or `sz[struct task_struct *]()`. The body's types that name a
// type parameter become the call's type argument, as the body's value parameters
// become the call's arguments (ScriptMacros.cpp expands; this file parses the brackets
// and puts the types in).
#include "Parser.h"

namespace bt::parse {

using namespace ast;

// At '[' after a macro's name: `[T, U]`, names only (no type is spelled there).
bool Parser::parseMacroTypeParams(MacroDef &m) {
  Token lb = take();
  do {
    const Token &t = peek();
    if (t.kind != Tok::Ident || isKeyword(t.text)) {
      errAt(t, "expected a type parameter name, found " + quoteTok(t));
      return false;
    }
    Token pt = take();
    for (const MacroParam &q : m.typeParams)
      if (q.name == pt.text) {
        err(pt.range, "type parameter " + pt.text + " is named twice");
        return false;
      }
    m.typeParams.push_back(MacroParam{MacroParam::Expression, pt.text, pt.range});
  } while (accept(Tok::Comma));
  return expectClose(Tok::RBracket, lb);
}

// At '[' after a name: a macro call's type arguments are a bracketed list followed by
// '(' (nothing else may follow a name's `[...]` with '(').
bool Parser::typeArgsAhead() {
  int depth = 0;
  for (size_t i = 0;; ++i) {
    Tok k = peek(i).kind;
    if (k == Tok::Eof)
      return false;
    if (k == Tok::LBracket)
      ++depth;
    else if (k == Tok::RBracket && --depth == 0)
      return at(Tok::LParen, i + 1);
  }
}

bool Parser::parseTypeArgs(CallExpr &c) {
  Token lb = take();
  do {
    TypeName t;
    if (!parseType(t, "as a macro's type argument"))
      return false;
    c.typeArgs.push_back(std::move(t));
  } while (accept(Tok::Comma));
  if (!expectClose(Tok::RBracket, lb))
    return false;
  c.typeArgsRange = span(lb.range, prev_);
  return true;
}

bool substituteTypeParam(TypeName &t, const std::map<std::string, const TypeName *> &typeArgs,
                         DiagnosticEngine &D, const TypeName *&arg) {
  arg = nullptr;
  if (t.typeofExpr)
    return true;
  // `struct T` (union, enum): the argument completes the name, so it must be one.
  std::string tag, param = t.name;
  for (const char *k : {"struct ", "union ", "enum "})
    if (t.name.rfind(k, 0) == 0) {
      tag = k;
      param = t.name.substr(tag.size());
    }
  auto it = typeArgs.find(param);
  if (it == typeArgs.end())
    return true;
  arg = it->second;
  const TypeName &a = *arg;
  bool bareName = !a.typeofExpr && a.pointerDepth == 0 && a.arraySize < 0 &&
                  a.name.find(' ') == std::string::npos;
  if (!tag.empty()) {
    if (!bareName) {
      D.error(a.range, "type argument '" + spelling(a) + "' is incompatible with how the "
                       "type parameter is used in the macro body ('" + t.name + "')");
      if (a.pointerDepth == 0 && a.arraySize < 0 && !a.typeofExpr)
        D.note(a.range, "pass the bare name: '" + a.name.substr(a.name.find(' ') + 1) + "'");
      return false;
    }
    t.name = tag + a.name;
    return true;
  }
  bool decorated = t.pointerDepth > 0 || t.arraySize >= 0;
  // A TypeName holds no pointer to an array, nor decorations around typeof(e).
  if (decorated && (a.arraySize >= 0 || a.typeofExpr)) {
    D.error(a.range, "type argument '" + spelling(a) + "' cannot be used as '" +
                         spelling(t) + "' in the macro body (" +
                         (a.typeofExpr ? "typeof(...) takes no '*' or '[N]'"
                                       : "no pointer to an array") + ")");
    return false;
  }
  TypeName out = a;
  out.pointerDepth += t.pointerDepth;
  if (t.arraySize >= 0) {
    out.arraySize = t.arraySize;
    out.innerSizes = t.innerSizes;
  }
  t = std::move(out);
  return true;
}

bool defineMacro(std::vector<const MacroDef *> &defs, const MacroDef &m, DiagnosticEngine &D) {
  for (const MacroDef *d : defs)
    if (d->params.size() == m.params.size() && d->typeParams.size() == m.typeParams.size()) {
      D.error(m.nameRange, "macro '" + m.name + "' is defined twice");
      D.note(d->nameRange, "first defined here");
      return false;
    }
  defs.push_back(&m);
  return true;
}

const MacroDef *pickMacro(const std::vector<const MacroDef *> &defs, size_t args,
                          size_t typeArgs) {
  const MacroDef *closest = nullptr;
  size_t best = SIZE_MAX;
  for (const MacroDef *m : defs) {
    size_t d = (m->params.size() > args ? m->params.size() - args : args - m->params.size()) +
               (m->typeParams.size() > typeArgs ? m->typeParams.size() - typeArgs
                                                : typeArgs - m->typeParams.size());
    if (d < best) {
      best = d;
      closest = m;
    }
  }
  return closest;
}

bool bindTypeArgs(const MacroDef &m, const CallExpr *call, SourceRange use,
                  std::map<std::string, const TypeName *> &types, DiagnosticEngine &D) {
  size_t given = call ? call->typeArgs.size() : 0;
  if (given != m.typeParams.size()) {
    D.error(call && given ? call->typeArgsRange : use,
            "macro '" + m.name + "' takes " + std::to_string(m.typeParams.size()) +
                " type argument" + (m.typeParams.size() == 1 ? "" : "s") + ", got " +
                std::to_string(given));
    D.note(m.nameRange, "macro '" + m.name + "' is defined here");
    return false;
  }
  for (size_t i = 0; i < given; ++i)
    types[m.typeParams[i].name] = &call->typeArgs[i];
  return true;
}

} // namespace bt::parse
