// One process a query: what a user at a terminal waits for when running
// `trawl-query --db DIR QUERY` (the program's start-up, opening the index,
// the search, printing), as trawl-bench query --one-shot times it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace trawl::bench {

struct OneShotRun {
    double micros = 0;        // wall time from spawning the program to its exit
    int status = 0;           // its exit status (trawl-query's, like grep's: 0 matched, 1 nothing did, 2 an error)
    std::string first_error;  // the first non-empty line it wrote on stderr
};

// Runs `command` (program, looked up in PATH when it has no '/', and its
// arguments; no shell) with stdin from /dev/null and stdout and stderr in
// files under `scratch`, and times it. Throws trawl::Error naming the
// program when it cannot be run or is killed by a signal.
OneShotRun run_one_shot(const std::vector<std::string>& command, const std::filesystem::path& scratch);

// The arguments a one-shot row gives trawl-query: `options` (the bench's
// ranking options, forwarded), the databases as `--db=DIR` and the query
// after `--` (a query may begin with '-': "-mustnot word").
std::vector<std::string> one_shot_command(const std::string& program, const std::vector<std::string>& dbs,
                                          const std::vector<std::string>& options, const std::string& query);

}  // namespace trawl::bench
