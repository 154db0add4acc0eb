// `args` as a whole value (lib/Sema/WholeArgs.cpp). Private to lib/Sema.
#pragma once

#include "BtfTypes.h"
#include "bt/Sema/Sema.h"

#include <functional>

namespace bt::sema {

// What typing `args` whole needs of the Typer that meets it: its probe, and its typing of
// the record's fields as of any expression.
struct ArgsTyping {
  SemaResult &R;
  const ProbeInfo &probe;
  std::function<TypeId(const ast::Expr *)> expr;
  std::function<void(SourceRange, const std::string &)> err;
  // A struct or union passed by value, copied whole into the record.
  std::function<bool(TypeId, SourceRange, const std::string &)> recordValue;
  std::function<std::optional<BtfTypes::Prototype>(const Attachment &, SourceRange)>
      prototypeOf;
};

// The type of `args` used as a value (not as `args.name`'s base): the record
// `(name = args.name, ...)` of the probe's arguments, built once per use into
// R.expansions and typed again on each pass; none after an error.
TypeId wholeArgs(const ArgsTyping &t, const ast::BuiltinRef *b);

} // namespace bt::sema
