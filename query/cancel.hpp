// Cancelling a search in progress from the interactive prompt: the prompt's
// SIGINT handler (line_source.cpp) raises a flag, all a handler may safely
// do; the search watches it inside Xapian's match (a match spy, which Xapian
// calls for each passage the match examines, and the phrase checks of
// verified_positions.cpp) and between its steps, and unwinds by throwing
// SearchCancelled. A one-shot run installs no handler: there Ctrl-C ends the
// process (exit 130), as it ends grep.
#pragma once

#include <xapian.h>

#include "corpus/base/error.hpp"

namespace trawl::query {

struct SearchCancelled : Error {
    SearchCancelled() : Error("cancelled") {}
};

// Raises the flag: async-signal-safe (one store to a volatile sig_atomic_t).
void request_cancel() noexcept;
// Lowers it, before a search starts.
void clear_cancel() noexcept;
bool cancel_requested() noexcept;
// Throws SearchCancelled when the flag is raised.
void throw_if_cancelled();

// A match spy that throws SearchCancelled from inside Enquire::get_mset once
// the flag is raised. Local databases only: xapian-tcpsrv cannot run a spy
// of Trawl's own. In test builds (TRAWL_FAULT_INJECTION) with TRAWL_FAULT_AT
// set to "search-stall", the first passage it sees in the process stalls the
// match, saying so on stderr, until the flag is raised: a search that is
// slow for as long as a test needs, with no timing in the test.
class CancelSpy final : public Xapian::MatchSpy {
public:
    void operator()(const Xapian::Document& doc, double weight) override;
};

}  // namespace trawl::query
