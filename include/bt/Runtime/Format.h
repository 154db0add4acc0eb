// Text formatting of ring-buffer records: printf, print(value), time. Pure functions.
#ifndef BT_RUNTIME_FORMAT_H
#define BT_RUNTIME_FORMAT_H

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

/// Checks that every argument lies inside a record of `size` bytes.
Status checkArgs(const std::vector<Field> &args, size_t size);

/// bpftrace's printf: `%d %i %u %x %X %o %c %s %p %%` with flags (`-0+ #`), width,
/// precision and length modifiers (`hh h l ll z j t`). Integer arguments are 8 bytes in the
/// record; the conversion then treats them as C's printf would treat the value passed as
/// a 64-bit integer (so `%d` and `%u` print 32 bits, `%ld` 64, `%hhd` 8, like bpftrace).
/// `%c` of 0 prints nothing. Errors: a bad conversion, too few arguments, a string
/// argument for an integer conversion or the reverse. A kstack argument prints with `%s`
/// through `hostText` (frames indented by 8, as bpftrace's printf does); without it, as "".
Result<std::string> formatPrintf(std::string_view format, const std::vector<Field> &args,
                                 const uint8_t *record, size_t size,
                                 const FieldText *hostText = nullptr);

/// print(value): the value then a newline.
std::string formatValue(const Field &arg, const uint8_t *record);

/// time(): `format` through strftime in local time.
std::string formatTime(const std::string &format, std::time_t when);

} // namespace bt::rt

#endif
