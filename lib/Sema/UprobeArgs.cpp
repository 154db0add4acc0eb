// `args.name` (or `args->name`) of uprobes: the function's parameter as the binary's DWARF
// types it, read from the register (or stack word) the calling convention puts it in at
// the function's entry (lib/Sema/DwarfParams.h). btc reads the binary at compile time;
// the manifest carries its build id, which btrun checks before it attaches, so a value is
// never read from where another build of the file keeps something else.
#include "DwarfParams.h"
#include "ProcessProbes.h"
#include "Typer.h"

#include "bt/Target/ElfBuildId.h"

namespace bt::sema {

using namespace ast;

TypeId Typer::uprobeArg(const FieldExpr *f) {
  if (!R.dwarf)
    R.dwarf = std::make_shared<DwarfParams>();
  std::optional<TypeId> result;
  std::vector<unsigned> places;
  for (const Attachment &a : probe_->attachments) {
    if (onProcessBinary(a, probe_->type)) {
      err(f->fieldRange, needsBinaryAtCompileTime("args (the DWARF of the function's " +
                                                  std::string("parameters)"), a));
      return R.types.none();
    }
    if (a.symbol.empty() || a.offset != 0) {
      err(f->fieldRange, "args of " + a.probeName +
                             " are not supported: args are a "
                             "function's parameters at its entry, and this attach point is "
                             "not a function's entry");
      return R.types.none();
    }
    const DwarfFunction &fn =
        R.dwarf->function(a.path, a.symbol, unsigned(R.arch.argRegisters.size()), R.arch.name);
    if (!fn.error.empty()) {
      err(f->fieldRange, "args of " + a.probeName + " need the binary's DWARF: " + fn.error);
      return R.types.none();
    }
    const DwarfParam *param = nullptr;
    std::string known;
    for (const DwarfParam &p : fn.params) {
      if (p.name == f->field)
        param = &p;
      if (!p.name.empty())
        known += (known.empty() ? "" : ", ") + p.name;
    }
    if (!param) {
      err(f->fieldRange, a.probeName + " has no parameter '" + f->field +
                             "' (it has: " + (known.empty() ? "none" : known) + ")");
      return R.types.none();
    }
    std::string why = param->unreadable.empty() ? "" : "it is " + param->unreadable;
    std::optional<TypeId> t;
    if (why.empty())
      t = dwarfType(param->type, why);
    if (!t || !param->argIndex) {
      err(f->fieldRange, "'" + f->field + "' of " + a.probeName + " (" + param->spelling +
                             ") cannot be read: " + why);
      return R.types.none();
    }
    if (result && *result != *t) {
      err(f->fieldRange, "'" + f->field + "' has different types across " + probe_->text + " (" +
                             ty(*result).str() + ", " + ty(*t).str() + ")");
      return R.types.none();
    }
    if (!R.uprobeBuildIds.count(a.path)) {
      auto id = elfBuildId(a.path);
      if (!id) {
        err(f->fieldRange, "args of " + a.probeName + ": " + id.error());
        return R.types.none();
      }
      if (id->empty()) {
        err(f->fieldRange, "args of " + a.probeName + " need a build id in '" + a.path +
                               "' (link it with --build-id): btrun checks it, so that a "
                               "parameter is never read where another build of the file "
                               "keeps something else");
        return R.types.none();
      }
      R.uprobeBuildIds[a.path] = *id;
    }
    result = t;
    places.push_back(*param->argIndex);
  }
  R.uprobeArgs[f] = std::move(places);
  return result.value_or(R.types.none());
}

} // namespace bt::sema
