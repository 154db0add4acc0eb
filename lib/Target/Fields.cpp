#include "Fields.h"

namespace bt::target {
namespace {

void trimRight(std::string &s) {
  while (!s.empty() && s.back() == ' ')
    s.pop_back();
}

} // namespace

bool isCommonField(const std::string &declaration) {
  return makeField(declaration, 0, 0, false).name.rfind("common_", 0) == 0;
}

TracepointField makeField(std::string decl, unsigned offset, unsigned size, bool isSigned) {
  TracepointField f;
  f.declaration = decl;
  f.offset = offset;
  f.size = size;
  f.isSigned = isSigned;
  // An optional [N] after the name makes an array. A '[' before the name
  // belongs to the type ("__data_loc char[] filename").
  // The declaration's last identifier is the field name.
  trimRight(decl);
  std::string arr;
  auto lb = decl.rfind('[');
  if (!decl.empty() && decl.back() == ']' && lb != std::string::npos) {
    arr = decl.substr(lb);
    decl = decl.substr(0, lb);
  }
  trimRight(decl);
  auto sp = decl.find_last_of(" *");
  f.name = decl.substr(sp + 1);
  std::string ctype = decl.substr(0, sp + 1);
  trimRight(ctype);
  f.ctype = ctype + arr;
  f.isDataLoc = ctype.rfind("__data_loc", 0) == 0;
  f.isPointer = !f.isDataLoc && ctype.find('*') != std::string::npos;
  f.isCharArray = !f.isDataLoc && !arr.empty() &&
                  (ctype == "char" || ctype == "const char" || ctype == "unsigned char");
  return f;
}

} // namespace bt::target
