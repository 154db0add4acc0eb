// printf format strings: the one definition of which conversions a script may use and
// what each prints. btc's Sema checks arguments against a parsed format; btrun parses each
// format once when it loads an object and renders every record with it. Plain C++: no
// LLVM, no libbpf, no AST (docs/LANGUAGE.md "printf" lists the decisions).
#ifndef BT_FORMAT_PRINTF_H
#define BT_FORMAT_PRINTF_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bt::format {

/// What a conversion takes from its argument.
enum class ArgKind { Integer, String, Buffer };

/// "an integer" / "a string", for messages.
const char *argKindName(ArgKind kind);

/// The C length modifier: how many bits of the 64-bit argument a conversion prints.
enum class Length { None, Hh, H, L, Ll, J, Z, T };

/// One conversion, e.g. `%-08ld`.
struct Conversion {
  std::string flags;     // "-" then "0"s, as written ("", "-", "0", "-00", ...)
  std::string width;     // the digits after the flags ("" when none)
  std::string precision; // "" or "." then at least one digit
  Length length = Length::None;
  char conversion = 0;   // one of d o u x X c s p, or r (a buffer)
  char bufferStyle = 0;  // after %r: 'x' (%rx, every byte as \xNN), 'h' (%rh, "61 62")
  // %gr (upstream bpftrace): an integer of GFP flags printed as their names; btc sends
  // it as a symbolic value, so btrun prints it as text.
  bool gfpFlags = false;

  ArgKind argKind() const {
    return conversion == 's' || gfpFlags ? ArgKind::String
           : conversion == 'r' ? ArgKind::Buffer
                               : ArgKind::Integer;
  }
  /// The conversion as written in the format ("%-08ld").
  std::string spelling() const;
};

/// A format as literal text and conversions, in order: texts[0], conversions[0], texts[1],
/// ..., texts[n]. `%%` is already decoded to `%` in the texts.
struct PrintfFormat {
  std::vector<std::string> texts{std::string()};
  std::vector<Conversion> conversions;
};

/// The parsed format, or why it is refused: `error` is one line that shows the refused
/// conversion with \xNN escapes.
struct PrintfParse {
  PrintfFormat format;
  std::optional<std::string> error;
  explicit operator bool() const { return !error; }
};

/// Parses a printf format as bpftrace 0.17 accepts it: `%%`, and `%` [`-`] [`0`...]
/// [width] [`.`digits] [`hh h l ll j z t`] then `d o u x X p` (any of those lengths),
/// `c` or `s` (no length); `%r`, `%rx` and `%rh` (a buffer) alone. Everything else after a `%` is refused.
PrintfParse parsePrintf(std::string_view format);

/// What C's printf prints for the 64-bit `value` under an Integer conversion, as bpftrace
/// 0.17 prints it: no length is 32 bits, `h` 16, `hh` 8, the others 64; `%d` is signed;
/// `%p` ignores the length; `%c` prints the low byte, and nothing from a NUL on.
std::string renderInteger(const Conversion &c, uint64_t value);

/// A buffer (buf()) under `%r`: printable bytes as they are, the others as \xNN; under
/// `%rx` every byte as \xNN; under `%rh` every byte as two hex digits, separated by
/// spaces; as bpftrace 0.17 prints them.
std::string renderBuffer(const Conversion &c, std::string_view bytes);

/// What C's printf prints for `text` under `%s` (width and precision applied).
std::string renderString(const Conversion &c, const std::string &text);

} // namespace bt::format

#endif
