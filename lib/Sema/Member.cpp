// Typing of kernel types: curtask, casts to kernel types, `->`/`.` members of BTF
// structs and unions, `*p`, `&e`, indexing, enum constants, sizeof and offsetof.
// Every member read is recorded (SemaResult::members) for Lower to relocate.
#include "BpftraceSizes.h"
#include "BtfTypes.h"
#include "Typer.h"

namespace bt::sema {

using namespace ast;

std::optional<std::pair<unsigned, bool>> cBaseType(const std::string &name) {
  static const std::map<std::string, std::pair<unsigned, bool>> names = {
      {"int8", {1, true}},   {"int16", {2, true}},   {"int32", {4, true}},
      {"int64", {8, true}},  {"uint8", {1, false}},  {"uint16", {2, false}},
      {"uint32", {4, false}}, {"uint64", {8, false}}, {"char", {1, true}},
      {"signed char", {1, true}}, {"unsigned char", {1, false}}, {"short", {2, true}},
      {"unsigned short", {2, false}}, {"int", {4, true}}, {"unsigned int", {4, false}},
      {"unsigned", {4, false}}, {"long", {8, true}}, {"unsigned long", {8, false}},
      {"long long", {8, true}}, {"unsigned long long", {8, false}}, {"bool", {1, false}},
  };
  auto it = names.find(name);
  if (it == names.end())
    return std::nullopt;
  return it->second;
}

namespace {

bool isKernelRecord(const Type &t) { return t.isRecord() && t.origin == RecordOrigin::Btf; }

} // namespace

bool Typer::kernelTypes(SourceRange r) {
  if (R.btf->load())
    return true;
  // Once: every later kernel type would only repeat it.
  if (report_ && !R.btf->errorReported) {
    R.btf->errorReported = true;
    err(r, R.btf->error());
  }
  return false;
}

std::optional<TypeId> Typer::namedType(const TypeName &tn, bool sized) {
  if (tn.typeofExpr)
    return typeofType(tn);
  if (auto builtin = upstreamBuiltinType(tn))
    return *builtin;
  std::optional<TypeId> t;
  if (auto base = cBaseType(tn.name)) {
    t = R.types.integer(base->first, base->second);
  } else if (!(t = cType(tn.name, true))) {
    // BTF first for kernel types, then the headers' types.
    if (R.btf->load())
      t = R.btf->named(R.types, tn.name);
    if (!t)
      t = cType(tn.name, false);
    if (!t && !kernelTypes(tn.range))
      return std::nullopt;
    if (!t) {
      err(tn.range, "unknown type '" + tn.name + "' on " + R.btf->targetName());
      return std::nullopt;
    }
  }
  for (int i = 0; i < tn.pointerDepth; ++i)
    t = R.types.pointer(*t, AddressSpace::Kernel);
  if (tn.arraySize >= 0)
    return arrayOfNamed(tn, *t, sized);
  return t;
}

// `struct foo[4]`, `uint64 *[2]`, `int[2][4]` (sizeof's, as C): arrays of what the name
// and stars give, the innermost size last. An array of kernel records is refused where
// its compile-time size would stand for the running kernel's (a cast): sizeof relocates
// it as its count of the record's size, and a held copy is at the compile-time layout
// whatever the kernel's (recordsAllowed, for those two).
std::optional<TypeId> Typer::arrayOfNamed(const TypeName &tn, TypeId element,
                                          bool recordsAllowed) {
  if (tn.arraySize == 0) {
    err(tn.range, "the array type " + writtenSpelling(tn) + " needs its size here");
    return std::nullopt;
  }
  if (isKernelRecord(ty(element)) && !recordsAllowed) {
    err(tn.range, "an array of " + ty(element).str() + " is not supported yet (its size "
                  "would not follow the running kernel's)");
    return std::nullopt;
  }
  // Checked at each size, before it multiplies: the parser caps each size at 2^40, and
  // two of them multiplied wrapped (uint8[1][2^32][2^32] was 0 bytes).
  constexpr uint64_t kMaxBytes = uint64_t(1) << 31;
  uint64_t bytes = ty(element).size;
  auto tooLarge = [&](uint64_t n) {
    if (bytes && n > kMaxBytes / bytes) {
      err(tn.range, "the array type " + spelling(tn) + " is too large");
      return true;
    }
    bytes *= n;
    return false;
  };
  for (auto n = tn.innerSizes.rbegin(); n != tn.innerSizes.rend(); ++n) {
    if (*n == 0) { // a count of 0 is a flexible array to the type table, not 0 bytes
      err(tn.range, "the array type " + spelling(tn) + " needs each inner size above 0");
      return std::nullopt;
    }
    if (tooLarge(*n))
      return std::nullopt;
    element = R.types.array(element, unsigned(*n));
  }
  if (tooLarge(uint64_t(tn.arraySize)))
    return std::nullopt;
  return R.types.array(element, unsigned(tn.arraySize));
}

// `typeof(e)`: e's type. e is typed where it stands but never evaluated (Lower
// lowers no TypeName), as upstream's typeof.
std::optional<TypeId> Typer::typeofType(const TypeName &tn) {
  TypeId t = expr(tn.typeofExpr.get());
  const Type &type = ty(t);
  if (type.isNone()) {
    err(tn.range, "typeof of an expression without a value");
    return std::nullopt;
  }
  if (type.kind == TypeKind::Aggregation) {
    err(tn.range, "typeof of " + type.str() + " is not supported yet");
    return std::nullopt;
  }
  return t;
}

TypeId Typer::currentTask(const BuiltinRef *b) {
  // A script that defines struct task_struct reads curtask as that, as upstream bpftrace
  // resolves the name (its runtime test redefine_btf_type).
  if (std::optional<TypeId> script = cType("struct task_struct", true))
    return R.types.pointer(*script, AddressSpace::Kernel);
  if (!kernelTypes(b->range))
    return R.types.none();
  auto task = R.btf->named(R.types, "struct task_struct");
  if (!task) {
    err(b->range, "curtask needs struct task_struct, which the BTF of " +
                      R.btf->targetName() + " lacks");
    return R.types.none();
  }
  return R.types.pointer(*task, AddressSpace::Kernel);
}

TypeId Typer::member(const FieldExpr *f, TypeId baseId) {
  // `$pp->x` on a `struct s **`: as upstream's newest, a field access reads through every
  // pointer (it inserts a dereference while the type is one); Lower reads each pointer
  // but the last (ProbeLowering::recordAddress). A pointer read out of a process's memory
  // points into it (readIn): the last one's space is where the struct lies.
  TypeId outerId = baseId;
  while (ty(baseId).isPointer() && ty(ty(baseId).pointee).isPointer())
    baseId = readIn(ty(baseId).pointee, ty(baseId).addressSpace);
  const Type &base = ty(baseId);
  bool throughPointer;
  // `$s->pid`, `@m[k]->x`, `p->a->b` of a struct value are its `.pid`, `.x`, `.b`:
  // upstream's `->` and `.` are one field access that reads through a pointer and
  // leaves a struct value as it is (its test "scalars can be accessed in copied
  // structs"). bpftrace 0.17 refused them; btc accepts upstream's newer syntax.
  if (f->arrow && !base.isPointer() && !base.isRecord()) {
    err(f->range, "'->' needs a struct, or a pointer to one, got " + base.str());
    return R.types.none();
  }
  if (f->arrow) {
    throughPointer = base.isPointer();
  } else {
    // `.` on a pointer to a struct reads through it, as `->` does (upstream bpftrace's
    // automatic dereference; Lower goes by the base's type, not the operator).
    const Type *pointee = base.isPointer() ? &ty(base.pointee) : nullptr;
    throughPointer = pointee && (isKernelRecord(*pointee) ||
                                 (pointee->isRecord() && pointee->origin == RecordOrigin::C));
  }
  // The member's bytes are where the pointer points, or where the held value was
  // copied from: what it holds is read as from there (a pointer points there too).
  AddressSpace space = base.addressSpace;
  TypeId recordId = R.types.declared(throughPointer ? base.pointee : baseId);
  const Type &record = ty(recordId);
  if (!throughPointer && heldValue(f->base.get()))
    R.heldReads.insert(f);
  if (record.isRecord() && record.origin == RecordOrigin::C)
    return readIn(isDwarfRecord(recordId) ? dwarfMember(f, recordId) : cMember(f, recordId),
                  space);
  if (!isKernelRecord(record)) {
    // A tracepoint field that points to a kernel struct (`struct __kernel_timespec *`)
    // points to nothing known without the kernel's BTF: say so, not "void".
    auto *field = as<FieldExpr>(f->base.get());
    auto *args = field ? as<BuiltinRef>(field->base.get()) : nullptr;
    if (base.isPointer() && ty(base.pointee).isNone() && args && args->name == "args" &&
        !R.btf->load()) {
      err(f->range, "'" + field->field + "' points to a kernel type: " + R.btf->error());
      return R.types.none();
    }
    err(f->range, std::string(f->arrow ? "'->'" : "'.'") + " on " +
                      (f->arrow || outerId != baseId ? ty(outerId).str() : record.str()) +
                      ", which is no struct or union");
    return R.types.none();
  }
  std::string unsupported;
  auto m = R.btf->member(R.types, recordId, f->field, unsupported);
  if (!m) {
    if (!unsupported.empty())
      err(f->fieldRange, "member '" + f->field + "' of " + record.str() + " has " +
                             unsupported + ", which is not supported yet");
    else
      err(f->fieldRange,
          record.str() + " has no member '" + f->field + "' on " + R.btf->targetName());
    return R.types.none();
  }
  if (m->bitfieldSize && !ty(m->type).isInt()) {
    err(f->fieldRange, "bitfield '" + f->field + "' of " + ty(m->type).str() +
                           " is not supported yet");
    return R.types.none();
  }
  R.members[f] = {recordId, m->name, m->bitOffset, m->bitfieldSize, m->type};
  return readIn(m->type, space);
}

TypeId Typer::pointerCast(const CastExpr *c, TypeId operand) {
  if (c->type.arraySize >= 0) {
    err(c->range, "cannot cast to " + spelling(c->type) + ": an array cast is between an "
                  "integer and an array of integers (as bpftrace's)");
    return R.types.none();
  }
  auto target = namedType(c->type);
  if (!target)
    return R.types.none();
  const Type &to = ty(*target), &from = ty(operand);
  if (!to.isPointer() && !to.isInt()) {
    err(c->range, "cannot cast to " + to.str() + " (cast to a pointer: '" +
                      spelling(c->type) + " *')");
    return R.types.none();
  }
  // A string cast to a pointer points at its own bytes (upstream's `*(int32 *)"abc"`
  // reads "abc\0" as an integer): the probe's memory, as `&$x` is.
  if (from.isString() && to.isPointer())
    return R.types.pointer(to.pointee, AddressSpace::Variable);
  if (!from.isNone() && !from.isInt() && !from.isPointer()) {
    err(c->range, "cannot cast " + from.str() + " to " + to.str());
    return R.types.none();
  }
  // As bpftrace: a cast keeps a pointer's address space (`(struct mine *)uptr(arg0)` in
  // any probe, `(struct task_struct *)curtask` in a uprobe), and an integer cast to a
  // pointer in a user-space probe points into the process.
  if (to.isPointer() && from.isPointer())
    return R.types.pointer(to.pointee, from.addressSpace);
  if (to.isPointer()) {
    // ctx is the program's context, kernel memory in every probe: bpftrace reads
    // `((struct pt_regs *)ctx)->di` in a uprobe from there (the process's memory gave 0).
    auto *b = ast::as<ast::BuiltinRef>(c->operand.get());
    auto use = b ? lookupBuiltin(b->name) : std::nullopt;
    bool context = use && use->id == BuiltinId::Ctx;
    return R.types.pointer(to.pointee, context ? AddressSpace::Kernel : integerPointerSpace());
  }
  if (isEnum(to))
    checkEnumCastValue(c, to.name);
  return enumValue(*target);
}

AddressSpace Typer::integerPointerSpace() const {
  bool userProbe = probe_ && (probe_->type == ProbeType::Uprobe ||
                              probe_->type == ProbeType::Uretprobe ||
                              probe_->type == ProbeType::Usdt);
  return userProbe ? AddressSpace::User : AddressSpace::Kernel;
}

TypeId Typer::enumValue(TypeId t) {
  const Type &type = ty(t);
  return isEnum(type) ? R.types.enumeration(type.name, 8, false) : t;
}

std::optional<uint64_t> Typer::enumeratorSize(const TypeName &tn) {
  bool bare = tn.name.find(' ') == std::string::npos && !tn.pointerDepth && tn.arraySize < 0;
  if (!bare || cBaseType(tn.name) || cType(tn.name, true))
    return std::nullopt;
  bool scriptEnumerator = R.cdefs && R.cdefs->scriptEnumOf(tn.name);
  if (!scriptEnumerator && !(R.btf->load() && R.btf->enumConstant(R.types, tn.name)))
    return std::nullopt;
  return 8;
}

TypeId Typer::pointerBinary(const BinaryExpr *b, TypeId lhs, TypeId rhs) {
  const Type &l = ty(lhs), &r = ty(rhs);
  auto refuse = [&] {
    err(b->range, std::string("operator '") + spelling(b->op) + "' cannot take " + l.str() +
                      " and " + r.str());
    return R.types.none();
  };
  if (!(l.isInt() || l.isPointer()) || !(r.isInt() || r.isPointer()))
    return refuse();
  switch (b->op) {
  case BinaryOp::Eq: case BinaryOp::Ne: case BinaryOp::Lt: case BinaryOp::Le:
  case BinaryOp::Gt: case BinaryOp::Ge: case BinaryOp::LogicalAnd: case BinaryOp::LogicalOr:
    return u64();
  case BinaryOp::Add:
    if (l.isPointer() && r.isPointer())
      return refuse();
    return l.isPointer() ? lhs : rhs;
  case BinaryOp::Sub:
    if (l.isPointer() && r.isPointer())
      return lhs == rhs ? s64() : refuse();
    return l.isPointer() ? lhs : refuse();
  default:
    return refuse();
  }
}

TypeId Typer::derefOrAddress(const UnaryExpr *u) {
  if (u->op == UnaryOp::AddressOf && as<MapRef>(u->operand.get()))
    return mapAddress(u);
  TypeId operandId = expr(u->operand.get());
  const Type &t = ty(operandId);
  if (t.isNone())
    return R.types.none();
  if (u->op == UnaryOp::Deref) {
    // As bpftrace 0.17: an integer is an address, read as an integer of its own size
    // (`*kaddr("avenrun")`).
    if (t.isInt())
      return operandId;
    if (!t.isPointer()) {
      err(u->range, "'*' needs a pointer, got " + t.str());
      return R.types.none();
    }
    if (t.pointee == R.types.none()) {
      // uptr()/kptr() of an integer: a void pointer, whose size to read btc does not guess.
      auto *space = as<CallExpr>(u->operand.get());
      auto *inner = space && !space->args.empty() ? as<CallExpr>(space->args[0].get()) : nullptr;
      if (inner && inner->callee == "kaddr" && space->callee == "uptr")
        err(u->range, "cannot dereference uptr(kaddr(...)): a kernel symbol's address read as "
                      "user memory always fails; write *kaddr(\"name\")");
      else
        err(u->range, "cannot dereference " + t.str() + ": cast it to the type it points to, "
                      "as in *(uint64 *)" + (space ? space->callee : std::string("kptr")) + "(...)");
      return R.types.none();
    }
    return readIn(t.pointee, t.addressSpace);
  }
  const Expr *e = u->operand.get();
  if (auto refused = R.options.refusedUnstable("unstable_addr")) {
    err(u->range, "'&': " + *refused);
    return R.types.none();
  }
  if (R.heldReads.count(e) || (!as<VariableRef>(e) && inKernelCopy(e))) {
    err(u->range, "'&' of a member of a struct value the script holds is not supported");
    return R.types.none();
  }
  if (as<VariableRef>(e))
    return variableAddress(u, operandId);
  bool place = (as<FieldExpr>(e) && R.members.count(as<FieldExpr>(e))) || as<IndexExpr>(e) ||
               (as<UnaryExpr>(e) && as<UnaryExpr>(e)->op == UnaryOp::Deref);
  if (!place) {
    err(u->range, "'&' needs a kernel struct member, an element or '*p'");
    return R.types.none();
  }
  // Points at the struct as declared: where it lies is the pointer's address space.
  return R.types.pointer(R.types.declared(operandId),
                         inProcessMemory(e) ? AddressSpace::User : AddressSpace::Kernel);
}

// Upstream's `&@m` (unstable_addr) is the map itself, a struct bpf_map *, there to be
// handed to BPF C functions: an argument of an imported .bpf.c's function
// (ExternalCalls.cpp), and anywhere else no memory a script reads. Its `&@m[k]` is
// `(&@m)[k]`, an index off that address.
TypeId Typer::mapAddress(const UnaryExpr *u) {
  auto *m = as<MapRef>(u->operand.get());
  if (auto refused = R.options.refusedUnstable("unstable_addr"))
    err(u->range, "'&': " + *refused);
  else if (m->hasKeys)
    err(u->range, "'&" + m->name + "[...]' is not supported: upstream reads it as (&" +
                      m->name + ")[...], an index off the map's own address, not the "
                      "address of an element");
  else
    err(u->range, "'&" + m->name + "' is not supported here: upstream's is the map itself "
                      "(a struct bpf_map *), which only a function of an imported .bpf.c "
                      "takes; it is no memory a script can read");
  return R.types.none();
}

// `&$x` (upstream's unstable_addr): the variable's own bytes, on the probe's stack or
// in its per-CPU scratch, read with the kernel helper while the probe runs
// (AddressSpace::Variable keeps it out of maps: stored, it would outlive them).
TypeId Typer::variableAddress(const UnaryExpr *u, TypeId held) {
  const Type &t = ty(held);
  // A struct copied from a process's memory keeps where its pointers point in its type
  // (recordIn); read back through `&`, its members would be typed as the kernel's.
  bool fromProcess = false;
  for (TypeId part = held; !fromProcess; part = ty(part).element) {
    fromProcess = ty(part).isRecord() && ty(part).addressSpace == AddressSpace::User;
    if (!ty(part).isArray())
      break;
  }
  if (fromProcess || !(t.isInt() || t.isBool() || t.isString() || t.isPointer() ||
                       t.isArray() || t.isRecord())) {
    err(u->range, "'&' of a variable holding " + t.str() + " is not supported" +
                      (fromProcess ? " (copied from the process's memory)" : ""));
    return R.types.none();
  }
  return R.types.pointer(held, AddressSpace::Variable);
}

// A pointer to a variable's bytes (`&$x`, a cast string's) means nothing once its probe
// has returned.
bool Typer::holdsVariableAddress(TypeId t) const {
  const Type &type = ty(t);
  if (type.isPointer())
    return type.addressSpace == AddressSpace::Variable;
  if (type.isArray())
    return holdsVariableAddress(type.element);
  if (type.isRecord() && type.origin == RecordOrigin::Tuple)
    for (const RecordField &f : type.fields)
      if (holdsVariableAddress(f.type))
        return true;
  return false;
}

void Typer::refuseVariableAddressIn(TypeId t, SourceRange r, const std::string &what) {
  if (holdsVariableAddress(t))
    err(r, what + " cannot hold " + ty(t).str() +
               ", an address of the probe's own memory ('&$x', or a string cast to a "
               "pointer), which is valid only while the probe runs");
}

bool Typer::inProcessMemory(const Expr *place) {
  auto userPointer = [&](const Expr *p) {
    const Type &t = ty(R.typeOf(p));
    return t.isPointer() && t.addressSpace == AddressSpace::User;
  };
  if (auto *f = as<FieldExpr>(place)) {
    if (!ty(R.typeOf(f->base.get())).isPointer())
      return inProcessMemory(f->base.get());
    TypeId p = R.typeOf(f->base.get()); // the last pointer's space, as member() reads
    while (ty(ty(p).pointee).isPointer())
      p = readIn(ty(p).pointee, ty(p).addressSpace);
    return ty(p).addressSpace == AddressSpace::User;
  }
  if (auto *i = as<IndexExpr>(place))
    return userPointer(i->base.get()) || inProcessMemory(i->base.get());
  if (auto *u = as<UnaryExpr>(place); u && u->op == UnaryOp::Deref)
    return userPointer(u->operand.get());
  return false;
}

TypeId Typer::readIn(TypeId t, AddressSpace space) {
  const Type &type = ty(t);
  // A variable's bytes (`*&$x`) are its value, typed as it is held.
  if (space == AddressSpace::Kernel || space == AddressSpace::Variable)
    return t;
  if (type.isPointer())
    return R.types.pointer(type.pointee, space);
  if (type.isArray()) {
    TypeId element = readIn(type.element, space);
    return R.types.array(element, type.count);
  }
  // A binary's DWARF types its pointers as the process's already.
  if (type.isRecord() && !isDwarfRecord(t))
    return R.types.recordIn(t, space);
  return t;
}

// Where a struct value was copied from, as an error names it.
std::string Typer::memoryName(TypeId record) const {
  switch (ty(record).addressSpace) {
  case AddressSpace::User: return "the process's memory";
  case AddressSpace::Variable: return "a variable's bytes";
  default: return "kernel memory";
  }
}

TypeId Typer::index(const IndexExpr *i) {
  const Type &base = ty(expr(i->base.get()));
  const Type &idx = ty(expr(i->index.get()));
  if (base.isNone() || idx.isNone())
    return R.types.none();
  if (!idx.isInt()) {
    err(i->index->range, "an index must be an integer, got " + idx.str());
    return R.types.none();
  }
  // A constant index before the start or past the end is an error, as in bpftrace: a
  // negative one (-1, 1 - 2) would read the bytes before the array (0 counts a flexible
  // array; a string's bytes are its buffer, the NUL included).
  if (base.isArray() || base.isString()) {
    unsigned count = base.isArray() ? base.count : base.size;
    auto value = compileTimeValue(i->index.get());
    if (value && (*value < 0 || (count && (uint64_t)*value >= count))) {
      err(i->index->range, "the index " + std::to_string(*value) +
                               " is out of bounds for array of size " + std::to_string(count));
      return R.types.none();
    }
  }
  if (base.isArray()) {
    if (heldValue(i->base.get()))
      R.heldReads.insert(i);
    return base.element;
  }
  if (base.isPointer() && base.pointee != R.types.none())
    return readIn(base.pointee, base.addressSpace);
  if (base.isString()) // a byte of the string, as bpftrace's `$s[0] == "/"[0]`
    return R.types.integer(1, true);
  if (base.isRecord() && base.origin == RecordOrigin::Tuple && !base.isNamedTuple())
    return tupleIndex(i, R.exprTypes[i->base.get()]);
  err(i->range, "indexing " + base.str() + " is not supported (it is no array or pointer)");
  return R.types.none();
}

TypeId Typer::enumConstant(const IdentifierRef *id) {
  if (auto c = cConstant(id))
    return *c;
  // A macro of the script's C that is no constant says so, whatever the BTF has.
  if (auto why = R.cdefs ? R.cdefs->notConstant(id->name) : std::nullopt) {
    err(id->range, "'" + id->name + "' cannot be used as a value: the script's C defines it as " +
                       *why);
    return R.types.none();
  }
  // Without BTF only the script's C could have named it: say that, not that BTF is needed.
  if (!R.btf->load()) {
    std::string noBtf = R.btf->path().empty()
                            ? R.btf->targetName() + " has no BTF for the kernel's enums (give "
                                                    "one with --btf FILE or a target description)"
                            : R.btf->error();
    err(id->range, "unknown identifier '" + id->name + "': " +
                       (R.cdefs ? "the script's C has no enumerator or integer macro of that "
                                  "name, and "
                                : "") +
                       noBtf + (R.cdefs ? R.cdefs->unknownNameAdvice() : ""));
    return R.types.none();
  }
  auto c = R.btf->enumConstant(R.types, id->name);
  if (!c) {
    err(id->range, "unknown identifier '" + id->name + "' (no enum constant of that name" +
                       (R.cdefs ? R.cdefs->unknownNameAdvice() : "") + ")");
    return R.types.none();
  }
  R.constants[id] = c->value;
  return c->type;
}

// The first kernel struct or union a value holds: itself, or in an array's elements or a
// tuple's (at any depth).
std::optional<TypeId> Typer::kernelRecordIn(TypeId t) const {
  const Type &type = ty(t);
  if (isKernelRecord(type))
    return t;
  if (type.isArray())
    return kernelRecordIn(type.element);
  if (type.isRecord() && type.origin == RecordOrigin::Tuple)
    for (const RecordField &f : type.fields)
      if (auto record = kernelRecordIn(f.type))
        return record;
  return std::nullopt;
}

TypeId Typer::sizeOf(const SizeofExpr *s) {
  if (auto size = s->ofType ? enumeratorSize(s->type) : std::nullopt) {
    R.constants[s] = *size;
    return u64();
  }
  std::optional<TypeId> t =
      s->ofType ? namedType(s->type, /*sized=*/true) : expr(s->operand.get());
  if (t && s->ofType)
    t = enumValue(*t);
  if (!t || ty(*t).isNone())
    return R.types.none();
  const Type &type = ty(*t);
  // Upstream's count_t, sum_t, ...: the one 64-bit value its map holds per key.
  if (s->ofType && type.kind == TypeKind::Aggregation) {
    R.constants[s] = 8;
    return u64();
  }
  // A kernel struct's size is relocated (kernelSizes); a tuple's, a tuple integer's,
  // macaddr()'s and a printed kind's are bpftrace's, not btc's layout of them
  // (BpftraceSizes.h).
  bool ownLayout = type.isPointer() || (type.isString() && !type.bpftraceSize) ||
                   type.isArray() || (type.isInt() && !type.tupleWidth) ||
                   (type.isRecord() && type.origin != RecordOrigin::Tuple);
  if (!ownLayout) {
    auto extent = bpftraceExtent(R.types, *t);
    if (!extent) {
      std::string why = type.isRecord() ? " yet (bpftrace 0.17 has no size for an element)" : "";
      err(s->range, "sizeof " + type.str() + " is not supported" + why);
      return R.types.none();
    }
    auto record = kernelRecordIn(*t);
    if (record && !extent->relocatable) {
      err(s->range, "sizeof " + type.str() + " is not supported yet: the padding after " +
                        ty(*record).str() + " in bpftrace's layout of the tuple would "
                        "depend on the running kernel's size of it");
      return R.types.none();
    }
    // Lower adds how much the running kernel's structs grew (CO-RE type sizes).
    R.constants[s] = extent->size;
    if (record)
      R.kernelSizes[s] = *t;
    return u64();
  }
  R.constants[s] = type.size;
  // An array of kernel records is relocated as its count of the record's size.
  if (isKernelRecord(type))
    R.kernelSizes[s] = R.types.declared(*t);
  else if (type.isArray() && kernelRecordIn(*t))
    R.kernelSizes[s] = *t;
  return u64();
}

TypeId Typer::offsetOf(const OffsetofExpr *o) {
  std::optional<TypeId> t = o->operand ? expr(o->operand.get()) : namedType(o->type);
  if (!t || ty(*t).isNone())
    return R.types.none();
  TypeId record = R.types.declared(*t);
  unsigned bits = 0;
  std::vector<MemberAccess> path;
  for (const std::string &name : o->fieldPath) {
    if (ty(record).isRecord() && ty(record).origin == RecordOrigin::C) {
      auto m = cMemberOf(record, name, o->range);
      if (!m)
        return R.types.none();
      bits += m->bitOffset;
      record = m->type;
      path.clear(); // the script's layout: no relocation
      continue;
    }
    if (!isKernelRecord(ty(record))) {
      err(o->range, "offsetof needs a struct or union, got " + ty(record).str());
      return R.types.none();
    }
    std::string unsupported;
    auto m = R.btf->member(R.types, record, name, unsupported);
    if (!m) {
      err(o->range, ty(record).str() + " has no member '" + name + "' on " + R.btf->targetName());
      return R.types.none();
    }
    path.push_back({record, name, m->bitOffset, m->bitfieldSize, m->type});
    bits += m->bitOffset;
    record = m->type;
  }
  R.constants[o] = bits / 8;
  // Relocated when every step is a kernel record's member, and none a bitfield.
  if (path.size() == o->fieldPath.size() && !path.back().bitfieldSize)
    R.kernelOffsets[o] = std::move(path);
  return u64();
}

} // namespace bt::sema
