// cwd() and abs_path(path[, depth]), upstream's path.bt macros: Sema builds the walk a
// script would write up the task's dentries and mounts, a block expression typed as the
// script's own (so every member is one CO-RE relocation and the loop is btc's own
// `for` over a range) and lowered in the call's place. Every node carries the call's
// range: an error in the walk (a probe without curtask, a kernel without struct mount)
// points at the call.
//
//   { let $path = PATH;                         (abs_path only: its argument, once; of an
//                                                int8 pointer str(PATH), of an int8[N]
//                                                array `let $a = PATH;` and str(&$a, N + 1))
//     let $r: string[256] = "";
//     if ($path[0] == '/') { $r = $path; } else {
//       $r = $path;
//       let $d = curtask->fs->pwd.dentry; let $vm = curtask->fs->pwd.mnt;
//       let $m = (struct mount *)kptr((uint64)$vm - offsetof(struct mount, mnt));
//       let $root = $vm->mnt_root; let $empty = $path == "";
//       for $i : 0..DEPTH {
//         if ($d == $d->d_parent || $d == $root) {      a file system's root:
//           if ($m == $m->mnt_parent) { break; }         the namespace's root, or
//           $d = $m->mnt_mountpoint; $m = $m->mnt_parent; $root = $m->mnt.mnt_root;
//           continue;                                    on up from where it is mounted
//         }
//         let $name = str($d->d_name.name);
//         if ($name[0] != '/' && !($empty && $i == 0)) { $r = $name + "/" + $r; }
//         else { $r = $name + $r; }
//         $d = $d->d_parent;
//       }
//       if ($r[0] != '/') { $r = "/" + $r; }
//     }
//     $r }
//
// That is upstream's text exactly, its quirks included: the working directory's own name
// (step 0) takes no "/" after it when the path is empty, so cwd() in /dev/shm/x is
// /dev/shm/x, but at a mount's root step 0 goes up to the mount point and the name
// there takes one: cwd() in /dev/shm is /dev/shm/.
// The variables' names hold a '.', which a script's cannot, as macro hygiene's do.
#include "PathWalk.h"
#include "SemaInternal.h"

#include "bt/Parse/Parser.h"

namespace bt::sema {

using namespace ast;

namespace {

constexpr uint64_t kCwdDepth = 32;    // upstream's cwd() is abs_path("", 32)
constexpr unsigned kPathSize = 256;   // upstream's `let $abspath : string[256]`

class WalkBuilder {
public:
  WalkBuilder(SourceRange r, std::string suffix) : r_(r), suffix_(std::move(suffix)) {}

  std::unique_ptr<VariableRef> var(const char *name) {
    auto v = std::make_unique<VariableRef>(r_);
    v->name = std::string("$") + name + suffix_;
    return v;
  }
  ExprPtr integer(uint64_t n) {
    auto i = std::make_unique<IntegerLit>(r_);
    i->value = n;
    i->text = std::to_string(n);
    return i;
  }
  ExprPtr string(const std::string &s) {
    auto l = std::make_unique<StringLit>(r_);
    l->value = s;
    return l;
  }
  ExprPtr field(ExprPtr base, const char *name, bool arrow) {
    return makeFieldExpr(std::move(base), name, arrow, r_);
  }
  ExprPtr binary(BinaryOp op, ExprPtr lhs, ExprPtr rhs) {
    auto b = std::make_unique<BinaryExpr>(r_, op);
    b->lhs = std::move(lhs);
    b->rhs = std::move(rhs);
    b->opRange = r_;
    return b;
  }
  ExprPtr call(const char *callee, std::vector<ExprPtr> args) {
    auto c = std::make_unique<CallExpr>(r_);
    c->callee = callee;
    c->calleeRange = r_;
    c->args = std::move(args);
    return c;
  }
  ExprPtr cast(const char *type, int pointerDepth, ExprPtr operand) {
    auto c = std::make_unique<CastExpr>(r_);
    c->type.name = type;
    c->type.pointerDepth = pointerDepth;
    c->type.range = r_;
    c->operand = std::move(operand);
    return c;
  }
  // The path as a string: an int8 pointer's text read with str(); an int8 array's
  // through its address, as a pointer's, at most its N bytes (the array is held in $a).
  ExprPtr text(const PathArgument &path, ExprPtr value, StmtList &out) {
    if (path.text == PathText::String)
      return value;
    std::vector<ExprPtr> args;
    if (path.text == PathText::Pointer) {
      args.push_back(std::move(value));
      return call("str", std::move(args));
    }
    out.push_back(let("a", std::move(value)));
    auto address = std::make_unique<UnaryExpr>(r_, UnaryOp::AddressOf);
    address->operand = var("a");
    args.push_back(std::move(address));
    args.push_back(integer(uint64_t(path.arrayCount) + 1));
    return call("str", std::move(args));
  }

