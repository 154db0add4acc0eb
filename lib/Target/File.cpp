// A target description file (docs/TARGET.md): JSON that says what a machine
// has, so btc compiles for it from anywhere, with no privilege and no tracefs.
#include "BtfFunctions.h"
#include "Fields.h"

#include "bt/Basic/File.h"
#include "bt/Target/KernelModules.h"
#include "bt/Target/ModuleBtf.h"
#include "bt/Target/SearchPaths.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <set>
#include <unistd.h>

namespace bt {
namespace {

using Json = nlohmann::ordered_json;
constexpr int kVersion = 1;

// A schema violation: where in the document (a JSON pointer) and what.
struct SchemaError {
  std::string where, what;
};

std::string str(const Json &v, const std::string &where) {
  if (!v.is_string())
    throw SchemaError{where, "expected a string"};
  return v.get<std::string>();
}

unsigned uint32(const Json &v, const std::string &where) {
  if (!v.is_number_unsigned() || v.get<uint64_t>() > 0xffffffffu)
    throw SchemaError{where, "expected an unsigned 32-bit integer"};
  return v.get<unsigned>();
}

std::vector<std::string> strings(const Json &v, const std::string &where) {
  if (!v.is_array())
    throw SchemaError{where, "expected an array of strings"};
  std::vector<std::string> out;
  for (size_t i = 0; i < v.size(); ++i)
    out.push_back(str(v[i], where + "/" + std::to_string(i)));
  return out;
}

// JSON pointer escaping (RFC 6901), for keys such as "syscalls:sys_enter_read".
std::string pointer(const std::string &base, const std::string &key) {
  std::string out = base + "/";
  for (char c : key)
    out += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
  return out;
}

class FileTarget : public TargetInfo, public KernelModuleList {
public:
  FileTarget(std::string path, const Json &doc) : path_(std::move(path)) {
    if (!doc.is_object())
      throw SchemaError{"", "expected an object"};
    static const std::set<std::string> keys = {"btc_target", "arch", "kernel_release",
                                               "probe_types", "functions", "kprobe_blacklist",
                                               "btf", "tracepoints", "search_paths"};
    for (const auto &[key, value] : doc.items())
      if (!keys.count(key))
        throw SchemaError{pointer("", key), "unknown key"};
    for (const char *key : {"btc_target", "arch"})
      if (!doc.contains(key))
        throw SchemaError{"", std::string("missing key '") + key + "'"};
    const Json &version = doc.at("btc_target");
    if (version != kVersion)
      throw SchemaError{"/btc_target", "unsupported version " + version.dump() +
                                           " (this btc reads " + std::to_string(kVersion) + ")"};
    std::string archName = str(doc.at("arch"), "/arch");
    arch_ = findArch(archName);
    if (!arch_)
      throw SchemaError{"/arch", "unknown architecture '" + archName + "' (known: " +
                                     knownArchNames() + ")"};
    if (doc.contains("kernel_release"))
      release_ = str(doc.at("kernel_release"), "/kernel_release");
    if (doc.contains("probe_types")) {
      auto list = strings(doc.at("probe_types"), "/probe_types");
      probeTypes_.emplace(list.begin(), list.end());
    }
    if (doc.contains("functions")) {
      // Entries as ftrace writes them: "fn" or "fn [module]".
      moduleFunctions_ = parseKernelFunctionList(strings(doc.at("functions"), "/functions"));
      functions_.emplace(moduleFunctions_.all.begin(), moduleFunctions_.all.end());
    }
    if (doc.contains("kprobe_blacklist")) {
      auto list = strings(doc.at("kprobe_blacklist"), "/kprobe_blacklist");
      kprobeBlacklist_.insert(list.begin(), list.end());
    }
    if (doc.contains("btf"))
      readBtf(doc.at("btf"));
    if (doc.contains("tracepoints"))
      readTracepoints(doc.at("tracepoints"));
    if (doc.contains("search_paths"))
      readSearchPaths(doc.at("search_paths"));
  }

  std::string name() const override { return "target '" + path_ + "'"; }
  std::string descriptionFile() const override { return path_; }
  const Arch &arch() const override { return *arch_; }
  std::string kernelRelease() const override { return release_; }

  std::vector<std::string> tracepoints() const override { return order_; }

  std::optional<std::vector<TracepointField>>
  tracepointFormat(const std::string &category, const std::string &name) const override {
    auto it = formats_.find(category + ":" + name);
    if (it == formats_.end())
      return std::nullopt;
    return it->second;
  }

  std::string tracepointsUnknownReason() const override {
    return hasTracepoints_ ? "" : "the description lists no tracepoints";
  }

