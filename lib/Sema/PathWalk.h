// Private to lib/Sema: the expansion of cwd() and abs_path() (PathWalk.cpp).
#pragma once

#include "bt/Parse/AST.h"
#include "bt/Parse/Source.h"

#include <memory>

namespace bt::sema {

// The block expression a call of cwd() or abs_path(path[, depth]) stands for; its
// variables are named apart by `serial`. `pathSize` is abs_path's argument's string size.
std::shared_ptr<const ast::Expr> pathWalk(const ast::CallExpr *c, unsigned pathSize,
                                          unsigned serial, DiagnosticEngine &diags);

} // namespace bt::sema
