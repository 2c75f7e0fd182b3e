// The interactive prompt: one query per line, results printed as they come,
// a bad query reported without leaving the loop.
#pragma once

#include <istream>
#include <ostream>

#include "printer.hpp"
#include "searcher.hpp"

namespace trawl::query {

// Reads queries from `in` until end of input or ":q"; returns the exit code
// (0 if any query matched, 1 otherwise).
int run_repl(Searcher& searcher, ResultPrinter& printer, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace trawl::query