  ExprPtr first(const char *name) { // $name[0]
    auto i = std::make_unique<IndexExpr>(r_);
    i->base = var(name);
    i->index = integer(0);
    return i;
  }
  // Concatenated strings, cut to the result's 256 bytes: str(str_concat(...), 256).
  ExprPtr concat(std::vector<ExprPtr> parts) {
    ExprPtr joined = std::move(parts[0]);
    for (size_t i = 1; i < parts.size(); ++i) {
      std::vector<ExprPtr> two;
      two.push_back(std::move(joined));
      two.push_back(std::move(parts[i]));
      joined = call("str_concat", std::move(two));
    }
    std::vector<ExprPtr> args;
    args.push_back(std::move(joined));
    args.push_back(integer(kPathSize));
    return call("str", std::move(args));
  }

  StmtPtr let(const char *name, ExprPtr value) {
    auto d = std::make_unique<VarDeclStmt>(r_);
    d->var = var(name);
    d->value = std::move(value);
    return d;
  }
  StmtPtr assign(const char *name, ExprPtr value) {
    auto a = std::make_unique<AssignVarStmt>(r_);
    a->var = var(name);
    a->value = std::move(value);
    return a;
  }
  StmtPtr jump(JumpKind k) { return std::make_unique<JumpStmt>(r_, k); }
  StmtPtr when(ExprPtr cond, StmtList then, StmtList otherwise = {}) {
    auto i = std::make_unique<IfStmt>(r_);
    i->cond = std::move(cond);
    i->thenBody = std::move(then);
    i->hasElse = !otherwise.empty();
    i->elseBody = std::move(otherwise);
    return i;
  }

  ExprPtr pwd(const char *member) { // curtask->fs->pwd.MEMBER
    auto task = std::make_unique<BuiltinRef>(r_);
    task->name = "curtask";
    return field(field(field(std::move(task), "fs", true), "pwd", false), member, false);
  }

