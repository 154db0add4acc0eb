// Typing of buf(), a buffer of bytes that %r, %rx and %rh print, and of kptr/uptr, which
// say where an address points and so which helper reads it (bpftrace 0.17's rules).
#include "Typer.h"

#include <algorithm>

namespace bt::sema {

using namespace ast;

TypeId Typer::bufferFunctionCall(const CallExpr *c) {
  std::vector<TypeId> ts;
  for (const auto &a : c->args)
    ts.push_back(expr(a.get()));
  const Type &data = ty(ts[0]);
  // At most strlen bytes, as bpftrace (BPFTRACE_STRLEN): the buffer lives on the stack.
  unsigned capacity = R.options.strlen;
  if (c->args.size() == 1) {
    if (!data.isNone() && !data.isArray()) {
      err(c->args[0]->range, "buf() needs a length unless its data is an array, got " +
                                 data.str());
      return R.types.none();
    }
    if (data.isArray())
      capacity = std::min(capacity, data.size);
    return R.types.buffer(capacity);
  }
  if (!data.isNone() && !data.isInt() && !data.isPointer() && !data.isString() &&
      !data.isArray() && !(data.isRecord() && data.origin != RecordOrigin::Tuple))
    err(c->args[0]->range, "buf() needs a pointer, an array or a string, got " + data.str());
  const Type &length = ty(ts[1]);
  if (auto n = literal(c->args[1].get())) {
    if (*n < 1)
      err(c->args[1]->range, "buf() length must be at least 1");
    else
      capacity = static_cast<unsigned>(std::min<uint64_t>(capacity, static_cast<uint64_t>(*n)));
  } else if (!length.isNone() && !length.isInt()) {
    err(c->args[1]->range, "buf() length must be an integer, got " + length.str());
  }
  return R.types.buffer(capacity);
}

TypeId Typer::addressSpaceCall(const CallExpr *c, FunctionId id) {
  const Type &v = ty(expr(c->args[0].get()));
  AddressSpace space = id == FunctionId::Uptr ? AddressSpace::User : AddressSpace::Kernel;
  if (v.isPointer())
    return R.types.pointer(v.pointee, space);
  // An integer becomes a void pointer: arithmetic stays in bytes, as on the integer, and
  // str() and buf() read it from that space; `*` of it is refused rather than guessed.
  if (v.isInt())
    return R.types.pointer(R.types.none(), space);
  if (!v.isNone())
    err(c->args[0]->range, c->callee + "() needs an integer or a pointer, got " + v.str());
  return R.types.none();
}

} // namespace bt::sema
