// Where the interactive prompt's lines come from: a terminal, through GNU
// readline (line editing, history kept across runs, Ctrl-C cancels the line,
// Ctrl-D on an empty line ends), or any stream (tests, pipes); and the
// bounded line reading every query line goes through (files, stdin, prompt).
#pragma once

#include <cstddef>
#include <cstdio>
#include <istream>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

namespace trawl::query {

// The longest query line of a queries file, standard input or the prompt, in
// bytes. A longer line is an error naming it (a batch goes on with the next
// line); it is read past, never held whole, so one huge line (no newline in
// gigabytes of input) cannot take the memory or time a search of it would.
inline constexpr std::size_t kMaxQueryLineBytes = 64 * 1024;

// Reads the next line of `in` into `line`, without its '\n'; false at the end
// of input. A line longer than `max` bytes comes back cut to max + 1 bytes
// (so line.size() > max says it was too long), the rest of it read and
// dropped. A read error (the input is a directory, an I/O error) throws
// InputError naming `name`.
bool read_query_line(std::istream& in, std::string& line, const std::string& name,
                     std::size_t max = kMaxQueryLineBytes);

// "query line longer than 65536 bytes"
std::string too_long_message();

class LineSource {
public:
    virtual ~LineSource() = default;
    // The next line, the prompt shown first; nullopt at the end of input. A
    // line longer than kMaxQueryLineBytes comes back cut to one byte more
    // than that, so that its length says it was too long.
    virtual std::optional<std::string> read(const std::string& prompt) = 0;
    // Writes the prompt's own text (its banner, :help) where the prompt goes.
    virtual void show(const std::string& text) = 0;
    // Why the history file could not be written ("" when it could, or when
    // there is none): told once on stderr when it happens, and by :help.
    virtual std::string history_problem() const { return {}; }
};

// Lines of `in`, the prompt written to `out`.
std::unique_ptr<LineSource> stream_lines(std::istream& in, std::ostream& out);

// The terminal on stdin through readline, the prompt and the line being
// edited written to `terminal` (stdout, or stderr when stdout is redirected:
// the results' file then holds no prompt and no escape codes), with the
// history of earlier runs read from and each new line appended to
// `history_file` (created with its folder; empty: no history file). At most
// kHistoryLines are kept. A pasted block of several lines (bracketed paste)
// is read as that many lines, one query each, as if each had been typed and
// entered; each goes into the history on its own.
std::unique_ptr<LineSource> terminal_lines(const std::string& history_file, std::FILE* terminal = stdout);
inline constexpr int kHistoryLines = 1000;

// $XDG_STATE_HOME/trawl/history, else $HOME/.local/state/trawl/history
// (the XDG base directory default); empty when neither variable is set.
std::string history_path();

}  // namespace trawl::query
