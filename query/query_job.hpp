// trawl-query's job: the query, the queries of a file or of stdin, or the
// interactive prompt, run with one config (query_options.hpp).
#pragma once

#include <cstdint>
#include <istream>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

#include "query/query_options.hpp"

namespace trawl::query {

// Splits a queries-file line "qid<TAB>query" (or a bare query, whose id is its
// line number); a trailing '\r' (CRLF files) is dropped.
std::pair<std::string, std::string> split_query_line(std::string line, std::uint64_t line_no);
// The columns of a queries-file line before its query: those of "qid<TAB>",
// 0 for a bare query. A query's column plus this is the line's.
std::size_t query_column_offset(std::string_view line);

// Runs the queries. Exit code like grep: 0 = some hits, 1 = no hits, 2 = error
// (a bad query in a batch, or a line longer than kMaxQueryLineBytes, is
// reported and the batch goes on; 2 at the end). A batch stops when `out`
// fails (the disk is full): the caller (cli_main) says why. In text, each
// query of a batch is headed by "query QID: QUERY". The prompt writes its
// banner, prompt and line editing to the terminal: stdout when that is one,
// else stderr, so that `trawl-query --db X > run.txt` gets results only.
// An error of the index or a shard (damaged, remote shard lost) stops a batch:
// one line names the query (file:line, qid) and how many queries did not run;
// the results printed before it are complete.
int run_query(const QueryConfig& config, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace trawl::query
