// btrun-static's user symbolizer: none. libdw and its decompressors would more than
// double the 3 MB runner (docs/FLEET.md, "Small runner"), so user frames print as
// addresses and a note says which runner names them.
#include "bt/Runtime/UserStacks.h"

namespace bt::rt {

namespace {

class NoUserSymbols : public UserSymbolizer {
public:
  std::optional<Symbol> find(uint32_t, uint64_t) override { return std::nullopt; }
  const char *limitation() const override {
    return "btrun-static: user stacks and usym print as addresses (btrun names them with libdw)";
  }
};

} // namespace

std::unique_ptr<UserSymbolizer> makeUserSymbolizer() { return std::make_unique<NoUserSymbols>(); }

} // namespace bt::rt
