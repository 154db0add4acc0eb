// Source text, locations and located diagnostics, shared by every phase of btc.
#pragma once

#include <cstdint>
#include <deque>
#include <iosfwd>
#include <string>
#include <vector>

namespace bt {

struct SourceLoc {
  uint32_t line = 0; // 1-based; 0 means unknown
  uint32_t col = 0;  // 1-based byte column
  uint32_t file = 0; // 0: the script; N: the DiagnosticEngine's Nth imported file
};

// `end` is inclusive: the line and column of the range's last character
// (a one-character token has begin == end).
struct SourceRange {
  SourceLoc begin, end;
};

// The range from the start of `a` to the end of `b`.
inline SourceRange span(SourceRange a, SourceRange b) { return {a.begin, b.end}; }

// A script's text and the name it is reported under ("script.bt", "stdin",
// "-e" for a program given on the command line).
class SourceFile {
public:
  SourceFile(std::string name, std::string text);
  const std::string &name() const { return name_; }
  const std::string &text() const { return text_; }
  // The text of line `line` (1-based) without its newline.
  std::string lineText(uint32_t line) const;

private:
  std::string name_, text_;
  std::vector<size_t> lineStarts_;
};

enum class Severity { Error, Warning, Note };

struct Diagnostic {
  Severity severity;
  SourceRange range;
  std::string message;
};

// Collects diagnostics and prints them like clang:
//   file:line:col: error: message
//   <source line>
//        ^~~~
class DiagnosticEngine {
public:
  explicit DiagnosticEngine(const SourceFile &file) : file_(file) {}
  // Keeps a file the script imports; its locations carry the returned number.
  uint32_t addFile(std::string name, std::string text);
  // The file a location is in (the script for file 0).
  const SourceFile &fileOf(SourceLoc l) const;
  // The imported files: file N (N >= 1) is imports()[N - 1].
  const std::deque<SourceFile> &imports() const { return imported_; }
  void error(SourceRange r, std::string msg);
  void warning(SourceRange r, std::string msg);
  void note(SourceRange r, std::string msg);
  bool hasErrors() const { return errorCount_ > 0; }
  unsigned errorCount() const { return errorCount_; }
  const std::vector<Diagnostic> &diagnostics() const { return diags_; }
  void print(std::ostream &os) const;
  const SourceFile &file() const { return file_; }

private:
  const SourceFile &file_;
  std::deque<SourceFile> imported_; // a deque keeps references stable

  std::vector<Diagnostic> diags_;
  unsigned errorCount_ = 0;
  bool droppedLast_ = false; // the last error or warning repeated one: drop its notes too

  // Whether an error or warning like this one was reported before.
  bool reported(Severity s, SourceRange r, const std::string &msg);
};

// Prints one diagnostic the way DiagnosticEngine::print does.
void printDiagnostic(std::ostream &os, const SourceFile &file,
                     const Diagnostic &d);

} // namespace bt
