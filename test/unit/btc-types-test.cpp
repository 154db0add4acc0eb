// btc-types-test: prints what the type table, the layout, the scopes and the
// type checks of lowering and the manifest make of types the language cannot
// write yet (pointers, arrays, records from BTF or C). test/lit/btc/types.test
// checks its output line by line.
#include "bt/Lower/Lower.h"
#include "bt/Parse/Parser.h"
#include "bt/Sema/Sema.h"

#include <iostream>

using namespace bt;

namespace {

void show(const TypeTable &types, const char *what, TypeId id) {
  const Type &t = types.get(id);
  StorageLayout s = storageOf(types, id);
  std::cout << what << ": " << t.str() << " id=" << id.index() << " size=" << t.size
            << " align=" << t.align << " stored=" << s.size << "/" << s.slotSize << "\n";
}

void showLayout(const TypeTable &types, const char *what, const std::vector<TypeId> &fields,
                unsigned start) {
  RecordLayout l = layoutOf(types, fields, start);
  std::cout << what << ":";
  for (unsigned o : l.offsets)
    std::cout << " " << o;
  std::cout << " size=" << l.size << "\n";
}

void types() {
  TypeTable types;
  TypeId s64 = types.integer(8, true), u8 = types.integer(1, false);
  std::cout << "none is 0: " << (types.none().index() == 0) << "\n";
  std::cout << "int64 interned once: " << (s64 == types.integer(8, true)) << "\n";
  std::cout << "int64 is not uint64: " << (s64 != types.integer(8, false)) << "\n";
  show(types, "int64", s64);
  show(types, "uint8", u8);
  show(types, "bool", types.boolean());
  show(types, "string", types.string(13));
  TypeId kptr = types.pointer(u8, AddressSpace::Kernel);
  TypeId uptr = types.pointer(u8, AddressSpace::User);
  show(types, "kernel pointer", kptr);
  show(types, "user pointer", uptr);
  std::cout << "address spaces differ: " << (kptr != uptr) << "\n";
  TypeId arr = types.array(types.integer(4, true), 5);
  show(types, "array", arr);
  TypeId tup = types.tuple({s64, types.string(13), u8});
  show(types, "tuple", tup);
  std::cout << "tuple interned once: " << (tup == types.tuple({s64, types.string(13), u8}))
            << "\n";
  for (const RecordField &f : types.get(tup).fields)
    std::cout << "tuple field at " << f.offset << ": " << types.str(f.type) << "\n";
  std::vector<RecordField> fields = {{"pid", types.integer(4, true), 0},
                                     {"comm", types.array(u8, 16), 4}};
  TypeId btf = types.record(RecordOrigin::Btf, "task", fields, 20, 4);
  TypeId c = types.record(RecordOrigin::C, "task", fields, 20, 4);
  show(types, "btf record", btf);
  std::cout << "origins differ: " << (btf != c) << "\n";
  show(types, "pointer to record", types.pointer(btf, AddressSpace::Kernel));
  show(types, "count", types.aggregation(AggKind::Count));
  show(types, "avg", types.aggregation(AggKind::Avg));
  show(types, "kstack", types.kernelStack(8, bt::obj::StackMode::Perf));
  show(types, "ksym", types.kernelSymbol());
  show(types, "strftime", types.timestamp("%H"));
  showLayout(types, "event record", {s64, types.string(13), btf, kptr}, 8);
  showLayout(types, "map key", {types.string(16), u8}, 0);
  showLayout(types, "nothing", {}, 0);
  // Handles stay valid when the table moves (SemaResult is returned by value).
  TypeTable moved(std::move(types));
  show(moved, "after a move", moved.pointer(btf, AddressSpace::User));
  // A struct copied out of a process's memory is its own type, the struct as declared
  // beneath (layouts and members are kept per declared struct); a copy of the table too.
  TypeId copied = moved.recordIn(btf, AddressSpace::User);
  show(moved, "record in user memory", copied);
  std::cout << "user copy is another type of the record: " << (copied != btf) << " "
            << (moved.declared(copied) == btf) << " " << (moved.declared(btf) == btf) << "\n";
  std::cout << "user copy interned once, kernel copy is the record, tuple kept: "
            << (moved.recordIn(btf, AddressSpace::User) == copied) << " "
            << (moved.recordIn(copied, AddressSpace::Kernel) == btf) << " "
            << (moved.recordIn(tup, AddressSpace::User) == tup) << "\n";
  TypeTable copy(moved);
  std::cout << "a copied table knows it: " << (copy.declared(copied) == btf) << "\n";
}

void scopes() {
  TypeTable types;
  ScopeTree tree;
  ScopeId probe = tree.add(Scope::Kind::Probe, std::nullopt);
  ScopeId block = tree.add(Scope::Kind::Block, probe);
  ScopeId inner = tree.add(Scope::Kind::Block, block);
  DeclId x = tree.declare(probe, "$x", types.integer(8, true), {{1, 9}, {1, 15}});
  DeclId y = tree.declare(block, "$y", types.string(4), {{2, 3}, {2, 9}});
  auto found = [&](ScopeId from, const char *name) {
    auto d = tree.lookup(from, name);
    return d ? tree.declaration(*d).name + "@" + std::to_string(tree.declaration(*d).defined.begin.line)
             : std::string("-");
  };
  std::cout << "scope lookup $x: " << found(inner, "$x") << " " << found(block, "$x") << " "
            << found(probe, "$x") << "\n";
  std::cout << "scope lookup $y: " << found(inner, "$y") << " " << found(block, "$y") << " "
            << found(probe, "$y") << "\n";
  std::cout << "probe scope of inner block: " << (tree.probeScopeOf(inner) == probe) << "\n";
  std::cout << "declarations: " << tree.declarations() << " x=" << x << " y=" << y << "\n";
}

const TargetInfo *target = nullptr;

std::optional<SemaResult> analyzeText(const std::string &text, std::optional<ast::Program> &program,
                                      SourceFile &source) {
  DiagnosticEngine diags(source);
  program = parseProgram(source, diags);
  auto sema = program ? analyze(*program, *target, SemaOptions(), diags) : std::nullopt;
  diags.print(std::cout);
  return sema;
}

// Every reference to a variable binds to its declaration: `$x` assigned in a block
// is the probe's variable, as in bpftrace.
void bindings() {
  std::string text = "BEGIN { $x = 1; if ($x) { $x = 2; $y = \"ab\"; } printf(\"%d %s\\n\", $x, $y); }";
  SourceFile source("bindings.bt", text);
  std::optional<ast::Program> program;
  auto sema = analyzeText(text, program, source);
  if (!sema)
    return;
  std::cout << "bindings: " << sema->bindings.size() << " references, "
            << sema->scopes.declarations() << " declarations\n";
  for (size_t d = 0; d < sema->scopes.declarations(); ++d) {
    const Declaration &decl = sema->scopes.declaration(d);
    size_t refs = 0;
    for (const auto &[ref, id] : sema->bindings)
      refs += id == d;
    std::cout << "declaration " << decl.name << " " << sema->types.str(decl.type) << " at "
              << decl.defined.begin.line << ":" << decl.defined.begin.col << " in the "
              << (sema->scopes.scope(decl.scope).kind == Scope::Kind::Probe ? "probe" : "block")
              << " scope, " << refs << " references\n";
  }
}

void compile(const char *what, const std::string &text,
             void (*retype)(SemaResult &)) {
  SourceFile source(what, text);
  std::optional<ast::Program> program;
  auto sema = analyzeText(text, program, source);
  if (!sema)
    return;
  retype(*sema);
  CompileOptions options;
  options.sourceName = what;
  options.sourceText = text;
  auto compilation = Compilation::create(*program, *sema, options);
  if (compilation) {
    std::cout << what << ": compiled\n";
    return;
  }
  std::cout << what << ": " << llvm::toString(compilation.takeError()) << "\n";
}

} // namespace

// argv[1]: a target description (docs/TARGET.md).
int main(int argc, char **argv) {
  if (argc != 2) {
    std::cerr << "usage: btc-types-test TARGET.json\n";
    return 2;
  }
  auto loaded = loadTargetFile(argv[1]);
  if (!loaded) {
    std::cerr << loaded.error() << "\n";
    return 1;
  }
  target = loaded->get();
  types();
  scopes();
  bindings();
  // Lowering meets a variable whose type it cannot lower yet.
  compile("bool.bt", "BEGIN { $p = 1; printf(\"%d\\n\", $p); }", [](SemaResult &s) {
    s.scopes.declaration(0).type = s.types.boolean();
  });
  // The manifest meets an event argument whose type it has no words for.
  compile("manifest.bt", "BEGIN { printf(\"%d\\n\", 1); }", [](SemaResult &s) {
    for (auto &[e, t] : s.exprTypes)
      if (e->kind == ast::ExprKind::Integer)
        t = s.types.aggregation(AggKind::Count);
  });
  compile("unchanged.bt", "BEGIN { printf(\"%d\\n\", 1); }", [](SemaResult &) {});
  return 0;
}
