// A program run to its end without a shell, its stdin from /dev/null and its
// stdout and stderr in files: what the Lucene peer does with its Java driver
// and `trawl-bench query --one-shot` with trawl-query.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace trawl::bench {

struct ChildRun {
    int error = 0;        // errno when the program could not be started (or waited for): nothing below is set
    bool waited = false;  // false with `error`: posix_spawnp failed; true: waitpid did
    bool exited = false;  // false: killed by signal `code`
    int code = 0;         // the exit status, or the signal
    double micros = 0;    // wall time from spawning the program to its exit
    std::uint64_t peak_rss_bytes = 0;
    // "exited with status N" or "killed by signal N".
    std::string how() const;
};

// Runs `command` (program, looked up in PATH when it has no '/', and its
// arguments) with stdout into `out` and stderr into `err` (created or
// truncated), and waits for it.
ChildRun run_child(const std::vector<std::string>& command, const std::filesystem::path& out,
                   const std::filesystem::path& err);

// The whole of a file ("" when it cannot be read).
std::string read_whole_file(const std::filesystem::path& path);

}  // namespace trawl::bench
