// printf / print / time formatting in userspace, the way bpftrace 0.17 prints them.
#include "bt/Runtime/Format.h"
#include "bt/Runtime/BufferFormat.h"
#include "bt/Runtime/NetFormat.h"
#include "bt/Format/Text.h"
#include "bt/Runtime/RecordFormat.h"
#include "bt/Runtime/TupleFormat.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace bt::rt {

uint64_t readInt(const Field &f, const uint8_t *base) {
  const uint8_t *p = base + f.offset;
  uint64_t v = 0;
  for (uint32_t i = 0; i < f.size && i < 8; ++i)
    v |= static_cast<uint64_t>(p[i]) << (8 * i);
  if (f.isSigned && f.size < 8) {
    uint64_t sign = 1ULL << (8 * f.size - 1);
    if (v & sign)
      v |= ~((sign << 1) - 1);
  }
  return v;
}

std::string readString(const Field &f, const uint8_t *base) {
  const char *p = reinterpret_cast<const char *>(base + f.offset);
  return std::string(p, strnlen(p, f.size));
}

FormatContext FormatContext::of(const Manifest &m, const FieldText *hostText) {
  return FormatContext{m.options.strlen, m.options.run.strTruncTrailer, hostText};
}

std::string FormatContext::hostValue(const Field &f, const uint8_t *base, unsigned indent) const {
  return hostText ? (*hostText)(f, base, indent) : std::string();
}

bool isValueOnlyText(FieldType t) {
  return t == FieldType::InetAddress || t == FieldType::Buffer || t == FieldType::SyscallName;
}

std::optional<std::string> valueOnlyText(const Field &f, const uint8_t *base, const Manifest &m) {
  if (f.type == FieldType::InetAddress)
    return inetText(base + f.offset);
  if (f.type == FieldType::Buffer) // as %r prints it
    return format::renderBuffer(format::Conversion{}, bufferBytes(f, base));
  if (f.type == FieldType::SyscallName) {
    auto value = static_cast<int64_t>(readInt(f, base));
    return value >= 0 && static_cast<uint64_t>(value) < m.syscallNames.size() &&
                   !m.syscallNames[value].empty()
               ? m.syscallNames[value]
               : std::to_string(value);
  }
  return std::nullopt;
}

std::string displayString(const Field &f, const uint8_t *base, const FormatContext &ctx) {
  std::string text = readString(f, base);
  if (!ctx.trailer.empty() && f.size == ctx.strlen && text.size() + 1 == f.size)
    text += ctx.trailer;
  return text;
}

Status checkArgs(const std::vector<Field> &args, size_t size) {
  for (size_t i = 0; i < args.size(); ++i)
    if (args[i].offset < 8 || args[i].offset + static_cast<size_t>(args[i].size) > size)
      return Error("argument " + std::to_string(i) + " (offset " +
                   std::to_string(args[i].offset) + ", size " + std::to_string(args[i].size) +
                   ") lies outside its " + std::to_string(size) + "-byte record");
  return {};
}

namespace {

/// Whether `arg` is what `c` takes; nullptr when there is no argument for it.
/// Runs per record too, so the message is built only when there is one.
Status checkArg(const format::Conversion &c, const Field *arg) {
  auto spec = [&] { return format::escapeNonPrintable(c.spelling()); };
  if (!arg)
    return Error("printf: too few arguments for format (conversion '" + spec() + "')");
  // %s prints a tuple, record or array as print() does (upstream 0.24+).
  if (arg->type == FieldType::Tuple || arg->type == FieldType::Record ||
      arg->type == FieldType::Array) {
    if (c.argKind() == format::ArgKind::String)
      return {};
    return Error("printf: '" + spec() + "' cannot print a " + toString(arg->type));
  }
  // %s prints an integer as its decimal text (upstream 0.24+).
  if (arg->type == FieldType::Int && c.argKind() == format::ArgKind::String)
    return {};
  bool isInt = arg->type == FieldType::Int;
  bool isBuffer = arg->type == FieldType::Buffer;
  if (isInt != (c.argKind() == format::ArgKind::Integer) ||
      isBuffer != (c.argKind() == format::ArgKind::Buffer))
    return Error("printf: '" + spec() + "' expects " + format::argKindName(c.argKind()) +
                 " argument");
  return {};
}

} // namespace

Result<format::PrintfFormat> parsePrintfEvent(std::string_view text,
                                              const std::vector<Field> &args) {
  // The arguments follow the event id (what a record of any size needs).
  size_t end = 8;
  for (const auto &a : args)
    end = std::max<size_t>(end, size_t(a.offset) + a.size);
  auto inRecord = checkArgs(args, end);
  if (!inRecord)
    return std::move(inRecord).error();
  auto parsed = format::parsePrintf(text);
  if (!parsed)
    return Error("printf: " + *parsed.error);
  const auto &conversions = parsed.format.conversions;
  for (size_t i = 0; i < conversions.size(); ++i) {
    auto st = checkArg(conversions[i], i < args.size() ? &args[i] : nullptr);
    if (!st)
      return std::move(st).error();
  }
  return std::move(parsed.format);
}

