// An iterator program runs once per object and once more, with the object NULL, when
// the walk ends (the kernel's seq stop): that last run does nothing, as in bpftrace,
// so a script never sees a NULL ctx->task. An iterator pinned to a file is read by
// whoever reads the file, after btrun is gone: its printf writes into the file with
// bpf_seq_printf, as bpftrace's iterators do.
#include "ProbeLowering.h"

namespace bt::lower {

void ProbeLowering::skipIteratorEnd() {
  using namespace llvm;
  // struct bpf_iter__NAME { struct bpf_iter_meta *meta; OBJECT *obj; ... }: the object
  // is the context's second word, read directly (the verifier allows a tracing
  // program's context words).
  auto *slot = B.CreateConstGEP1_64(B.getInt8Ty(), ctxArg, 8, "iter_object_slot");
  returnIfZero(B.CreateLoad(lc.i64(), slot, "iter_object"), "iter_object", "iter_end");
}

bool ProbeLowering::pinnedIterator() const {
  return probe.type == ProbeType::Iter && !att.pin.empty();
}

void ProbeLowering::seqPrintfCall(const ast::CallExpr *c) {
  using namespace llvm;
  const std::string &format = ast::as<ast::StringLit>(c->args[0].get())->value;
  unsigned size = static_cast<unsigned>(format.size()) + 1;
  Value fmt = stringLiteral(format, size);
  // The values, 8 bytes each: integers widened, strings as their buffer's address
  // (the kernel copies the string from there).
  unsigned n = static_cast<unsigned>(c->args.size()) - 1;
  llvm::Value *data = ConstantPointerNull::get(B.getPtrTy());
  if (n) {
    data = temp(8 * n, "seq.args");
    for (unsigned i = 0; i < n; ++i) {
      llvm::Value *v = expr(c->args[i + 1].get()).v;
      if (v->getType()->isPointerTy())
        v = B.CreatePtrToInt(v, lc.i64());
      else if (v->getType()->getIntegerBitWidth() < 64)
        v = B.CreateZExt(v, lc.i64());
      B.CreateStore(v, B.CreateConstGEP1_32(lc.i8(), data, 8 * i));
    }
  }
  // ctx->meta->seq: both first words, read directly (the verifier types them as
  // BTF pointers, which bpf_seq_printf requires).
  auto *meta = B.CreateLoad(B.getPtrTy(), ctxArg, "iter_meta");
  auto *seq = B.CreateLoad(B.getPtrTy(), meta, "iter_seq");
  lc.callHelper(SeqPrintf, lc.i64(), {seq, fmt.v, B.getInt32(size), data, B.getInt32(8 * n)});
}

} // namespace bt::lower
