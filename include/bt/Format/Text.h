// Text shown to people or carried in JSON: the one place bytes are escaped as \xNN.
#ifndef BT_FORMAT_TEXT_H
#define BT_FORMAT_TEXT_H

#include <string>
#include <string_view>

namespace bt::format {

/// Bytes outside printable ASCII (below 0x20, 0x7f and above) as \xNN, lowercase: text
/// that fits on one line of a message.
std::string escapeNonPrintable(std::string_view bytes);

/// A double-quoted C string literal: `\n \t \r \\ \"`, other bytes outside printable ASCII
/// as \xNN (the syntax tree dump).
std::string quoteCString(std::string_view bytes);

/// RFC 3629 UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. The manifest
/// is JSON, so every text it carries must be.
bool isValidUtf8(std::string_view bytes);

} // namespace bt::format

#endif
