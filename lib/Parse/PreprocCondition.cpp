// The expression of an #if or #elif line, evaluated as C does: integers of
// the widest type, `defined NAME` / `defined(NAME)`, object-like macros
// replaced by their bodies, any other name 0.
#include "Parser.h"

#include <cctype>
#include <set>
#include <vector>

namespace bt::parse {

namespace {

constexpr int kMaxConditionDepth = 32;
constexpr size_t kMaxConditionTokens = 100000;

struct CondTok {
  enum Kind { Num, Op, End } kind = End;
  int64_t value = 0;
  std::string op; // "(", "&&", "?", ...
};

class ConditionLexer {
public:
  ConditionLexer(const MacroTable &macros, std::string &error)
      : macros_(macros), error_(error) {}

  // Appends the tokens of `text`, macros expanded; false on an error.
  bool lex(const std::string &text, std::set<std::string> &active, int depth,
           std::vector<CondTok> &out) {
    if (depth > kMaxConditionDepth)
      return fail("macro expands too deeply in a preprocessor expression");
    size_t i = 0;
    auto skipSpace = [&] {
      while (i < text.size() && std::isspace((unsigned char)text[i]))
        ++i;
    };
    for (;;) {
      if (out.size() > kMaxConditionTokens)
        return fail("preprocessor expression expands to more than " +
                    std::to_string(kMaxConditionTokens) + " tokens");
      skipSpace();
      if (i >= text.size())
        return true;
      // A comment ends the expression's text (C strips them before).
      if (text.compare(i, 2, "//") == 0)
        return true;
      if (text.compare(i, 2, "/*") == 0) {
        size_t e = text.find("*/", i + 2);
        i = e == std::string::npos ? text.size() : e + 2;
        continue;
      }
      char c = text[i];
      if (std::isdigit((unsigned char)c)) {
        size_t b = i;
        while (i < text.size() && std::isalnum((unsigned char)text[i]))
          ++i;
        std::string num = text.substr(b, i - b);
        while (!num.empty() && (num.back() == 'u' || num.back() == 'U' ||
                                num.back() == 'l' || num.back() == 'L'))
          num.pop_back();
        int base = 10;
        size_t p = 0;
        if (num.size() > 1 && num[0] == '0' && (num[1] == 'x' || num[1] == 'X')) {
          base = 16;
          p = 2;
        } else if (num.size() > 1 && num[0] == '0') {
          base = 8;
          p = 1;
        }
        uint64_t v = 0;
        if (p >= num.size() && base == 16)
          return fail("invalid number '" + text.substr(b, i - b) + "' in preprocessor expression");
        for (; p < num.size(); ++p) {
          int d = std::isdigit((unsigned char)num[p]) ? num[p] - '0'
                  : std::isxdigit((unsigned char)num[p])
                      ? std::tolower((unsigned char)num[p]) - 'a' + 10
                      : 99;
          if (d >= base)
            return fail("invalid number '" + text.substr(b, i - b) +
                        "' in preprocessor expression");
          v = v * base + d;
        }
        out.push_back({CondTok::Num, int64_t(v), ""});
        continue;
      }
      if (isIdentStart(c)) {
        size_t b = i;
        while (i < text.size() && isIdentChar(text[i]))
          ++i;
        std::string name = text.substr(b, i - b);
        if (name == "defined") {
          skipSpace();
          bool paren = i < text.size() && text[i] == '(';
          if (paren) {
            ++i;
            skipSpace();
          }
          size_t nb = i;
          while (i < text.size() && isIdentChar(text[i]))
            ++i;
          if (nb == i || !isIdentStart(text[nb]))
            return fail("'defined' needs a macro name");
          std::string m = text.substr(nb, i - nb);
          if (paren) {
            skipSpace();
            if (i >= text.size() || text[i] != ')')
              return fail("expected ')' after 'defined(" + m + "'");
            ++i;
          }
          out.push_back({CondTok::Num, macros_.isDefined(m) ? 1 : 0, ""});
          continue;
        }
        const std::string *body = macros_.body(name);
        if (body && !active.count(name)) {
          active.insert(name);
          bool ok = lex(*body, active, depth + 1, out);
          active.erase(name);
          if (!ok)
            return false;
          continue;
        }
        out.push_back({CondTok::Num, 0, ""});
        continue;
      }
      static const char *const ops[] = {"&&", "||", "==", "!=", "<=", ">=", "<<", ">>",
                                        "(",  ")",  "!",  "~",  "+",  "-",  "*",  "/",
                                        "%",  "<",  ">",  "&",  "|",  "^",  "?",  ":"};
      bool found = false;
      for (const char *op : ops) {
        size_t n = std::char_traits<char>::length(op);
        if (text.compare(i, n, op) == 0) {
          out.push_back({CondTok::Op, 0, op});
          i += n;
          found = true;
          break;
        }
      }
      if (!found)
        return fail("unexpected " + std::string(1, c) + " in preprocessor expression");
    }
  }

