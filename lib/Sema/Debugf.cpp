// debugf(fmt, ...): bpf_trace_printk, which the kernel formats into the trace
// buffer (tracefs trace_pipe), not btrun. Its format is the kernel's: at most three
// arguments; conversions d i u x X c s p with the lengths l and ll, flags `0 + - space`
// and a width, no precision (bpf_bprintf_prepare refuses the rest at load).
#include "Typer.h"

#include "bt/Format/Printf.h"

#include <algorithm>

namespace bt::sema {

using namespace ast;

TypeId Typer::debugfCall(const CallExpr *c) {
  auto *fmt = as<StringLit>(c->args[0].get());
  if (!fmt) {
    err(c->range, functionInfo(FunctionId::Debugf).usage);
    return R.types.none();
  }
  std::vector<Type> args;
  for (size_t i = 1; i < c->args.size(); ++i) {
    const Type &t = ty(expr(c->args[i].get()));
    if (t.isNone())
      return R.types.none();
    if (t.isRecord() || t.isArray()) {
      err(c->args[i]->range, "debugf() cannot print " + t.str() +
                                 ": the kernel formats it (bpf_trace_printk), and only "
                                 "integers and strings");
      return R.types.none();
    }
    if (t.isHostText()) {
      err(c->args[i]->range, "debugf() cannot print " + t.str() +
                                 ": the kernel formats it, and only btrun can name it");
      return R.types.none();
    }
    args.push_back(t);
  }
  if (!report_)
    return R.types.none();
  if (!checkFormat(fmt->value, args, fmt->range, D))
    return R.types.none();
  const auto conversions = format::parsePrintf(fmt->value).format.conversions;
  for (size_t i = 0; i < conversions.size(); ++i) {
    const format::Conversion &conv = conversions[i];
    using format::Length;
    // btrun prints an integer under %s as text (upstream 0.24+); the kernel would
    // read it as a string's address.
    if (conv.conversion == 's' && args[i].isInt()) {
      err(c->args[i + 1]->range, "debugf() format '" + conv.spelling() + "' expects a string, "
                                 "got " + args[i].str() + ": the kernel formats it");
      return R.types.none();
    }
    if (!conv.precision.empty() || conv.conversion == 'o' ||
        (conv.length != Length::None && conv.length != Length::L && conv.length != Length::Ll)) {
      err(fmt->range, "debugf() format '" + conv.spelling() +
                          "' is not supported by the kernel's bpf_trace_printk");
      return R.types.none();
    }
  }
  // One warning for the script, at its first debugf(): the advice is the same for every
  // call, and a script of many calls would repeat it once each.
  const std::string advice = "debugf() writes to the kernel's trace buffer (trace_pipe), not "
                             "to btrun's output; bpftrace advises against it in production "
                             "(bpf_trace_printk in bpf-helpers(7))";
  const auto &given = D.diagnostics();
  if (std::none_of(given.begin(), given.end(), [&](const Diagnostic &d) {
        return d.severity == Severity::Warning && d.message == advice;
      }))
    D.warning(c->range, advice);
  return R.types.none();
}

} // namespace bt::sema