  Support probeType(const std::string &type) const override {
    return lookup(probeTypes_, type);
  }
  Support function(const std::string &name) const override {
    if (functions_ || !btf_)
      return lookup(functions_, name);
    // BTF names no compiler clone (fn.constprop.0) that ftrace lists: such a name is
    // left to the kernel. Any other is there when the kernel's or a module's BTF has it.
    if (name.find('.') != std::string::npos)
      return Support::Unknown;
    if (!btfFunctions_) {
      std::set<std::string> names;
      auto add = [&](const OrError<std::vector<std::string>> &found) {
        if (found)
          names.insert(found->begin(), found->end());
        return bool(found);
      };
      bool read = add(target::btfFunctions(*btf_));
      for (const auto &[module, file] : moduleBtf_)
        read = add(target::btfFunctions(file, *btf_)) && read;
      if (!read) // what a BTF file lacks is not known: the kernel says at attach
        return Support::Unknown;
      btfFunctions_ = std::move(names);
    }
    return lookup(btfFunctions_, name);
  }
  OrError<std::vector<std::string>> functions() const override {
    if (!functions_ && btf_) // the BTF's functions: more than can be traced (docs/TARGET.md)
      return target::btfFunctions(*btf_);
    if (!functions_)
      return OrError<std::vector<std::string>>::failure(this->name() +
                                                        " has no \"functions\" list and no BTF");
    return std::vector<std::string>(functions_->begin(), functions_->end());
  }
  bool functionsFromBtf() const override { return !functions_ && btf_; }
  OrError<std::vector<std::string>> moduleFunctions(const std::string &module) const override {
    // The kernel's own: the untagged entries (all of an untagged list), or its BTF's.
    if (module == "vmlinux") {
      if (!functions_)
        return functions();
      auto it = moduleFunctions_.byModule.find(module);
      return it == moduleFunctions_.byModule.end() ? std::vector<std::string>{} : it->second;
    }
    // Without "fn [module]" entries, a module whose BTF the description names has the
    // functions of that BTF, as the host's /sys/kernel/btf/MODULE has.
    if (auto it = moduleBtf_.find(module); !moduleFunctions_.tagged && it != moduleBtf_.end())
      return target::btfFunctions(it->second, *btf_);
    if (!moduleFunctions_.tagged)
      return OrError<std::vector<std::string>>::failure(
          name() + " names no module's functions (its \"functions\" entries have no "
                   "\"fn [module]\" ones; btrun --describe-host writes them)");
    auto it = moduleFunctions_.byModule.find(module);
    return it == moduleFunctions_.byModule.end() ? std::vector<std::string>{} : it->second;
  }
  OrError<std::vector<std::string>> kernelModules() const override {
    if (moduleFunctions_.tagged)
      return taggedModules(moduleFunctions_);
    std::vector<std::string> out;
    for (const auto &[module, file] : moduleBtf_)
      out.push_back(module);
    return out;
  }
  bool kprobeBlacklisted(const std::string &function) const override {
    return kprobeBlacklist_.count(function) != 0;
  }
  std::optional<std::string> btfPath() const override { return btf_; }

  // A bare name resolves as on the host the description was written on, through the
  // directories it recorded (lib/Target/SearchPaths.cpp); without them only an absolute
  // path names a file there.
  OrError<std::string> resolveBinary(const std::string &path) const override {
    if (!searchPaths_ || path.find('/') != std::string::npos)
      return TargetInfo::resolveBinary(path);
    // btrun --describe-host listed only the files the search may pick.
    std::string found = findExecutable(path, searchPaths_->executables, false);
    return found.empty() ? path : found;
  }
  OrError<std::string> resolveLibrary(const std::string &name) const override {
    if (!searchPaths_)
      return TargetInfo::resolveLibrary(name);
    return findLibrary(name, searchPaths_->libraries, this->name(), false);
  }
  const std::map<std::string, std::string> &moduleBtf() const { return moduleBtf_; }

private:
  static Support lookup(const std::optional<std::set<std::string>> &set, const std::string &s) {
    if (!set)
      return Support::Unknown;
    return set->count(s) ? Support::Yes : Support::No;
  }

