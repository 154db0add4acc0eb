#include "bt/Parse/AST.h"
#include "bt/Parse/ASTPrinter.h"
#include "bt/Format/Text.h"

#include <ostream>

namespace bt {
namespace ast {

const char *spelling(BinaryOp op) {
  switch (op) {
  case BinaryOp::Add: return "+";
  case BinaryOp::Sub: return "-";
  case BinaryOp::Mul: return "*";
  case BinaryOp::Div: return "/";
  case BinaryOp::Mod: return "%";
  case BinaryOp::BitAnd: return "&";
  case BinaryOp::BitOr: return "|";
  case BinaryOp::BitXor: return "^";
  case BinaryOp::Shl: return "<<";
  case BinaryOp::Shr: return ">>";
  case BinaryOp::Eq: return "==";
  case BinaryOp::Ne: return "!=";
  case BinaryOp::Lt: return "<";
  case BinaryOp::Le: return "<=";
  case BinaryOp::Gt: return ">";
  case BinaryOp::Ge: return ">=";
  case BinaryOp::LogicalAnd: return "&&";
  case BinaryOp::LogicalOr: return "||";
  }
  return "?";
}

const char *spelling(UnaryOp op) {
  switch (op) {
  case UnaryOp::Neg: return "-";
  case UnaryOp::LogicalNot: return "!";
  case UnaryOp::BitNot: return "~";
  case UnaryOp::Deref: return "*";
  case UnaryOp::AddressOf: return "&";
  case UnaryOp::Plus: return "+";
  }
  return "?";
}

std::string spelling(const TypeName &t) {
  if (t.typeofExpr)
    return "typeof(...)";
  std::string s = t.name;
  if (t.pointerDepth > 0) {
    s += ' ';
    s.append(static_cast<size_t>(t.pointerDepth), '*');
  }
  if (t.arraySize > 0)
    s += "[" + std::to_string(t.arraySize) + "]";
  else if (t.arraySize == 0)
    s += "[]";
  for (uint64_t n : t.innerSizes)
    s += "[" + std::to_string(n) + "]";
  return s;
}

} // namespace ast

namespace {

using namespace ast;

std::string quoted(const std::string &s) { return bt::format::quoteCString(s); }

class Printer {
public:
  explicit Printer(std::ostream &os) : os_(os) {}

  void program(const Program &p) {
    line(0) << "Program\n";
    for (const auto &pre : p.preamble) {
      static const char *kinds[] = {"Include", "Define", "CDefinition",
                                    "Config"};
      std::string text = pre.text;
      line(1) << "Preamble " << kinds[pre.kind] << ' ' << quoted(text) << ' '
              << rng(pre.range) << '\n';
      for (const auto &c : pre.config)
        line(2) << "ConfigEntry " << c.key << " = "
                << (c.isString ? quoted(c.value) : c.value) << ' '
                << rng(c.range) << '\n';
    }
    for (const auto &d : p.mapDecls) {
      line(1) << "MapDecl " << d.name << ' ' << d.kind << ' ' << rng(d.range) << '\n';
      expr(*d.size, 2);
    }
    for (const auto &fn : p.functions) {
      line(1) << "Subprog " << fn.name << " returns="
              << quoted(spelling(fn.returnType)) << ' ' << rng(fn.range)
              << '\n';
      for (const auto &prm : fn.params)
        line(2) << "Param " << prm.var->name << " type="
                << quoted(spelling(prm.type)) << ' ' << rng(prm.range) << '\n';
      line(2) << "Body\n";
      stmts(fn.body, 3);
    }
    for (const auto &pr : p.probes)
      probe(pr, 1);
  }

private:
  std::ostream &line(int depth) {
    for (int i = 0; i < depth; ++i)
      os_ << "  ";
    return os_;
  }
  static std::string loc(SourceLoc l) {
    return std::to_string(l.line) + ":" + std::to_string(l.col);
  }
  static std::string rng(SourceRange r) {
    return "<" + loc(r.begin) + "-" + loc(r.end) + ">";
  }

  void probe(const Probe &p, int d) {
    line(d) << "Probe " << rng(p.range) << '\n';
    for (const auto &ap : p.attachPoints) {
      line(d + 1) << "AttachPoint " << quoted(ap.text)
                  << " provider=" << ap.provider << " parts=[";
      for (size_t i = 0; i < ap.parts.size(); ++i)
        os_ << (i ? ", " : "") << quoted(ap.parts[i]);
      os_ << "] " << rng(ap.range) << '\n';
    }
    if (p.predicate) {
      line(d + 1) << "Predicate\n";
      expr(*p.predicate, d + 2);
    }
    line(d + 1) << "Body\n";
    stmts(p.body, d + 2);
  }

  void stmts(const StmtList &l, int d) {
    for (const auto &s : l)
      stmt(*s, d);
  }

