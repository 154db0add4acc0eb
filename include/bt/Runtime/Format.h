// Text formatting of ring-buffer records: printf, print(value), time. Pure functions.
#ifndef BT_RUNTIME_FORMAT_H
#define BT_RUNTIME_FORMAT_H

#include "bt/Format/Printf.h"
#include "bt/Runtime/FormatContext.h"
#include "bt/Runtime/Manifest.h"
#include "bt/Runtime/Result.h"

#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

namespace bt::rt {

/// Reads an integer field (1, 2, 4 or 8 bytes, little-endian) as 64 bits, sign-extended
/// when the field is signed. The caller checks bounds.
uint64_t readInt(const Field &f, const uint8_t *base);
/// Reads a string field: up to its size, stopping at the first NUL.
std::string readString(const Field &f, const uint8_t *base);

/// A Symbolic field's text for `value`: the enumerator's name (the number, unsigned, when
/// none has it), or with `flags` the names whose bits it holds joined by '|', the bits no
/// name covers last in hex, and "0" for none (as upstream bpftrace's %gr).
std::string symbolicText(const Field &f, uint64_t value);

/// Checks that every argument lies inside a record of `size` bytes.
Status checkArgs(const std::vector<Field> &args, size_t size);

/// Parses a printf event's format (lib/Format: the conversions btc accepts) and checks it
/// against the arguments: one per conversion, an integer field for the integer conversions,
/// a string or host-text field for `%s`. What parseManifest keeps in Event::parsedFormat.
Result<format::PrintfFormat> parsePrintfEvent(std::string_view format,
                                              const std::vector<Field> &args);

/// Renders one record through a parsed format (lib/Format renders each conversion as
/// bpftrace 0.17 does; integer arguments are 8 bytes in the record). Errors: an argument
/// outside the record, or one the format was not checked against. A kstack, ksym or
/// timestamp argument prints with `%s` through the context's host text; a string that
/// fills `ctx.strlen` bytes with its NUL is followed by the context's trailer (as
/// bpftrace marks a string read truncated).
Result<std::string> formatPrintf(const format::PrintfFormat &format,
                                 const std::vector<Field> &args, const uint8_t *record,
                                 size_t size, const FormatContext &ctx);

/// print(value): the value then a newline.
std::string formatValue(const Field &arg, const uint8_t *record, const FormatContext &ctx);

/// An integer field as decimal text, signed or not as the field is.
std::string integerText(const Field &arg, const uint8_t *record);

/// time(): `format` through strftime in local time.
std::string formatTime(const std::string &format, std::time_t when);

/// strftime(): as time(), at `wallNs` (nanoseconds since the epoch), where `%f` is
/// also the microseconds, six digits (bpftrace's extension; `%%f` stays `%f`).
std::string formatTimestamp(const std::string &format, int64_t wallNs);

} // namespace bt::rt

#endif