  // "btf": {"vmlinux": FILE, MODULE: FILE, ...}, each FILE relative to the description's
  // directory; a module's is split from vmlinux's, as /sys/kernel/btf/MODULE is.
  void readBtf(const Json &btf) {
    if (!btf.is_object() || !btf.contains("vmlinux"))
      throw SchemaError{"/btf", "expected {\"vmlinux\": FILE[, \"MODULE\": FILE...]}"};
    auto slash = path_.rfind('/');
    for (const auto &[name, value] : btf.items()) {
      std::string where = pointer("/btf", name);
      if (name.empty() || name.find_first_of("/:*?[") != std::string::npos)
        throw SchemaError{where, "expected a kernel module's name"};
      std::string file = str(value, where);
      if (!file.empty() && file[0] != '/' && slash != std::string::npos)
        file = path_.substr(0, slash + 1) + file;
      if (::access(file.c_str(), R_OK) != 0)
        throw SchemaError{where, "cannot read '" + file + "': " + std::strerror(errno)};
      if (name == "vmlinux")
        btf_ = file;
      else
        moduleBtf_[name] = file;
    }
  }

  // "tracepoints": {"cat:name": [[DECLARATION, OFFSET, SIZE, SIGNED], ...], ...}
  void readTracepoints(const Json &tps) {
    if (!tps.is_object())
      throw SchemaError{"/tracepoints", "expected an object of \"category:name\": [fields]"};
    hasTracepoints_ = true;
    for (const auto &[event, fields] : tps.items()) {
      std::string where = pointer("/tracepoints", event);
      auto colon = event.find(':');
      if (colon == std::string::npos || colon == 0 || colon + 1 == event.size() ||
          event.find(':', colon + 1) != std::string::npos)
        throw SchemaError{where, "expected a \"category:name\" key"};
      if (!fields.is_array())
        throw SchemaError{where, "expected an array of fields"};
      std::vector<TracepointField> out;
      for (size_t i = 0; i < fields.size(); ++i) {
        std::string at = where + "/" + std::to_string(i);
        const Json &f = fields[i];
        if (!f.is_array() || f.size() != 4 || !f[3].is_boolean())
          throw SchemaError{at, "expected [declaration, offset, size, signed]"};
        std::string decl = str(f[0], at + "/0");
        if (target::isCommonField(decl))
          throw SchemaError{at, "common fields are not listed"};
        out.push_back(target::makeField(decl, uint32(f[1], at + "/1"), uint32(f[2], at + "/2"),
                                        f[3].get<bool>()));
      }
      order_.push_back(event);
      formats_[event] = std::move(out);
    }
  }

  // "search_paths": {"executables": [[DIR, [FILE...]], ...], "libraries": [...]}, each
  // DIR absolute, in search order, its FILEs bare names.
  void readSearchPaths(const Json &paths) {
    const char *shape = "expected {\"executables\": [[DIR, [FILE...]]...], \"libraries\": [...]}";
    if (!paths.is_object() || paths.size() != 2 || !paths.contains("executables") ||
        !paths.contains("libraries"))
      throw SchemaError{"/search_paths", shape};
    auto dirs = [](const Json &list, const std::string &where) {
      if (!list.is_array())
        throw SchemaError{where, "expected an array of [DIR, [FILE...]]"};
      SearchDirectories out;
      for (size_t i = 0; i < list.size(); ++i) {
        std::string at = where + "/" + std::to_string(i);
        if (!list[i].is_array() || list[i].size() != 2)
          throw SchemaError{at, "expected [DIR, [FILE...]]"};
        std::string dir = str(list[i][0], at + "/0");
        if (dir.empty() || dir[0] != '/')
          throw SchemaError{at + "/0", "expected an absolute directory"};
        auto files = strings(list[i][1], at + "/1");
        for (size_t f = 0; f < files.size(); ++f)
          if (files[f].empty() || files[f].find('/') != std::string::npos)
            throw SchemaError{at + "/1/" + std::to_string(f), "expected a file name"};
        std::sort(files.begin(), files.end());
        out.emplace_back(std::move(dir), std::move(files));
      }
      return out;
    };
    searchPaths_ = SearchPaths{dirs(paths.at("executables"), "/search_paths/executables"),
                               dirs(paths.at("libraries"), "/search_paths/libraries")};
  }

