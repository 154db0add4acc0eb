// Typing of macaddr, socket_cookie and path. macaddr's value is its text, a string
// (lib/Lower/NetFunctions2.cpp writes it); socket_cookie and path are kernel helpers
// that take a typed BTF pointer, which only BPF tracing programs (fentry, fexit, and
// for path iterators) hold.
#include "Typer.h"

#include <algorithm>

namespace bt::sema {

using namespace ast;

namespace {
constexpr unsigned kMacBytes = 6;

bool tracingProbe(ProbeType t) { return t == ProbeType::Fentry || t == ProbeType::Fexit; }

// The kernel's btf_allowlist_d_path (kernel/trace/bpf_trace.c, unchanged since 5.10): the
// only functions whose fentry/fexit programs it lets call bpf_d_path. It refuses any other
// when it loads the program, as upstream reports ("helper bpf_d_path not allowed in
// probe"); btc knows the list, so it says so where path() is called.
constexpr const char *dPathAllowed[] = {
    "security_file_permission", "security_inode_getattr", "security_file_open",
    "security_path_truncate",   "vfs_truncate",           "vfs_fallocate",
    "dentry_open",              "vfs_getattr",            "filp_close"};

// The first attachment of a tracing probe whose function may not call bpf_d_path.
const Attachment *dPathRefused(const ProbeInfo &probe) {
  for (const Attachment &a : probe.attachments) {
    bool allowed = !a.onBpfProgram && std::any_of(std::begin(dPathAllowed),
                                                  std::end(dPathAllowed),
                                                  [&](const char *f) { return a.symbol == f; });
    if (!allowed)
      return &a;
  }
  return nullptr;
}
} // namespace

TypeId Typer::netFunction2Call(const CallExpr *c, FunctionId id) {
  const Expr *arg = c->args[0].get();
  switch (id) {
  case FunctionId::Macaddr: {
    // As bpftrace 0.17: 6 bytes of an array or struct, or read at an address.
    if (as<StringLit>(arg)) {
      err(arg->range, "macaddr() does not take a string literal");
      return R.types.none();
    }
    const Type &t = ty(expr(arg));
    if (t.isNone())
      return R.types.none();
    // A struct by value is refused, as upstream (and 0.17) refuse it: its 6 bytes are
    // an array member's or what a pointer to it points at.
    if (t.isRecord()) {
      err(arg->range, "macaddr() takes an array or a pointer, not " + t.str() +
                          " (give it the struct's pointer or its array member)");
      return R.types.none();
    }
    if (t.isArray() || t.isString()) {
      if (t.size != kMacBytes) {
        err(arg->range, "macaddr() needs 6 bytes, got " + t.str());
        return R.types.none();
      }
    } else if (!t.isInt() && !t.isPointer()) {
      err(arg->range, "macaddr() needs a 6-byte array or an address, got " + t.str());
      return R.types.none();
    }
    return R.types.macAddressText();
  }
  case FunctionId::Path:
    if (probe_ && probe_->type == ProbeType::Iter)
      return iteratorPathCall(c);
    [[fallthrough]];
  case FunctionId::SocketCookie: {
    bool isPath = id == FunctionId::Path;
    if (probe_ && !tracingProbe(probe_->type)) { // no probe: a function no probe calls
      err(c->range, c->callee + "() can only be used in fentry and fexit probes" +
                        (isPath ? " and iterators" : "") + ": the kernel gives bpf_" +
                        (isPath ? "d_path" : "get_socket_cookie") +
                        " to BPF tracing programs only");
      return R.types.none();
    }
    if (isPath && probe_)
      if (const Attachment *a = dPathRefused(*probe_)) {
        std::string allowed;
        for (const char *f : dPathAllowed)
          allowed += (allowed.empty() ? "" : ", ") + std::string(f);
        err(c->range, "helper bpf_d_path not allowed in probe " + a->probeName +
                          ": the kernel lets path() be called in iterators and in fentry and "
                          "fexit probes of the functions of its btf_allowlist_d_path only (" +
                          allowed + ")");
        return R.types.none();
      }
    // The kernel checks the pointer's BTF type when it loads the program.
    const Type &t = ty(expr(arg));
    if (isPath && argumentMember(arg, "path"))
      return pathString(c);
    // socket_cookie's pointer must be a struct sock's, as upstream checks: the kernel's
    // bpf_get_socket_cookie for tracing programs takes one.
    bool pointsToRecord = t.isPointer() && ty(t.pointee).isRecord();
    bool wrongRecord = !isPath && pointsToRecord && ty(t.pointee).name != "sock";
    if (!t.isNone() && (!pointsToRecord || wrongRecord))
      err(arg->range, c->callee + "() needs a pointer to a " +
                          (isPath ? "struct path" : "struct sock") +
                          " (a probe argument), got " + t.str());
    if (!isPath)
      return u64();
    return pathString(c);
  }
  default:
    return R.types.none();
  }
}

// path()'s string: max_strlen bytes, or the size its second argument gives.
TypeId Typer::pathString(const CallExpr *c) {
  unsigned size = R.options.strlen;
  if (c->args.size() == 2) {
    auto n = literal(c->args[1].get());
    if (!n || *n < 1 || *n > 4096) {
      err(c->args[1]->range, "path() size must be an integer literal from 1 to 4096");
      return R.types.none();
    }
    size = static_cast<unsigned>(*n);
  }
  return R.types.string(size);
}

// An iterator may call bpf_d_path (the kernel allows it for BPF_TRACE_ITER), on a
// pointer the verifier trusts: one reached from ctx by direct loads and embedded
// members, as `ctx->file->f_path`. Any other value is a number to the verifier.
TypeId Typer::iteratorPathCall(const CallExpr *c) {
  const Expr *arg = c->args[0].get();
  TypeId argType = expr(arg);
  const Type &t = ty(argType);
  if (t.isNone())
    return R.types.none();
  TypeId record = t.isPointer() ? t.pointee : t.isRecord() ? argType : R.types.none();
  if (ty(record).isNone() || !ty(record).isRecord() || ty(record).name != "path") {
    err(arg->range, "path() needs a struct path or a pointer to one, got " + t.str());
    return R.types.none();
  }
  if (!contextChain(arg, true)) {
    err(arg->range, "path() in an iterator needs a struct path reached from ctx through "
                    "members, loading no pointer but ctx's own (ctx->file->f_path): the "
                    "kernel's bpf_d_path takes only pointers it trusts");
    return R.types.none();
  }
  return pathString(c);
}

// A struct member `args.p->name` of the record a probe argument points to, whose type is
// struct `record` (upstream's `path(args.filp->f_path)`, as bpftrace 0.17 documents it):
// its address is the argument plus the member's offset, a pointer the verifier trusts
// as it trusts the argument.
bool Typer::argumentMember(const Expr *e, const char *record) {
  auto *f = as<FieldExpr>(e);
  if (!f)
    return false;
  const Type &t = ty(R.exprTypes[f]);
  if (!t.isRecord() || t.name != record)
    return false;
  // fexit's retval, a pointer the kernel typed as it types the arguments (upstream's
  // `path(retval->f_path)` in fexit:dentry_open).
  if (auto *retval = as<BuiltinRef>(f->base.get()))
    return retval->name == "retval" && probe_ && probe_->type == ProbeType::Fexit &&
           ty(R.exprTypes[retval]).isPointer();
  auto *arg = as<FieldExpr>(f->base.get());
  auto *args = arg ? as<BuiltinRef>(arg->base.get()) : nullptr;
  // A pointer to a pointer is read through (member()): what that read gives is untrusted.
  return args && args->name == "args" && ty(R.exprTypes[arg]).isPointer() &&
         !ty(ty(R.exprTypes[arg]).pointee).isPointer();
}

// ctx, or members of it and of the records it points to, or the address of one. The
// verifier trusts the pointers in ctx, not one loaded from what they point to
// (ctx->vma->vm_file is an untrusted pointer to it).
bool Typer::contextChain(const Expr *e, bool top) {
  if (auto *b = as<BuiltinRef>(e))
    return b->name == "ctx";
  if (auto *f = as<FieldExpr>(e)) {
    auto *base = as<BuiltinRef>(f->base.get());
    if (ty(R.exprTypes[f]).isPointer() && !(base && base->name == "ctx"))
      return false;
    return contextChain(f->base.get(), false);
  }
  if (auto *u = as<UnaryExpr>(e); u && top && u->op == UnaryOp::AddressOf)
    return contextChain(u->operand.get(), false);
  return false;
}

} // namespace bt::sema
