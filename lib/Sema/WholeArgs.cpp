// `args` as a whole value (print(args), `$a = args`, `@m[k] = args`, a map key, a
// record's field): upstream bpftrace's record of the probe's arguments, printed
// `{ .name = value, ... }`. Sema builds the record a script would write,
// `(name = args.name, ...)`, one field per argument in the probe's order (a tracepoint's
// format less its common_ fields, a function's parameters and fexit's result), and types
// it as the script's own; Lower reads each field as `args.name` reads it, so the manifest
// checks each tracepoint field on the run host as it does for `args.name`. A pointer is a
// pointer field of the record (a tracepoint's, declared `T *` but an integer to
// `args.name`, a `void *`), which btrun prints in hex as upstream does.
#include "WholeArgs.h"
#include "ProcessProbes.h"

#include "DwarfParams.h"

namespace bt::sema {

using namespace ast;

namespace {

struct Argument {
  std::string name;
  bool declaredPointer = false; // a tracepoint field declared `T *`
};

// One attachment's arguments, in order; nullopt after an error.
std::optional<std::vector<Argument>> argumentsOf(const ArgsTyping &t, const Attachment &a,
                                                 SourceRange r) {
  std::vector<Argument> args;
  if (t.probe.type == ProbeType::Tracepoint) {
    if (!a.unknownFields.empty()) {
      t.err(r, "args of " + a.probeName + " as a whole is not supported: " + a.unknownFields);
      return std::nullopt;
    }
    for (const TracepointField &f : a.fields)
      args.push_back({f.name, f.isPointer});
    return args;
  }
  if (t.probe.type == ProbeType::Uprobe) {
    if (onProcessBinary(a, t.probe.type)) {
      t.err(r, needsBinaryAtCompileTime("args (the DWARF of the function's parameters)", a));
      return std::nullopt;
    }
    if (a.symbol.empty() || a.offset != 0) {
      t.err(r, "args of " + a.probeName + " are not supported: args are a function's "
                   "parameters at its entry, and this attach point is not a function's entry");
      return std::nullopt;
    }
    if (!t.R.dwarf)
      t.R.dwarf = std::make_shared<DwarfParams>();
    const DwarfFunction &fn =
        t.R.dwarf->function(a.path, a.symbol, unsigned(t.R.arch.argRegisters.size()),
                            t.R.arch.name);
    if (!fn.error.empty()) {
      t.err(r, "args of " + a.probeName + " need the binary's DWARF: " + fn.error);
      return std::nullopt;
    }
    for (const DwarfParam &p : fn.params) {
      if (p.name.empty()) {
        t.err(r, "args of " + a.probeName + " as a whole is not supported: a parameter (" +
                     p.spelling + ") has no name to be the record's field");
        return std::nullopt;
      }
      args.push_back({p.name, false});
    }
    return args;
  }
  auto proto = t.prototypeOf(a, r);
  if (!proto)
    return std::nullopt;
  for (const auto &p : proto->params)
    args.push_back({p.name, false});
  // fexit's record ends with the result, as upstream's does (`.$retval = 0x0`); a void
  // function has none.
  if (t.probe.type == ProbeType::Fexit &&
      !(proto->result.type && t.R.types.get(*proto->result.type).isNone()))
    args.push_back({BtfTypes::kRetvalField, false});
  return args;
}

// The record's type: its fields typed again, as any expression is on each pass.
TypeId recordType(const ArgsTyping &t, const TupleExpr *rec) {
  std::vector<TypeId> elements;
  bool known = true;
  for (size_t i = 0; i < rec->elems.size(); ++i) {
    const Expr *e = rec->elems[i].get();
    TypeId id = t.expr(e);
    const Type &et = t.R.types.get(id);
    if (et.isNone()) {
      known = false;
      continue;
    }
    if (e->kind == ExprKind::Cast) { // an address (below): the field's pointer type
      TypeId field = t.R.typeOf(static_cast<const CastExpr *>(e)->operand.get());
      id = t.R.types.get(field).isPointer()
               ? field
               : t.R.types.pointer(TypeId(), t.probe.attachments.front().category == "syscalls"
                                                 ? AddressSpace::User
                                                 : AddressSpace::Kernel);
    } else if (et.isInt()) {
      id = t.R.types.integer(8, et.isSigned); // stored as 8 bytes, as in any record
    } else if (et.isRecord() && et.origin != RecordOrigin::Tuple) {
      if (!t.recordValue(id, rec->range, "a field of args")) {
        known = false;
        continue;
      }
    } else if (!et.isString() && !(et.isArray() && t.probe.type == ProbeType::Tracepoint)) {
      // Strings, and a tracepoint's integer arrays (Lower copies them element by element),
      // are fields as they are; nothing else is yet.
      t.err(rec->range, "args as a whole is not supported yet: its field '" + rec->names[i] +
                            "' is " + et.str());
      known = false;
      continue;
    }
    elements.push_back(id);
  }
  if (!known)
    return t.R.types.none();
  TypeId type = t.R.types.tuple(elements, rec->names);
  t.R.exprTypes[rec] = type;
  return type;
}

} // namespace

TypeId wholeArgs(const ArgsTyping &t, const BuiltinRef *b) {
  if (auto it = t.R.expansions.find(b); it != t.R.expansions.end())
    return recordType(t, static_cast<const TupleExpr *>(it->second.get()));
  std::vector<Argument> args;
  for (const Attachment &a : t.probe.attachments) {
    auto these = argumentsOf(t, a, b->range);
    if (!these)
      return t.R.types.none();
    if (&a == &t.probe.attachments.front()) {
      args = std::move(*these);
      continue;
    }
    bool same = these->size() == args.size();
    for (size_t i = 0; same && i < args.size(); ++i)
      same = (*these)[i].name == args[i].name;
    if (!same) {
      t.err(b->range, "args as a whole needs the same arguments in each attach point, but " +
                          t.probe.attachments.front().probeName + " and " + a.probeName +
                          " differ");
      return t.R.types.none();
    }
  }
  if (args.empty()) {
    t.err(b->range, "args of " + t.probe.attachments.front().probeName +
                        " has no arguments to make a record of");
    return t.R.types.none();
  }
  auto rec = std::make_shared<TupleExpr>(b->range);
  for (const Argument &arg : args) {
    auto base = std::make_unique<BuiltinRef>(b->range);
    base->name = "args";
    auto f = makeFieldExpr(std::move(base), arg.name, false, b->range);
    bool pointer = arg.declaredPointer || t.R.types.get(t.expr(f.get())).isPointer();
    ExprPtr element = std::move(f);
    // An address is read as `(uint64)args.name`, its 8 bytes stored in the record.
    if (pointer) {
      auto c = std::make_unique<CastExpr>(b->range);
      c->type.name = "uint64";
      c->type.range = b->range;
      c->operand = std::move(element);
      element = std::move(c);
    }
    rec->elems.push_back(std::move(element));
    rec->names.push_back(arg.name);
  }
  TypeId type = recordType(t, rec.get());
  t.R.expansions.emplace(b, std::move(rec));
  return type;
}

} // namespace bt::sema
