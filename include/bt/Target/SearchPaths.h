// Where a machine finds the file a uprobe or usdt probe names by a bare name
// (uprobe:bash:readline, uprobe:libc:malloc): PATH's directories for executables, the
// loader's for libraries. The build host lists its own directories; a description
// (docs/TARGET.md, "search_paths") holds those of the host btrun --describe-host ran
// on, listed by the same code. One rule resolves a name through either.
#pragma once

#include "bt/Target/Target.h"

#include <string>
#include <utility>
#include <vector>

namespace bt {

// Each directory, in search order, with the files in it the search may pick (sorted):
// for PATH the executable regular files, for the loader the ELF files whose names hold ".so".
using SearchDirectories = std::vector<std::pair<std::string, std::vector<std::string>>>;

struct SearchPaths {
  SearchDirectories executables, libraries;
};

// The host's directories as a colon-separated list: PATH (/usr/bin:/bin when unset); and
// LD_LIBRARY_PATH, then the multiarch and standard library directories.
std::string hostExecutablePath();
std::string hostLibraryPath(const Arch &arch);

// Calls `found` for each file in the directories of `dirList` that the search may pick
// (executables, or libraries when `libraries`), directory by directory, in directory order;
// without `checkFiles`, each file whose name may be one (findExecutable and findLibrary
// then check the files they match).
void forEachSearchable(const std::string &dirList, bool libraries, bool checkFiles,
                       void *context,
                       void (*found)(void *context, const char *dir, const char *file));

// The host's directories with the files whose names the search may pick, sorted (the
// host as the target: findExecutable and findLibrary check the files they match).
SearchDirectories hostSearchDirectories(const std::string &dirList, bool libraries);

// The host's directories with the files the search may pick, each file checked, in
// directory order (btc sorts them when it reads a description): a description's
// "search_paths" (btrun --describe-host).
SearchPaths hostSearchPaths(const Arch &arch);

// "bash" -> "/usr/bin/bash": the first directory holding it; "" when none does. With
// `checkFiles` (the host's listing), a file that is not an executable is passed over.
std::string findExecutable(const std::string &name, const SearchDirectories &dirs,
                           bool checkFiles);

// "libc" or "c" -> "/lib/x86_64-linux-gnu/libc.so.6": in the first directory with one,
// lib<name>.so, else the lowest lib<name>.so.*; a versioned soname (libssl.so.3) is that
// file. The error names `where` ("the host", "target 'fleet.json'"). With `checkFiles`
// (the host's listing), a file that is not an ELF object is passed over.
OrError<std::string> findLibrary(const std::string &name, const SearchDirectories &dirs,
                                 const std::string &where, bool checkFiles);

// writeTargetFile with a "search_paths" key: {"executables": [[DIR, [FILE...]]...],
// "libraries": [...]}, one directory a line. A name that is not UTF-8, which JSON text
// cannot hold, is left out.
std::string writeTargetFile(const TargetDescription &description, const SearchPaths &paths);

} // namespace bt
