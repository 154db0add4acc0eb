// Typing of skboutput(path, skb, length, offset): the first `length` bytes of the
// skb's data go to btrun through bpf_skb_output, which writes them to the pcap file
// at `path` less the first `offset` bytes, as upstream bpftrace does. The kernel gives
// bpf_skb_output to BPF tracing programs only (fentry, fexit, tp_btf), and checks at
// load that the skb is a trusted struct sk_buff pointer: a probe argument as is.
#include "Typer.h"

namespace bt::sema {

using namespace ast;

TypeId Typer::skboutputCall(const CallExpr *c) {
  if (probe_ && (probe_->type != ProbeType::Fentry && probe_->type != ProbeType::Fexit &&
                  probe_->type != ProbeType::TpBtf)) {
    err(c->range, "skboutput() can only be used in fentry, fexit and tp_btf probes: the kernel "
                  "gives bpf_skb_output to BPF tracing programs only");
    return R.types.none();
  }
  auto *path = as<StringLit>(c->args[0].get());
  if (!path || path->value.empty() || path->value.find('\0') != std::string::npos) {
    err(c->args[0]->range, "skboutput() takes the pcap file's path as a string literal");
    return R.types.none();
  }
  const Type &skb = ty(expr(c->args[1].get()));
  if (!skb.isNone() && !(skb.isPointer() && ty(skb.pointee).isRecord() &&
                         ty(skb.pointee).name == "sk_buff"))
    err(c->args[1]->range,
        "skboutput() needs a struct sk_buff pointer (a probe argument), got " + skb.str());
  const Type &length = ty(expr(c->args[2].get()));
  if (!length.isNone() && !length.isInt())
    err(c->args[2]->range, "skboutput() length must be an integer, got " + length.str());
  expr(c->args[3].get()); // an enumerator or C macro is a literal once typed
  auto offset = literal(c->args[3].get());
  if (!offset || *offset < 0) {
    err(c->args[3]->range, "skboutput() offset must be a non-negative integer literal "
                           "(btrun leaves out that many leading bytes of each packet)");
    return R.types.none();
  }
  R.constants[c->args[3].get()] = *offset; // Lower's, whatever spelled it (-0, a macro, $N)
  return R.types.integer(4, false);
}

} // namespace bt::sema
