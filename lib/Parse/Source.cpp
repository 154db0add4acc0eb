#include "bt/Parse/Source.h"

#include "bt/Format/Text.h"

#include <ostream>

namespace bt {

SourceFile::SourceFile(std::string name, std::string text)
    : name_(std::move(name)), text_(std::move(text)) {
  lineStarts_.push_back(0);
  for (size_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n')
      lineStarts_.push_back(i + 1);
}

std::string SourceFile::lineText(uint32_t line) const {
  if (line == 0 || line > lineStarts_.size())
    return {};
  size_t b = lineStarts_[line - 1];
  size_t e = text_.find('\n', b);
  if (e == std::string::npos)
    e = text_.size();
  if (e > b && text_[e - 1] == '\r')
    --e;
  return text_.substr(b, e - b);
}

// Messages quote script text (names, strings, characters) that may hold any byte: the
// one escaper makes every message one printable line, whoever wrote it.
static std::string oneLine(const std::string &msg) { return format::escapeNonPrintable(msg); }

bool DiagnosticEngine::reported(Severity s, SourceRange r, const std::string &msg) {
  for (const Diagnostic &d : diags_)
    if (d.severity == s && d.message == msg && d.range.begin.file == r.begin.file &&
        d.range.begin.line == r.begin.line && d.range.begin.col == r.begin.col)
      return droppedLast_ = true;
  return droppedLast_ = false;
}

// Recovery can meet the same bad character twice (the attach-point scanner, then the
// token scanner), and a probe of several kinds is typed once per kind: an error or
// warning is reported once, with its notes.
void DiagnosticEngine::error(SourceRange r, std::string msg) {
  msg = oneLine(msg);
  if (reported(Severity::Error, r, msg))
    return;
  diags_.push_back({Severity::Error, r, std::move(msg)});
  ++errorCount_;
}

void DiagnosticEngine::warning(SourceRange r, std::string msg) {
  msg = oneLine(msg);
  if (reported(Severity::Warning, r, msg))
    return;
  diags_.push_back({Severity::Warning, r, std::move(msg)});
}

void DiagnosticEngine::note(SourceRange r, std::string msg) {
  if (droppedLast_)
    return;
  diags_.push_back({Severity::Note, r, oneLine(msg)});
}

static const char *severityName(Severity s) {
  switch (s) {
  case Severity::Error: return "error";
  case Severity::Warning: return "warning";
  case Severity::Note: return "note";
  }
  return "error";
}

void printDiagnostic(std::ostream &os, const SourceFile &file,
                     const Diagnostic &d) {
  os << file.name() << ':';
  if (d.range.begin.line != 0) {
    os << d.range.begin.line << ':';
    if (d.range.begin.col != 0)
      os << d.range.begin.col << ':';
  }
  os << ' ' << severityName(d.severity) << ": " << d.message << '\n';
  if (d.range.begin.line == 0)
    return;
  std::string line = file.lineText(d.range.begin.line);
  // The line is shown with its control bytes escaped (UTF-8 and tabs as they are), and
  // the caret line under it keeps the tabs and the escapes' widths so columns line up.
  auto showByte = [](char c) {
    return c == '\t' || static_cast<unsigned char>(c) >= 0x80
               ? std::string(1, c)
               : format::escapeNonPrintable(std::string_view(&c, 1));
  };
  auto width = [&](uint32_t col) -> size_t { // of the byte at 1-based `col`
    return col == 0 || col > line.size() ? 1 : showByte(line[col - 1]).size();
  };
  std::string shown;
  for (char c : line)
    shown += showByte(c);
  os << shown << '\n';
  uint32_t col = d.range.begin.col ? d.range.begin.col : 1;
  std::string caret;
  for (uint32_t i = 1; i < col; ++i)
    caret += (i - 1 < line.size() && line[i - 1] == '\t') ? std::string(1, '\t')
                                                           : std::string(width(i), ' ');
  caret += '^';
  caret += std::string(width(col) - 1, '~');
  uint32_t endCol = col;
  bool oneFile = d.range.end.file == d.range.begin.file;
  if (oneFile && d.range.end.line == d.range.begin.line && d.range.end.col > col)
    endCol = d.range.end.col;
  else if (oneFile && d.range.end.line > d.range.begin.line)
    endCol = static_cast<uint32_t>(line.size());
  if (endCol > line.size())
    endCol = static_cast<uint32_t>(line.size());
  for (uint32_t i = col + 1; i <= endCol; ++i)
    caret += std::string(width(i), '~');
  os << caret << '\n';
}

uint32_t DiagnosticEngine::addFile(std::string name, std::string text) {
  imported_.emplace_back(std::move(name), std::move(text));
  return static_cast<uint32_t>(imported_.size());
}

const SourceFile &DiagnosticEngine::fileOf(SourceLoc l) const {
  return l.file == 0 || l.file > imported_.size() ? file_ : imported_[l.file - 1];
}

void DiagnosticEngine::print(std::ostream &os) const {
  for (const auto &d : diags_)
    printDiagnostic(os, fileOf(d.range.begin), d);
}

} // namespace bt
