// The test tools' user symbolizer: none (they check formats, not symbols): user frames
// print as addresses and a note says which runners name them.
#include "bt/Runtime/UserStacks.h"

namespace bt::rt {

namespace {

class NoUserSymbols : public UserSymbolizer {
public:
  std::optional<Symbol> find(uint32_t, uint64_t) override { return std::nullopt; }
  const char *limitation() const override {
    return "user stacks and usym print as addresses (btrun and btrun-static name them)";
  }
};

} // namespace

std::unique_ptr<UserSymbolizer> makeUserSymbolizer() { return std::make_unique<NoUserSymbols>(); }

} // namespace bt::rt
