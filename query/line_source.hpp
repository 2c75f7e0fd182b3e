// Where the interactive prompt's lines come from: a terminal, through GNU
// readline (line editing, history kept across runs, Ctrl-C cancels the line,
// Ctrl-D on an empty line ends), or any stream (tests, pipes).
#pragma once

#include <istream>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

namespace trawl::query {

class LineSource {
public:
    virtual ~LineSource() = default;
    // The next line, the prompt shown first; nullopt at the end of input.
    virtual std::optional<std::string> read(const std::string& prompt) = 0;
};

// Lines of `in`, the prompt written to `out`.
std::unique_ptr<LineSource> stream_lines(std::istream& in, std::ostream& out);

// The terminal on stdin/stdout through readline, with the history of earlier
// runs read from and each new line appended to `history_file` (created with
// its folder; empty: no history file). At most kHistoryLines are kept.
std::unique_ptr<LineSource> terminal_lines(const std::string& history_file);
inline constexpr int kHistoryLines = 1000;

// $XDG_STATE_HOME/trawl/history, else $HOME/.local/state/trawl/history
// (the XDG base directory default); empty when neither variable is set.
std::string history_path();

}  // namespace trawl::query