  bool fail(std::string msg) {
    if (error_.empty())
      error_ = std::move(msg);
    return false;
  }

private:
  const MacroTable &macros_;
  std::string &error_;
};

// Precedence climbing over the tokens, C's table.
class ConditionParser {
public:
  ConditionParser(const std::vector<CondTok> &toks, std::string &error)
      : t_(toks), error_(error) {}

  bool parse(int64_t &v) {
    if (!ternary(v))
      return false;
    if (t_[i_].kind != CondTok::End)
      return fail("unexpected '" + t_[i_].op + "' in preprocessor expression");
    return true;
  }

private:
  bool is(const char *op) const { return t_[i_].kind == CondTok::Op && t_[i_].op == op; }
  bool fail(std::string msg) {
    if (error_.empty())
      error_ = std::move(msg);
    return false;
  }

  bool ternary(int64_t &v) {
    if (!binary(1, v))
      return false;
    if (!is("?"))
      return true;
    ++i_;
    int64_t a, b;
    if (!ternary(a))
      return false;
    if (!is(":"))
      return fail("expected ':' in preprocessor expression");
    ++i_;
    if (!ternary(b))
      return false;
    v = v ? a : b;
    return true;
  }

  static int prec(const std::string &op) {
    static const std::pair<const char *, int> table[] = {
        {"||", 1}, {"&&", 2}, {"|", 3},  {"^", 4},  {"&", 5},  {"==", 6}, {"!=", 6},
        {"<", 7},  {">", 7},  {"<=", 7}, {">=", 7}, {"<<", 8}, {">>", 8}, {"+", 9},
        {"-", 9},  {"*", 10}, {"/", 10}, {"%", 10}};
    for (const auto &[s, p] : table)
      if (op == s)
        return p;
    return 0;
  }

  bool binary(int minPrec, int64_t &v) {
    if (!unary(v))
      return false;
    for (;;) {
      if (t_[i_].kind != CondTok::Op)
        return true;
      std::string op = t_[i_].op;
      int p = prec(op);
      if (p == 0 || p < minPrec)
        return true;
      ++i_;
      int64_t r;
      if (!binary(p + 1, r))
        return false;
      if ((op == "/" || op == "%") && r == 0)
        return fail("division by zero in preprocessor expression");
      uint64_t ul = uint64_t(v), ur = uint64_t(r);
      if (op == "||") v = v || r;
      else if (op == "&&") v = v && r;
      else if (op == "|") v = v | r;
      else if (op == "^") v = v ^ r;
      else if (op == "&") v = v & r;
      else if (op == "==") v = v == r;
      else if (op == "!=") v = v != r;
      else if (op == "<") v = v < r;
      else if (op == ">") v = v > r;
      else if (op == "<=") v = v <= r;
      else if (op == ">=") v = v >= r;
      else if (op == "<<") v = int64_t(ul << (ur & 63));
      else if (op == ">>") v = v >> (ur & 63);
      else if (op == "+") v = int64_t(ul + ur);
      else if (op == "-") v = int64_t(ul - ur);
      else if (op == "*") v = int64_t(ul * ur);
      else if (op == "/") v = (v == INT64_MIN && r == -1) ? v : v / r;
      else v = (v == INT64_MIN && r == -1) ? 0 : v % r;
    }
  }

  bool unary(int64_t &v) {
    if (++depth_ > 256)
      return fail("preprocessor expression is too deeply nested");
    bool ok = unaryInner(v);
    --depth_;
    return ok;
  }

  bool unaryInner(int64_t &v) {
    const CondTok &t = t_[i_];
    if (t.kind == CondTok::Num) {
      v = t.value;
      ++i_;
      return true;
    }
    if (t.kind == CondTok::End)
      return fail("expected a value in preprocessor expression");
    std::string op = t.op;
    ++i_;
    if (op == "(") {
      if (!ternary(v))
        return false;
      if (!is(")"))
        return fail("expected ')' in preprocessor expression");
      ++i_;
      return true;
    }
    if (op == "!" || op == "~" || op == "-" || op == "+") {
      if (!unary(v))
        return false;
      v = op == "!" ? !v : op == "~" ? ~v : op == "-" ? int64_t(0 - uint64_t(v)) : v;
      return true;
    }
    return fail("unexpected '" + op + "' in preprocessor expression");
  }

  const std::vector<CondTok> &t_;
  std::string &error_;
  size_t i_ = 0;
  int depth_ = 0;
};

} // namespace

bool evalPreprocCondition(const std::string &text, const MacroTable &macros,
                          int64_t &value, std::string &error) {
  std::vector<CondTok> toks;
  std::set<std::string> active;
  ConditionLexer lexer(macros, error);
  if (!lexer.lex(text, active, 0, toks))
    return false;
  if (toks.empty()) {
    error = "expected an expression after the directive";
    return false;
  }
  toks.push_back({});
  return ConditionParser(toks, error).parse(value);
}

} // namespace bt::parse