  void stmt(const Stmt &s, int d) {
    switch (s.kind) {
    case StmtKind::Expr: {
      auto &e = static_cast<const ExprStmt &>(s);
      line(d) << "ExprStmt " << rng(s.range) << '\n';
      expr(*e.expr, d + 1);
      return;
    }
    case StmtKind::AssignVar: {
      auto &a = static_cast<const AssignVarStmt &>(s);
      line(d) << "AssignVar " << (a.compound ? spelling(a.op) : "") << "= "
              << rng(s.range) << '\n';
      expr(*a.var, d + 1);
      expr(*a.value, d + 1);
      return;
    }
    case StmtKind::AssignMap: {
      auto &a = static_cast<const AssignMapStmt &>(s);
      line(d) << "AssignMap " << (a.compound ? spelling(a.op) : "") << "= "
              << rng(s.range) << '\n';
      expr(*a.map, d + 1);
      expr(*a.value, d + 1);
      return;
    }
    case StmtKind::If: {
      auto &i = static_cast<const IfStmt &>(s);
      line(d) << (i.comptime ? "If comptime " : "If ") << rng(s.range) << '\n';
      line(d + 1) << "Cond\n";
      expr(*i.cond, d + 2);
      line(d + 1) << "Then\n";
      stmts(i.thenBody, d + 2);
      if (i.hasElse) {
        line(d + 1) << "Else\n";
        stmts(i.elseBody, d + 2);
      }
      return;
    }
    case StmtKind::Unroll: {
      auto &u = static_cast<const UnrollStmt &>(s);
      line(d) << "Unroll " << rng(s.range) << '\n';
      expr(*u.count, d + 1);
      line(d + 1) << "Body\n";
      stmts(u.body, d + 2);
      return;
    }
    case StmtKind::While: {
      auto &w = static_cast<const WhileStmt &>(s);
      line(d) << "While " << rng(s.range) << '\n';
      line(d + 1) << "Cond\n";
      expr(*w.cond, d + 2);
      line(d + 1) << "Body\n";
      stmts(w.body, d + 2);
      return;
    }
    case StmtKind::For: {
      auto &f = static_cast<const ForStmt &>(s);
      line(d) << "For " << rng(s.range) << '\n';
      expr(*f.var, d + 1);
      expr(*f.iterable, d + 1);
      if (f.rangeEnd)
        expr(*f.rangeEnd, d + 1);
      line(d + 1) << "Body\n";
      stmts(f.body, d + 2);
      return;
    }
    case StmtKind::Jump: {
      auto &j = static_cast<const JumpStmt &>(s);
      const char *n = j.jump == JumpKind::Return  ? "Return"
                      : j.jump == JumpKind::Break ? "Break"
                                                  : "Continue";
      line(d) << n << ' ' << rng(s.range) << '\n';
      if (j.value)
        expr(*j.value, d + 1);
      return;
    }
    case StmtKind::Block: {
      auto &b = static_cast<const BlockStmt &>(s);
      line(d) << "Block " << rng(s.range) << '\n';
      stmts(b.body, d + 1);
      return;
    }
    case StmtKind::VarDecl: {
      auto &v = static_cast<const VarDeclStmt &>(s);
      line(d) << "VarDecl " << v.var->name;
      if (v.hasType)
        os_ << " type=" << quoted(spelling(v.type));
      os_ << ' ' << rng(s.range) << '\n';
      if (v.value)
        expr(*v.value, d + 1);
      return;
    }
    }
  }

