// The build host's tracefs as the target description: tracepoint names and
// formats. A cross-target description (a saved tracefs dump) can implement
// TargetInfo the same way.
#include "bt/Sema/Sema.h"

#include <fstream>
#include <regex>
#include <sstream>
#include <sys/stat.h>

namespace bt {
namespace {

bool isDir(const std::string &p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

class HostTargetInfo : public TargetInfo {
public:
  HostTargetInfo() {
    for (const char *root : {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"})
      if (isDir(std::string(root) + "/events")) {
        root_ = root;
        break;
      }
  }

  std::vector<std::string> tracepoints() const override {
    std::vector<std::string> out;
    if (root_.empty())
      return out;
    std::ifstream in(root_ + "/available_events");
    std::string line;
    while (std::getline(in, line))
      if (!line.empty())
        out.push_back(line);
    return out;
  }

  std::optional<std::vector<TracepointField>>
  tracepointFormat(const std::string &category, const std::string &name) const override {
    if (root_.empty())
      return std::nullopt;
    std::ifstream in(root_ + "/events/" + category + "/" + name + "/format");
    if (!in)
      return std::nullopt;
    std::vector<TracepointField> fields;
    static const std::regex fieldRe(
        R"(^\s*field:(.*);\s*offset:(\d+);\s*size:(\d+);\s*signed:(\d+);)");
    std::string line;
    while (std::getline(in, line)) {
      std::smatch m;
      if (!std::regex_search(line, m, fieldRe))
        continue;
      TracepointField f;
      std::string decl = m[1];
      f.offset = std::stoul(m[2]);
      f.size = std::stoul(m[3]);
      f.isSigned = m[4] == "1";
      // The declaration's last identifier is the field name, an optional
      // [N] after it makes an array. A '[' before the name belongs to the type
      // ("__data_loc char[] filename").
      while (!decl.empty() && decl.back() == ' ')
        decl.pop_back();
      std::string arr;
      auto lb = decl.rfind('[');
      if (!decl.empty() && decl.back() == ']' && lb != std::string::npos) {
        arr = decl.substr(lb);
        decl = decl.substr(0, lb);
      }
      while (!decl.empty() && decl.back() == ' ')
        decl.pop_back();
      auto sp = decl.find_last_of(" *");
      f.name = decl.substr(sp + 1);
      std::string ctype = decl.substr(0, sp + 1);
      while (!ctype.empty() && ctype.back() == ' ')
        ctype.pop_back();
      f.ctype = ctype + arr;
      if (f.name.rfind("common_", 0) == 0)
        continue;
      f.isDataLoc = ctype.rfind("__data_loc", 0) == 0;
      f.isPointer = !f.isDataLoc && ctype.find('*') != std::string::npos;
      f.isCharArray = !f.isDataLoc && !arr.empty() &&
                      (ctype == "char" || ctype == "const char" ||
                       ctype == "unsigned char");
      fields.push_back(std::move(f));
    }
    return fields;
  }

private:
  std::string root_;
};

} // namespace

std::unique_ptr<TargetInfo> makeHostTargetInfo() {
  return std::make_unique<HostTargetInfo>();
}

} // namespace bt
