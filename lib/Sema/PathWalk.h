// Private to lib/Sema: the expansion of cwd() and abs_path() (PathWalk.cpp).
#pragma once

#include "bt/Parse/AST.h"
#include "bt/Parse/Source.h"

#include <memory>

namespace bt::sema {

// What abs_path()'s path is: a string, or an int8 pointer or array whose text the walk
// reads first (str(p), str(&$arr, N + 1)), as upstream takes any of its string-likes.
enum class PathText { String, Pointer, Array };

struct PathArgument {
  PathText text = PathText::String;
  unsigned size = 0;       // of the string the path is (a pointer's or array's: read into)
  unsigned arrayCount = 0; // an array's elements
};

// The block expression a call of cwd() or abs_path(path[, depth]) stands for; its
// variables are named apart by `serial`. `path` is abs_path's argument.
std::shared_ptr<const ast::Expr> pathWalk(const ast::CallExpr *c, const PathArgument &path,
                                          unsigned serial, DiagnosticEngine &diags);

} // namespace bt::sema
