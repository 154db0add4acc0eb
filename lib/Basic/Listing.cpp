// btc --list-builtins: the tables as text, one row a line.
#include "bt/Basic/Builtins.h"

#include <ostream>
#include <string>

namespace bt {

void printTables(std::ostream &os) {
  for (const ProbeKindInfo &k : allProbeKinds()) {
    os << "probe-kind " << k.name << " supported";
    for (const ProbeKindSpelling &a : allProbeKindSpellings())
      if (a.type == k.type)
        os << " " << a.spelling;
    os << "\n";
  }
  for (const BuiltinInfo &b : allBuiltins()) {
    std::string name = b.spelling;
    if (b.familySize)
      name += "0.." + name + std::to_string(b.familySize - 1);
    os << "builtin " << name << (b.supported ? " supported" : " not-supported-yet") << "\n";
  }
  for (const BuiltinAlias &a : allBuiltinAliases())
    os << "builtin-alias " << a.spelling << " " << builtinInfo(a.id).spelling << "\n";
  for (const FunctionInfo &f : allFunctions()) {
    os << "function " << f.spelling << (f.supported ? " supported" : " not-supported-yet");
    if (*f.arguments)
      os << " " << f.arguments;
    os << "\n";
  }
  for (const FunctionAlias &a : allFunctionAliases())
    os << "function-alias " << a.spelling << " " << functionInfo(a.id).spelling << "\n";
}

} // namespace bt
