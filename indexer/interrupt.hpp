// Ctrl-C (SIGINT) and SIGTERM during trawl-index: the handler only records
// the signal; the job looks at it between articles (and between the chunks
// it copies from standard input) and unwinds as it does on an error, so that
// the open batch is cancelled, committed batches stay, the temporaries beside
// the index (a new index's shards, a copy of standard input) are removed and
// Xapian's locks are released. trawl-index then says how far it got and
// exits with 128 + the signal (130, 143). A second signal kills at once (the
// default action is back after the first).
#pragma once

#include <cstdint>
#include <exception>
#include <string>

namespace trawl::index {

// Installs the handlers for SIGINT and SIGTERM, except for a signal the
// process was started with ignored (`nohup`, a background job of a
// non-interactive shell), which stays ignored.
void catch_interrupts();

// The signal caught (SIGINT, SIGTERM), 0 when none was.
int interrupt_signal();

// Tests: as if `signal` had been caught (0: forget it).
void set_interrupt_signal(int signal);

// Thrown on the job's thread once a signal was caught. `committed`: articles
// in batches this run committed into the index (a new index built beside
// it keeps none: it appears only when complete).
class Interrupted : public std::exception {
public:
    Interrupted(int sig, std::uint64_t articles) : signal_(sig), committed_(articles) {}
    const char* what() const noexcept override { return "interrupted"; }
    int signal() const { return signal_; }
    std::uint64_t committed() const { return committed_; }

private:
    int signal_;
    std::uint64_t committed_;
};

// Throws Interrupted(signal, committed) when a signal was caught.
inline void throw_if_interrupted(std::uint64_t committed = 0) {
    if (const int s = interrupt_signal()) throw Interrupted(s, committed);
}

// "trawl-index: interrupted; 1200 articles committed to news.idx, re-run to
// continue" (no newline).
std::string interrupted_message(const Interrupted& e, const std::string& db_path);

// A signal caught once the run had nothing left to do but finish (its last
// commit, the merge of a parallel build, the swap): the index is complete.
// "trawl-index: SIGTERM came as the run was ending; it completed: 1200
// articles indexed into news.idx, nothing to re-run" (no newline).
std::string completed_anyway_message(int signal, std::uint64_t articles, const std::string& db_path);

}  // namespace trawl::index
