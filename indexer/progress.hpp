// A one-line progress display on stderr for long runs: shown only when stderr
// is a terminal and not --quiet; redrawn at most a few times a second.
#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>

namespace trawl::index {

class Progress {
public:
    // enabled=false makes every call a no-op.
    Progress(std::ostream& err, bool enabled);
    void update(std::uint64_t articles, std::uint64_t passages, std::uint64_t bytes);
    void clear();  // erase the line (before printing a message or the summary)
    static bool stderr_is_tty();

private:
    std::ostream& err_;
    bool enabled_;
    bool shown_ = false;
    std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace trawl::index
