// The BPF backend expands a memset or memcpy of constant length into at most 128
// loads and stores of the alignment's width and rejects the libc call it would
// otherwise leave ("A call to built-in function 'memset' is not supported"). Values
// in bt_scratch can be bigger (a 1024-byte string), and the optimiser merges
// neighbouring calls, so once it is done every longer call is split here, in one
// place, into chunks the backend expands.
#include "Backend.h"

#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/IntrinsicInst.h"

namespace bt::lower {

using namespace llvm;

namespace {

// Half the backend's limit, in bytes at the call's alignment (at most 8).
uint64_t chunkBytes(Align align) { return 64 * std::min<uint64_t>(align.value(), 8); }

// Splits `call` (constant length over its chunk) into chunks; false if it fits.
bool split(MemIntrinsic &call) {
  auto *length = dyn_cast<ConstantInt>(call.getLength());
  if (!length)
    return false;
  Align dstAlign = call.getDestAlign().valueOrOne();
  auto *transfer = dyn_cast<MemTransferInst>(&call);
  Align srcAlign = transfer ? transfer->getSourceAlign().valueOrOne() : dstAlign;
  uint64_t size = length->getZExtValue(), chunk = chunkBytes(std::min(dstAlign, srcAlign));
  if (size <= chunk)
    return false;
  IRBuilder<> b(&call);
  for (uint64_t off = 0; off < size; off += chunk) {
    uint64_t n = std::min(chunk, size - off);
    Value *dst = b.CreateConstGEP1_64(b.getInt8Ty(), call.getDest(), off);
    if (auto *set = dyn_cast<MemSetInst>(&call))
      b.CreateMemSet(dst, set->getValue(), n, commonAlignment(dstAlign, off), call.isVolatile());
    else
      b.CreateMemCpy(dst, commonAlignment(dstAlign, off),
                     b.CreateConstGEP1_64(b.getInt8Ty(), transfer->getSource(), off),
                     commonAlignment(srcAlign, off), n, call.isVolatile());
  }
  call.eraseFromParent();
  return true;
}

} // namespace

void splitMemIntrinsics(Module &m) {
  for (Function &f : m) {
    SmallVector<MemIntrinsic *, 8> calls;
    for (Instruction &i : instructions(f))
      if (auto *call = dyn_cast<MemIntrinsic>(&i))
        calls.push_back(call);
    for (MemIntrinsic *call : calls)
      split(*call);
  }
}

} // namespace bt::lower
