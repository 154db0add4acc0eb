// Typer::field: `e.name` / `args->name`, handed to tuples, members and probe arguments
// by its base, and typed here for a tracepoint's `args` from each attachment's format
// (recorded per probe for the manifest's field checks); and the field types beyond
// integers, strings and pointers.
#include "SemaInternal.h"
#include "Typer.h"

#include <algorithm>
#include <cctype>
#include <sstream>

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

std::optional<TypeId> Typer::tracepointPointer(const TracepointField &f,
                                               const std::string &category) {
  if (!f.isPointer || f.ctype.back() == ']')
    return std::nullopt;
  // "const char *const *": the base type before the first '*', qualifiers dropped; the
  // stars after it are the pointer's depth ('const' between them qualifies a level).
  size_t star = f.ctype.find('*');
  unsigned depth = unsigned(std::count(f.ctype.begin(), f.ctype.end(), '*'));
  std::istringstream words(f.ctype.substr(0, star));
  std::string base;
  for (std::string w; words >> w;) {
    if (w == "const" || w == "volatile" || w == "__user")
      continue;
    // A per-CPU offset (`void __seg_gs *`) is no address: it stays the integer it is.
    if (w == "__seg_gs" || w == "__seg_fs" || w == "__percpu")
      return std::nullopt;
    base += (base.empty() ? "" : " ") + w;
  }
  TypeId pointee = R.types.none();
  if (auto c = cBaseType(base))
    pointee = R.types.integer(c->first, c->second);
  else if (base != "void" && R.btf->load())
    pointee = R.btf->named(R.types, base).value_or(R.types.none());
  // Every level of a syscall's argument points into the process (`argv[1]` too).
  AddressSpace space = category == "syscalls" ? AddressSpace::User : AddressSpace::Kernel;
  TypeId t = pointee;
  for (unsigned i = 0; i < depth; ++i)
    t = R.types.pointer(t, space);
  return t;
}

bool Typer::fieldSigned(const TracepointField &f) {
  std::string c = f.ctype.compare(0, 6, "const ") == 0 ? f.ctype.substr(6) : f.ctype;
  if (c == "char") // the kernel's -funsigned-char makes the column 0
    return R.arch.name == "x86_64";
  // A syscall's `pid_t pid` of 8 bytes is a u64 to bpftrace.
  if (f.isSigned || (f.size == 8 && c == "pid_t"))
    return f.isSigned;
  // The column is 0 for a syscall's arguments, all 8 bytes (`int dfd`, `loff_t pos`).
  if (auto base = cBaseType(c))
    return base->second;
  if (!R.btf->load())
    return false;
  auto named = R.btf->named(R.types, c);
  return named && ty(*named).isInt() && ty(*named).isSigned;
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
  // The first integer's signedness, and where: each attachment's is extended by the
  // field's one type.
  std::optional<std::string> firstInt;
  for (const auto &a : probe_->attachments) {
    auto it = std::find_if(a.fields.begin(), a.fields.end(),
                           [&](const TracepointField &tf) { return tf.name == f->field; });
    if (it == a.fields.end()) {
      // struct trace_entry's fields head every record, and the format files list them,
      // but the verifier keeps a tracepoint program from its record's first 8 bytes:
      // bpftrace refuses them in these words.
      static const char *const kCommon[] = {"common_type", "common_flags",
                                            "common_preempt_count", "common_pid"};
      if (std::find(std::begin(kCommon), std::end(kCommon), f->field) != std::end(kCommon)) {
        err(f->fieldRange, "'" + f->field + "' of tracepoint " + a.probeName +
                               ": BPF does not support accessing common tracepoint fields "
                               "(the kernel keeps a tracepoint's first 8 bytes from BPF)");
        return R.types.none();
      }
      err(f->fieldRange, a.unknownFields.empty()
                             ? "tracepoint " + a.probeName + " has no field '" + f->field + "' on " +
                                   R.targetName
                             : "field '" + f->field + "' of tracepoint " + a.probeName +
                                   " is not known: " + a.unknownFields);
      return R.types.none();
    }
    resolved.push_back(unsigned(it - a.fields.begin()));
    TypeId t;
    // `__data_loc u64[]`, `__data_loc cpumask_t`: the address of its data in the record,
    // an int64, as bpftrace 0.17 types it (`*(uint64 *)args.phys_addrs`); the length in
    // its high 16 bits is no part of it. A string only `__data_loc char[]` is.
    if (it->isDataLoc && it->ctype != "__data_loc char[]")
      t = R.types.integer(8, true);
    else if (it->isCharArray)
      t = R.types.string(it->size);
    else if (it->isDataLoc)
      t = R.types.string(R.options.strlen);
    else if (auto p = tracepointPointer(*it, a.category))
      t = *p;
    else if (it->size <= 8 && (it->size & (it->size - 1)) == 0 && it->ctype.find('[') == std::string::npos)
      t = R.types.integer(it->size, fieldSigned(*it));
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
    if (ty(t).isInt() && !firstInt)
      firstInt = ty(t).str() + " in " + a.probeName;
    else if (ty(t).isInt() && ty(*result).isSigned != ty(t).isSigned) {
      // Read as one signedness, one attachment's -1 would be a large number or another's
      // large number negative (bpftrace 0.17 reads both as one of them, silently).
      err(f->fieldRange, "field '" + f->field + "' is " + *firstInt + " but " + ty(t).str() +
                             " in " + a.probeName +
                             ": its signedness differs across the probe's tracepoints (give "
                             "each its own probe)");
      return R.types.none();
    }
    if (ty(t).isInt())
      result = R.types.integer(std::max(ty(*result).size, ty(t).size), ty(t).isSigned);
  }
  R.tracepointFields[f] = {probe_->probe, std::move(resolved)};
  return result.value_or(R.types.none());
}

} // namespace bt::sema
