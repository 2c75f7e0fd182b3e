// The interactive prompt: one query per line, results printed as they come,
// a bad query reported without leaving the loop, and prompt commands
// (":n 20", ":by-article on", ":format json", ":since 1987-03-01", ":help")
// that change the options for the queries after them.
#pragma once

#include <ostream>

#include "query/line_source.hpp"
#include "query/query_options.hpp"

namespace trawl::query {

// Reads queries from `lines` until end of input or ":q"; returns the exit code
// (0 if any query matched, 1 otherwise). `options` are those of the command
// line; a prompt command changes a copy, checked as make_config() checks the
// command line (a bad value is one line on `err`, and the options stay).
int run_repl(const QueryOptions& options, bool stdout_tty, LineSource& lines, std::ostream& out, std::ostream& err);

// The prompt commands' help, as ":help" prints it.
extern const char* const kReplHelp;

}  // namespace trawl::query