Result<std::string> formatPrintf(const format::PrintfFormat &fmt, const std::vector<Field> &args,
                                 const uint8_t *record, size_t size, const FormatContext &ctx) {
  auto st = checkArgs(args, size);
  if (!st)
    return std::move(st).error();
  std::string out = fmt.texts.front();
  for (size_t i = 0; i < fmt.conversions.size(); ++i) {
    const format::Conversion &c = fmt.conversions[i];
    const Field *a = i < args.size() ? &args[i] : nullptr;
    auto fits = checkArg(c, a);
    if (!fits)
      return std::move(fits).error();
    if (c.argKind() == format::ArgKind::Buffer) {
      out += format::renderBuffer(c, bufferBytes(*a, record));
    } else if (c.argKind() == format::ArgKind::String) {
      std::string text = a->type == FieldType::String     ? readString(*a, record)
                         : a->type == FieldType::Symbolic ? symbolicText(*a, readInt(*a, record))
                         : a->type == FieldType::Tuple    ? tupleText(*a, record, ctx)
                         : a->type == FieldType::Record || a->type == FieldType::Array
                             ? recordText(*a, record, ctx)
                         : a->type == FieldType::Int ? integerText(*a, record)
                                                     : ctx.hostValue(*a, record, 8);
      if (a->type == FieldType::String && !ctx.trailer.empty() && text.size() + 1 == ctx.strlen)
        text += ctx.trailer;
      // Upstream pads an integer's text to the width and ignores a precision.
      if (a->type == FieldType::Int) {
        format::Conversion whole = c;
        whole.precision.clear();
        out += format::renderString(whole, text);
      } else {
        out += format::renderString(c, text);
      }
    } else {
      out += format::renderInteger(c, readInt(*a, record));
    }
    out += fmt.texts[i + 1];
  }
  return out;
}

std::string symbolicText(const Field &f, uint64_t value) {
  if (!f.flags) {
    for (const Symbol &s : f.symbols)
      if (s.value == value)
        return s.name;
    return std::to_string(value);
  }
  if (value == 0)
    return "0";
  std::string text;
  for (const Symbol &s : f.symbols) {
    if (s.value == 0 || (value & s.value) != s.value)
      continue;
    text += (text.empty() ? "" : "|") + s.name;
    value &= ~s.value;
  }
  if (value) {
    char hex[24];
    std::snprintf(hex, sizeof hex, "0x%llx", static_cast<unsigned long long>(value));
    text += (text.empty() ? "" : "|") + std::string(hex);
  }
  return text;
}

std::string formatValue(const Field &arg, const uint8_t *record, const FormatContext &ctx) {
  if (arg.type == FieldType::String)
    return displayString(arg, record, ctx) + "\n";
  if (arg.type == FieldType::Tuple)
    return tupleText(arg, record, ctx) + "\n";
  if (arg.type == FieldType::Record || arg.type == FieldType::Array)
    return recordText(arg, record, ctx) + "\n";
  if (arg.type == FieldType::Symbolic)
    return symbolicText(arg, readInt(arg, record)) + "\n";
  return integerText(arg, record) + "\n";
}

std::string integerText(const Field &arg, const uint8_t *record) {
  uint64_t v = readInt(arg, record);
  if (arg.isPointer) {
    char hex[24];
    std::snprintf(hex, sizeof hex, "0x%llx", static_cast<unsigned long long>(v));
    return hex;
  }
  return arg.isSigned ? std::to_string(static_cast<int64_t>(v)) : std::to_string(v);
}

std::string formatTime(const std::string &format, std::time_t when) {
  std::tm tm{};
  if (!localtime_r(&when, &tm))
    return "(?)";
  if (format.empty())
    return {};
  std::string buf(256 + format.size() * 4, '\0');
  size_t n = std::strftime(buf.data(), buf.size(), format.c_str(), &tm);
  if (n == 0)
    return "(?)";
  buf.resize(n);
  return buf;
}

std::string formatTimestamp(const std::string &format, int64_t wallNs) {
  int64_t seconds = wallNs / 1000000000, ns = wallNs % 1000000000;
  if (ns < 0) {
    seconds -= 1;
    ns += 1000000000;
  }
  char micros[8];
  std::snprintf(micros, sizeof micros, "%06lld", static_cast<long long>(ns / 1000));
  std::string expanded;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] == '%' && i + 1 < format.size()) {
      char c = format[++i];
      if (c == 'f')
        expanded += micros;
      else
        expanded += {'%', c};
      continue;
    }
    expanded += format[i];
  }
  return formatTime(expanded, static_cast<std::time_t>(seconds));
}

} // namespace bt::rt
