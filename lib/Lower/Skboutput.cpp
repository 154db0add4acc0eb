// skboutput(path, skb, length, offset): bpf_skb_output copies the first `length` bytes
// of the skb's data after a 24-byte header (the event id, the boot-clock time, the
// length: the kernel pads a perf sample to 8 bytes, so its size does not say) into a
// perf event array, bt_skb_output: the kernel copies packets into perf buffers only,
// never into a ring buffer. btrun writes each record to the pcap file the event names
// (lib/Runtime/Pcap.cpp). The result is the helper's: 0, or a negative error.
#include "ProbeLowering.h"

namespace bt::lower {

using namespace llvm;

namespace {
constexpr uint64_t kCurrentCpu = 0xffffffffULL; // BPF_F_CURRENT_CPU: this CPU's buffer
constexpr unsigned kHeaderBytes = 24;
} // namespace

llvm::GlobalVariable *LowerContext::skbOutputMap() {
  if (!skbOutput) // max_entries 0: libbpf makes one entry per possible CPU
    skbOutput = defineBtfMap(*this, "bt_skb_output",
                             {{"type", uintAttr(*this, uint32_t(obj::MapType::PerfEventArray))},
                              {"key_size", uintAttr(*this, 4)},
                              {"value_size", uintAttr(*this, 4)}});
  return skbOutput;
}

Value ProbeLowering::skboutputCall(const ast::CallExpr *c) {
  EventRecord ev;
  ev.spec.kind = obj::EventKind::SkbOutput;
  ev.spec.line = c->range.begin.line;
  ev.spec.col = c->range.begin.col;
  ev.spec.pcapPath = ast::as<ast::StringLit>(c->args[0].get())->value;
  // As Sema valued it (a literal, -0, an enumerator or macro, $N given to btc).
  ev.spec.pcapOffset = static_cast<uint64_t>(lc.sema.constants.at(c->args[3].get()));
  ev.size = kHeaderBytes;
  llvm::Value *skb = expr(c->args[1].get()).v;
  llvm::Value *length = expr(c->args[2].get()).v;
  auto *header = temp(kHeaderBytes, "skb_header");
  B.CreateStore(B.getInt64(lc.addEvent(std::move(ev))), header);
  llvm::Value *now = lc.callHelper(KtimeGetBootNs, lc.i64(), {});
  B.CreateStore(now, B.CreateConstGEP1_32(lc.i8(), header, 8));
  B.CreateStore(length, B.CreateConstGEP1_32(lc.i8(), header, 16));
  // The length goes in the flags' upper half (BPF_F_CTXLEN_MASK), as the kernel reads it.
  llvm::Value *flags = B.CreateOr(B.CreateShl(length, 32), B.getInt64(kCurrentCpu));
  llvm::Value *rc = lc.callHelper(SkbOutput, lc.i64(),
                                  {skb, lc.skbOutputMap(), flags, header, B.getInt64(kHeaderBytes)});
  return {lc.sema.typeOf(c), B.CreateAnd(rc, B.getInt64(0xffffffffULL))};
}

} // namespace bt::lower
