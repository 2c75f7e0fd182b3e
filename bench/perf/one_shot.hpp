// One process a query: what a user at a terminal waits for when running
// `trawl-query --db DIR QUERY` (the program's start-up, opening the index,
// the search, printing), as trawl-bench query --one-shot times it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace trawl::bench {

struct OneShotRun {
    double micros = 0;     // wall time from spawning the program to its exit
    bool matched = false;  // exit status 0 (trawl-query's, like grep's: 0 matched, 1 nothing did)
};

// Runs `command` (program and arguments, no shell) with stdin from /dev/null
// and stdout and stderr in files under `scratch`, and times it. Throws
// trawl::Error naming the program and its stderr when it cannot be run,
// exits with a status other than 0 or 1, or is killed.
OneShotRun run_one_shot(const std::vector<std::string>& command, const std::filesystem::path& scratch);

}  // namespace trawl::bench