  std::string path_;
  const Arch *arch_ = nullptr;
  std::optional<SearchPaths> searchPaths_;
  std::string release_;
  std::optional<std::set<std::string>> probeTypes_, functions_;
  KernelFunctionList moduleFunctions_;
  std::set<std::string> kprobeBlacklist_;
  std::optional<std::string> btf_;
  std::map<std::string, std::string> moduleBtf_; // module -> its BTF file
  mutable std::optional<std::set<std::string>> btfFunctions_; // vmlinux's and modules', once read
  bool hasTracepoints_ = false;
  std::vector<std::string> order_; // as the file lists them
  std::map<std::string, std::vector<TracepointField>> formats_;
};

// "line:column" of a byte offset, 1-based.
std::string position(const std::string &text, size_t byte) {
  unsigned line = 1, column = 1;
  for (size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return std::to_string(line) + ":" + std::to_string(column);
}

} // namespace

std::map<std::string, std::string> moduleBtfFiles(const TargetInfo &target) {
  for (const TargetInfo *member : target.members())
    if (member->btfPath()) {
      auto *file = dynamic_cast<const FileTarget *>(member);
      return file ? file->moduleBtf() : std::map<std::string, std::string>{};
    }
  return {};
}

namespace {

// Whether JSON text can hold `s`: it is UTF-8 (nlohmann refuses to write other bytes).
bool jsonText(const std::string &s) {
  try {
    (void)Json(s).dump();
    return true;
  } catch (const Json::type_error &) {
    return false;
  }
}

// "search_paths" (SearchPaths.h) at the description's second level, one directory a line;
// a directory or file whose name is not UTF-8 is left out.
std::string searchPathsJson(const SearchPaths &paths) {
  std::string out = "{";
  for (const auto &[key, dirs] : {std::pair{"executables", &paths.executables},
                                  std::pair{"libraries", &paths.libraries}}) {
    out += std::string(out.size() > 1 ? ",\n    " : "\n    ") + Json(key).dump() + ": [";
    size_t listed = 0;
    for (const auto &[dir, files] : *dirs) {
      if (!jsonText(dir))
        continue;
      Json names = Json::array();
      for (const std::string &file : files)
        if (jsonText(file))
          names.push_back(file);
      out += (listed++ ? ",\n      " : "\n      ") + Json::array({dir, names}).dump();
    }
    out += listed ? "\n    ]" : "]";
  }
  return out + "\n  }";
}

// The description; with `paths`, its "search_paths" key.
std::string writeDescription(const TargetDescription &d, const SearchPaths *searchPaths) {
  auto line = [](const Json &j) { return j.dump(); };
  std::string out = "{\n  \"btc_target\": " + std::to_string(kVersion) + ",\n";
  out += "  \"arch\": " + line(d.arch) + ",\n";
  if (!d.kernelRelease.empty())
    out += "  \"kernel_release\": " + line(d.kernelRelease) + ",\n";
  out += "  \"probe_types\": " + line(d.probeTypes) + ",\n";
  if (d.functions)
    out += "  \"functions\": " + line(*d.functions) + ",\n";
  if (d.kprobeBlacklist)
    out += "  \"kprobe_blacklist\": " + line(*d.kprobeBlacklist) + ",\n";
  if (d.vmlinuxBtf)
    out += "  \"btf\": " + line(Json{{"vmlinux", *d.vmlinuxBtf}}) + ",\n";
  if (searchPaths)
    out += "  \"search_paths\": " + searchPathsJson(*searchPaths) + ",\n";
  out += "  \"tracepoints\": {";
  for (size_t i = 0; i < d.tracepoints.size(); ++i) {
    Json fields = Json::array();
    for (const TracepointField &f : d.tracepoints[i].second)
      fields.push_back(Json::array({f.declaration, f.offset, f.size, f.isSigned}));
    out += (i ? ",\n    " : "\n    ") + line(d.tracepoints[i].first) + ": " + line(fields);
  }
  out += "\n  }\n}\n";
  return out;
}

} // namespace

std::string writeTargetFile(const TargetDescription &d) { return writeDescription(d, nullptr); }

std::string writeTargetFile(const TargetDescription &d, const SearchPaths &paths) {
  return writeDescription(d, &paths);
}

OrError<std::unique_ptr<TargetInfo>> loadTargetFile(const std::string &path) {
  using Result = OrError<std::unique_ptr<TargetInfo>>;
  std::string text;
  // "-" names a file here: standard input may be btc's script.
  if (readWholeFile(path == "-" ? "./-" : path, text) != FileReadError::None)
    return Result::failure("cannot read target description '" + path +
                           "': " + std::strerror(errno));
  Json doc;
  try {
    doc = Json::parse(text);
  } catch (const Json::parse_error &e) {
    // nlohmann's message, less its "[json.exception...] parse error at line L, column C: ".
    std::string why = e.what();
    auto colon = why.find(": ");
    if (colon != std::string::npos)
      why = why.substr(colon + 2);
    return Result::failure(path + ":" + position(text, e.byte ? e.byte - 1 : 0) +
                           ": invalid JSON: " + why);
  }
  try {
    return std::unique_ptr<TargetInfo>(std::make_unique<FileTarget>(path, doc));
  } catch (const SchemaError &e) {
    return Result::failure(path + ": " + (e.where.empty() ? "" : e.where + ": ") + e.what);
  }
}

} // namespace bt
