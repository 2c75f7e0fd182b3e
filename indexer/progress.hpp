// A one-line progress display on stderr for long runs: shown only when stderr
// is a terminal and not --quiet; redrawn at most a few times a second. It
// names the phase the run is in (reading for boilerplate statistics, training
// the dictionary, indexing, committing, merging shards, compacting) and, where
// the phase's total is known, the percentage done and the time left.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <ostream>
#include <string>

namespace trawl::index {

enum class Phase { Spooling, Learning, ReadingIds, Training, Indexing, Committing, Merging, Compacting, Rebuilding };
// "copying the input" (stdin or a pipe, to read it twice: input_spool.hpp),
// "reading for boilerplate statistics", "training the dictionary", "indexing",
// "committing", "merging shards", "compacting", "rebuilding without dead passages".
const char* phase_name(Phase p);

// How the indexing pipeline says which phase it enters (may be empty).
using PhaseListener = std::function<void(Phase)>;

// "812 B", "45.3 KB", "27.6 MB", "1.20 GB" (decimal units, as MB/s is).
std::string format_bytes(std::uint64_t bytes);

// The line for a phase `done` of `total` units (total 0: unknown) after
// `seconds` in it: "indexing: 42% (DETAIL), 12 s left"; without a total,
// "PHASE: DETAIL". The time left is given once 1% and a second have passed.
std::string progress_line(Phase p, std::uint64_t done, std::uint64_t total, double seconds, const std::string& detail);

// Each phase shows its own percentage, named ("reading for boilerplate
// statistics: 100%", then "indexing: 0%"), which never goes back within the
// phase: a figure below the last one drawn is drawn as the last one.
class Progress {
public:
    using Clock = std::chrono::steady_clock;
    // enabled=false makes every call a no-op.
    Progress(std::ostream& err, bool enabled);
    // Starts phase `p` of `total` units (0: unknown) and draws it at once.
    void phase(Phase p, std::uint64_t total = 0);
    // Back to the phase before the last phase() call, with its total, start
    // and the figures last drawn in it (after a phase nested in another:
    // training within indexing).
    void resume();
    // `done` units of the current phase; drawn at most every 200 ms.
    void advance(std::uint64_t done, const std::string& detail);
    // The indexing phase's figures: its units are articles, those indexed
    // (`articles`) plus those counted by skipped(); `bytes` 0 keeps the
    // last figure.
    void update(std::uint64_t articles, std::uint64_t passages, std::uint64_t bytes);
    // Articles read but not to be indexed (duplicates, unchanged): done too.
    void skipped(std::uint64_t articles) {
        std::lock_guard l(m_);
        skipped_ = articles;
    }
    void clear();  // erase the line (before printing the summary)
    // Erases the line and writes `line` and a newline, both while no other
    // thread draws: workers report skipped records while the reading thread
    // updates the line. Written even when the line is off.
    void message(const std::string& line);

private:
    void draw(std::uint64_t done, const std::string& detail);
    void clear_line();

    std::mutex m_;  // every member below, and writes to err_
    std::ostream& err_;
    bool enabled_;
    bool shown_ = false;
    Phase phase_ = Phase::Indexing;
    std::uint64_t total_ = 0;
    std::uint64_t skipped_ = 0, bytes_ = 0;
    std::uint64_t done_ = 0;  // the current phase's figure last drawn
    std::string detail_;      // and its detail
    Clock::time_point start_, phase_start_, last_;
    struct Saved {
        Phase phase = Phase::Indexing;
        std::uint64_t total = 0;
        Clock::time_point start;
        std::uint64_t done = 0;
        std::string detail;
    } saved_;
};

}  // namespace trawl::index