  void expr(const Expr &e, int d) {
    switch (e.kind) {
    case ExprKind::Integer: {
      auto &i = static_cast<const IntegerLit &>(e);
      line(d) << "Integer " << i.value;
      if (i.text != std::to_string(i.value))
        os_ << " (" << i.text << ")";
      os_ << ' ' << rng(e.range) << '\n';
      return;
    }
    case ExprKind::String:
      line(d) << "String " << quoted(static_cast<const StringLit &>(e).value)
              << ' ' << rng(e.range) << '\n';
      return;
    case ExprKind::Builtin:
      line(d) << "Builtin " << static_cast<const BuiltinRef &>(e).name << ' '
              << rng(e.range) << '\n';
      return;
    case ExprKind::Identifier:
      line(d) << "Identifier " << static_cast<const IdentifierRef &>(e).name
              << ' ' << rng(e.range) << '\n';
      return;
    case ExprKind::Variable:
      line(d) << "Variable " << static_cast<const VariableRef &>(e).name << ' '
              << rng(e.range) << '\n';
      return;
    case ExprKind::PositionalParam: {
      auto &p = static_cast<const PositionalParamRef &>(e);
      line(d) << "Positional $";
      if (p.isCount)
        os_ << '#';
      else
        os_ << p.index;
      os_ << ' ' << rng(e.range) << '\n';
      return;
    }
    case ExprKind::Map: {
      auto &m = static_cast<const MapRef &>(e);
      line(d) << "Map " << m.name << ' ' << rng(e.range) << '\n';
      for (const auto &k : m.keys)
        expr(*k, d + 1);
      return;
    }
    case ExprKind::Binary: {
      auto &b = static_cast<const BinaryExpr &>(e);
      line(d) << "Binary " << spelling(b.op) << ' ' << rng(e.range) << '\n';
      expr(*b.lhs, d + 1);
      expr(*b.rhs, d + 1);
      return;
    }
    case ExprKind::Unary: {
      auto &u = static_cast<const UnaryExpr &>(e);
      line(d) << "Unary " << spelling(u.op) << ' ' << rng(e.range) << '\n';
      expr(*u.operand, d + 1);
      return;
    }
    case ExprKind::IncDec: {
      auto &i = static_cast<const IncDecExpr &>(e);
      line(d) << "IncDec " << (i.increment ? "++" : "--") << ' '
              << (i.prefix ? "prefix" : "postfix") << ' ' << rng(e.range)
              << '\n';
      expr(*i.target, d + 1);
      return;
    }
    case ExprKind::Ternary: {
      auto &t = static_cast<const TernaryExpr &>(e);
      line(d) << "Ternary " << rng(e.range) << '\n';
      expr(*t.cond, d + 1);
      if (t.thenExpr)
        expr(*t.thenExpr, d + 1);
      expr(*t.elseExpr, d + 1);
      return;
    }
    case ExprKind::Call: {
      auto &c = static_cast<const CallExpr &>(e);
      line(d) << "Call " << c.callee << ' ' << rng(e.range) << '\n';
      if (c.typeArg)
        line(d + 1) << "Type " << quoted(spelling(*c.typeArg)) << '\n';
      for (const auto &a : c.args)
        expr(*a, d + 1);
      return;
    }
    case ExprKind::Field: {
      auto &f = static_cast<const FieldExpr &>(e);
      line(d) << "Field " << (f.arrow ? "->" : ".") << f.field << ' '
              << rng(e.range) << '\n';
      expr(*f.base, d + 1);
      return;
    }
    case ExprKind::Index: {
      auto &i = static_cast<const IndexExpr &>(e);
      line(d) << "Index " << rng(e.range) << '\n';
      expr(*i.base, d + 1);
      expr(*i.index, d + 1);
      return;
    }
    case ExprKind::Cast: {
      auto &c = static_cast<const CastExpr &>(e);
      line(d) << "Cast " << quoted(spelling(c.type)) << ' ' << rng(e.range)
              << '\n';
      expr(*c.operand, d + 1);
      return;
    }
    case ExprKind::Tuple: {
      auto &t = static_cast<const TupleExpr &>(e);
      line(d) << (t.names.empty() ? "Tuple " : "Record ") << rng(e.range) << '\n';
      for (size_t i = 0; i < t.elems.size(); ++i) {
        if (!t.names.empty())
          line(d + 1) << "Field " << t.names[i] << '\n';
        expr(*t.elems[i], d + (t.names.empty() ? 1 : 2));
      }
      return;
    }
    case ExprKind::Sizeof: {
      auto &s = static_cast<const SizeofExpr &>(e);
      line(d) << "Sizeof ";
      if (s.ofType)
        os_ << "type=" << quoted(spelling(s.type)) << ' ' << rng(e.range)
            << '\n';
      else
        os_ << rng(e.range) << '\n';
      if (s.operand)
        expr(*s.operand, d + 1);
      return;
    }
    case ExprKind::Block: {
      auto &b = static_cast<const BlockExpr &>(e);
      line(d) << "BlockExpr " << rng(e.range) << '\n';
      stmts(b.stmts, d + 1);
      expr(*b.value, d + 1);
      return;
    }
    case ExprKind::UserCall: {
      auto &c = static_cast<const UserCallExpr &>(e);
      line(d) << "UserCall " << c.function->name << ' ' << rng(e.range) << '\n';
      for (const auto &a : c.args)
        expr(*a, d + 1);
      for (const auto &p : c.params)
        stmt(*p, d + 1);
      stmts(c.body, d + 1);
      return;
    }
    case ExprKind::Offsetof: {
      auto &o = static_cast<const OffsetofExpr &>(e);
      line(d) << "Offsetof ";
      if (!o.operand)
        os_ << quoted(spelling(o.type)) << ' ';
      for (size_t i = 0; i < o.fieldPath.size(); ++i)
        os_ << (i ? "." : "") << o.fieldPath[i];
      os_ << ' ' << rng(e.range) << '\n';
      if (o.operand)
        expr(*o.operand, d + 1);
      return;
    }
    }
  }

  std::ostream &os_;
};

} // namespace

void printAST(const ast::Program &prog, std::ostream &os) {
  Printer(os).program(prog);
}

} // namespace bt