  // The loop that prepends the name of each directory from the task's working
  // directory up to its mount namespace's root to $r (the path, "" for the directory),
  // then the "/" the root's missing name leaves out.
  void walk(StmtList &out, ExprPtr depth, ExprPtr emptyPath) {
    out.push_back(let("d", pwd("dentry")));
    out.push_back(let("vm", pwd("mnt")));
    auto offset = std::make_unique<OffsetofExpr>(r_);
    offset->type.name = "struct mount";
    offset->type.range = r_;
    offset->fieldPath = {"mnt"};
    // kptr(): in a uprobe an integer cast to a pointer would point into the process.
    std::vector<ExprPtr> address;
    address.push_back(binary(BinaryOp::Sub, cast("uint64", 0, var("vm")), std::move(offset)));
    out.push_back(let("m", cast("struct mount", 1, call("kptr", std::move(address)))));
    out.push_back(let("root", field(var("vm"), "mnt_root", true)));
    out.push_back(let("empty", std::move(emptyPath)));

    StmtList up; // from a file system's root to the directory it is mounted on
    StmtList atTop;
    atTop.push_back(jump(JumpKind::Break));
    up.push_back(when(binary(BinaryOp::Eq, var("m"), field(var("m"), "mnt_parent", true)),
                      std::move(atTop)));
    up.push_back(assign("d", field(var("m"), "mnt_mountpoint", true)));
    up.push_back(assign("m", field(var("m"), "mnt_parent", true)));
    up.push_back(assign("root", field(field(var("m"), "mnt", true), "mnt_root", false)));
    up.push_back(jump(JumpKind::Continue));

    auto loop = std::make_unique<ForStmt>(r_);
    loop->var = var("i");
    loop->iterable = integer(0);
    loop->rangeEnd = std::move(depth);
    ExprPtr atRoot = binary(
        BinaryOp::LogicalOr, binary(BinaryOp::Eq, var("d"), field(var("d"), "d_parent", true)),
        binary(BinaryOp::Eq, var("d"), var("root")));
    loop->body.push_back(when(std::move(atRoot), std::move(up)));
    std::vector<ExprPtr> name;
    name.push_back(field(field(var("d"), "d_name", true), "name", false));
    loop->body.push_back(let("name", call("str", std::move(name))));
    // A name that starts with "/" (a file system's root reached some other way) brings
    // its own separator, as does the working directory's name in cwd().
    auto firstStep = std::make_unique<UnaryExpr>(r_, UnaryOp::LogicalNot);
    firstStep->operand =
        binary(BinaryOp::LogicalAnd, var("empty"), binary(BinaryOp::Eq, var("i"), integer(0)));
    ExprPtr separated = binary(BinaryOp::LogicalAnd,
                               binary(BinaryOp::Ne, first("name"), integer('/')),
                               std::move(firstStep));
    std::vector<ExprPtr> withSlash;
    withSlash.push_back(var("name"));
    withSlash.push_back(string("/"));
    withSlash.push_back(var("r"));
    std::vector<ExprPtr> without;
    without.push_back(var("name"));
    without.push_back(var("r"));
    StmtList slash, plain;
    slash.push_back(assign("r", concat(std::move(withSlash))));
    plain.push_back(assign("r", concat(std::move(without))));
    loop->body.push_back(when(std::move(separated), std::move(slash), std::move(plain)));
    loop->body.push_back(assign("d", field(var("d"), "d_parent", true)));
    out.push_back(std::move(loop));

    std::vector<ExprPtr> rooted;
    rooted.push_back(string("/"));
    rooted.push_back(var("r"));
    StmtList root;
    root.push_back(assign("r", concat(std::move(rooted))));
    out.push_back(when(binary(BinaryOp::Ne, first("r"), integer('/')), std::move(root)));
  }

private:
  SourceRange r_;
  std::string suffix_;
};

} // namespace

std::unique_ptr<FieldExpr> makeFieldExpr(ExprPtr base, std::string field, bool arrow,
                                         SourceRange r) {
  auto f = std::make_unique<FieldExpr>(r);
  f->base = std::move(base);
  f->field = std::move(field);
  f->arrow = arrow;
  f->fieldRange = r;
  return f;
}

std::shared_ptr<const ast::Expr> pathWalk(const ast::CallExpr *c, const PathArgument &path,
                                          unsigned serial, DiagnosticEngine &diags) {
  bool cwd = c->args.empty();
  WalkBuilder b(c->range, "." + c->callee + "." + std::to_string(serial));
  auto block = std::make_shared<BlockExpr>(c->range);
  auto declare = std::make_unique<VarDeclStmt>(c->range);
  declare->var = b.var("r");
  declare->hasType = true;
  declare->type.name = "string";
  declare->type.arraySize = kPathSize;
  declare->type.range = c->range;
  declare->value = b.string("");
  StmtList &s = block->stmts;
  if (cwd) {
    s.push_back(std::move(declare));
    b.walk(s, b.integer(kCwdDepth), b.integer(1));
    block->value = b.var("r");
    return block;
  }
  s.push_back(b.let("path", b.text(path, copyExpr(c->args[0].get(), diags), s)));
  s.push_back(std::move(declare));
  // The path as it is, cut to 256 bytes as upstream's: the answer when it is absolute,
  // where the walk starts when not.
  auto whole = [&] {
    if (path.size <= kPathSize)
      return b.assign("r", b.var("path"));
    std::vector<ExprPtr> p;
    p.push_back(b.var("path"));
    return b.assign("r", b.concat(std::move(p)));
  };
  StmtList absolute;
  absolute.push_back(whole());
  StmtList relative;
  relative.push_back(whole());
  b.walk(relative,
         c->args.size() > 1 ? copyExpr(c->args[1].get(), diags) : b.integer(kCwdDepth),
         b.binary(BinaryOp::Eq, b.var("path"), b.string("")));
  s.push_back(b.when(b.binary(BinaryOp::Eq, b.first("path"), b.integer('/')),
                     std::move(absolute), std::move(relative)));
  block->value = b.var("r");
  return block;
}

} // namespace bt::sema
