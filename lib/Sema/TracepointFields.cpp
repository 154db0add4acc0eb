// Typer::field: `e.name` / `args->name`, handed to tuples, members and probe arguments
// by its base, and typed here for a tracepoint's `args` from each attachment's format
// (recorded per probe for the manifest's field checks); and the field types beyond
// integers, strings and pointers.
#include "Typer.h"

#include <algorithm>
#include <cctype>

namespace bt::sema {

using namespace ast;

// A field that is a fixed array of integers (`__u8 saddr[4]`, `unsigned long args[6]`;
// char arrays are strings): an array of N elements of its size / N bytes, as
// bpftrace types it. Its value is its place in the record; `[i]`, ntop() and buf()
// read from there.
std::optional<TypeId> Typer::tracepointArray(const TracepointField &f) {
  size_t open = f.ctype.rfind('[');
  if (open == std::string::npos || f.isDataLoc || f.isPointer || f.ctype.back() != ']')
    return std::nullopt;
  unsigned count = 0;
  for (size_t i = open + 1; i + 1 < f.ctype.size(); ++i) {
    if (!std::isdigit((unsigned char)f.ctype[i]) || count > f.size)
      return std::nullopt;
    count = count * 10 + unsigned(f.ctype[i] - '0');
  }
  if (count == 0 || f.size % count != 0)
    return std::nullopt;
  unsigned element = f.size / count;
  if (element > 8 || (element & (element - 1)) != 0)
    return std::nullopt;
  return R.types.array(R.types.integer(element, f.isSigned), count);
}

TypeId Typer::field(const FieldExpr *f) {
  // `args.name`: its base is the arguments, not `args` as a value (a record of them all).
  auto *args = as<BuiltinRef>(f->base.get());
  const Type &base = ty(args && args->name == "args" ? record(args, builtin(args))
                                                      : expr(f->base.get()));
  if (base.isNone())
    return R.types.none();
  if (base.isRecord() && base.origin == RecordOrigin::Tuple)
    return tupleField(f, R.typeOf(f->base.get()));
  if (base.kind != TypeKind::TracepointArgs)
    return member(f, R.exprTypes[f->base.get()]);
  if (probe_->type == ProbeType::Uprobe)
    return uprobeArg(f);
  if (btfArgs())
    return probeArg(f);
  std::optional<TypeId> result;
  std::vector<unsigned> resolved;
  for (const auto &a : probe_->attachments) {
    auto it = std::find_if(a.fields.begin(), a.fields.end(),
                           [&](const TracepointField &tf) { return tf.name == f->field; });
    if (it == a.fields.end()) {
      err(f->fieldRange, a.unknownFields.empty()
                             ? "tracepoint " + a.probeName + " has no field '" + f->field + "' on " +
                                   R.targetName
                             : "field '" + f->field + "' of tracepoint " + a.probeName +
                                   " is not known: " + a.unknownFields);
      return R.types.none();
    }
    resolved.push_back(unsigned(it - a.fields.begin()));
    TypeId t;
    if (it->isCharArray)
      t = R.types.string(it->size);
    else if (it->isDataLoc)
      t = R.types.string(R.options.strlen);
    else if (auto p = tracepointStructPointer(*it, a.category))
      t = *p;
    else if (it->size <= 8 && (it->size & (it->size - 1)) == 0 && it->ctype.find('[') == std::string::npos)
      t = R.types.integer(it->size, it->isSigned && !it->isPointer);
    else if (auto arr = tracepointArray(*it))
      t = *arr;
    else {
      err(f->fieldRange, "field '" + f->field + "' of type '" + it->ctype +
                             "' is not supported yet");
      return R.types.none();
    }
    if (!result)
      result = t;
    else if (ty(*result).kind != ty(t).kind || ((ty(t).isPointer() || ty(t).isArray()) && *result != t)) {
      err(f->fieldRange, "field '" + f->field + "' has different types across " +
                             probe_->text);
      return R.types.none();
    } else if (ty(t).isString())
      result = R.types.string(std::max(ty(*result).size, ty(t).size));
    else
      result = R.types.integer(std::max(ty(*result).size, ty(t).size), ty(*result).isSigned);
  }
  R.tracepointFields[f] = {probe_->probe, std::move(resolved)};
  return result.value_or(R.types.none());
}

} // namespace bt::sema
