// Readline through its callback interface: the SIGINT handler only sets
// flags (the other one cancels a search that runs between two lines,
// cancel.hpp); the loop waits in pselect(), and a Ctrl-C (pselect interrupted) drops
// the line being edited and shows a fresh prompt, as bash and python do.
// SIGINT is blocked from the flag's check until pselect() atomically lets it
// in, so a Ctrl-C that lands between two keys is never left waiting for the
// next one; and it is unblocked for the prompt's life, since a parent may
// have started the program with it blocked.
#include "query/line_source.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <limits>
#include <system_error>

#include <readline/history.h>
#include <readline/readline.h>
#include <signal.h>
#include <sys/select.h>
#include <unistd.h>

#include "corpus/base/error.hpp"
#include "query/cancel.hpp"

namespace trawl::query {
namespace {

class StreamLines final : public LineSource {
public:
    StreamLines(std::istream& in, std::ostream& out) : in_(in), out_(out) {}
    std::optional<std::string> read(const std::string& prompt) override {
        out_ << prompt << std::flush;
        std::string line;
        if (!read_query_line(in_, line, "<stdin>")) {
            out_ << "\n";
            return std::nullopt;
        }
        return line;
    }
    void show(const std::string& text) override { out_ << text << std::flush; }

private:
    std::istream& in_;
    std::ostream& out_;
};

volatile std::sig_atomic_t g_interrupted = 0;

sigset_t only_sigint() {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGINT);
    return s;
}
// Drops the line being typed, or, between two lines (a search running),
// cancels the search (cancel.hpp). Flags only: async-signal-safe.
void on_sigint(int) {
    g_interrupted = 1;
    request_cancel();
}

// The line readline handed over in its callback (one reader at a time).
std::optional<std::string>* g_line = nullptr;
bool g_done = false;

void on_line(char* line) {
    // Removed here, as readline's manual advises: else readline shows a fresh
    // prompt at once, before the line has been answered.
    rl_callback_handler_remove();
    g_done = true;
    if (line == nullptr) {
        *g_line = std::nullopt;
        return;
    }
    *g_line = std::string(line);
    std::free(line);
}

class TerminalLines final : public LineSource {
public:
    TerminalLines(std::string history_file, std::FILE* terminal) : history_(std::move(history_file)) {
        rl_catch_signals = 0;  // readline's handlers would kill the process on SIGINT
        rl_outstream = terminal;
        rl_readline_name = "trawl";
        using_history();
        stifle_history(kHistoryLines);
        if (!history_.empty()) {
            std::error_code ec;
            std::filesystem::create_directories(std::filesystem::path(history_).parent_path(), ec);
            if (ec) history_failed(ec.value());
            read_history(history_.c_str());
        }
        struct sigaction sa {};
        sa.sa_handler = on_sigint;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = 0;  // no SA_RESTART: pselect() returns EINTR
        sigaction(SIGINT, &sa, &old_);
        const sigset_t sigint = only_sigint();
        sigprocmask(SIG_UNBLOCK, &sigint, &old_mask_);
    }
    ~TerminalLines() override {
        sigprocmask(SIG_SETMASK, &old_mask_, nullptr);
        sigaction(SIGINT, &old_, nullptr);
        if (!history_.empty()) history_truncate_file(history_.c_str(), kHistoryLines);
    }

    std::optional<std::string> read(const std::string& prompt) override {
        if (!pasted_.empty()) {  // the next line of a pasted block
            std::string next = std::move(pasted_.front());
            pasted_.pop_front();
            return next;
        }
        std::optional<std::string> line;
        g_line = &line;
        g_done = false;
        g_interrupted = 0;
        rl_callback_handler_install(prompt.c_str(), on_line);
        const sigset_t sigint = only_sigint();
        sigset_t open_mask;
        while (!g_done) {
            sigprocmask(SIG_BLOCK, &sigint, &open_mask);
            if (g_interrupted) {
                sigprocmask(SIG_SETMASK, &open_mask, nullptr);
                cancel_line(prompt);
                continue;
            }
            fd_set fds;
            FD_ZERO(&fds);
            FD_SET(STDIN_FILENO, &fds);
            const int ready = ::pselect(STDIN_FILENO + 1, &fds, nullptr, nullptr, nullptr, &open_mask);
            const int error = errno;
            sigprocmask(SIG_SETMASK, &open_mask, nullptr);
            if (ready < 0 && error == EINTR) continue;  // the check above handles a Ctrl-C
            if (ready < 0) break;                       // stdin gone: end of input
            rl_callback_read_char();
        }
        rl_callback_handler_remove();
        g_line = nullptr;
        if (!g_done) return std::nullopt;
        if (!line) std::fputs("\n", rl_outstream ? rl_outstream : stdout);  // Ctrl-D: end the prompt's line
        if (!line) return line;
        // A pasted block (bracketed paste puts its line breaks into the line):
        // one line each, as if typed one by one.
        std::size_t at = 0;
        for (auto end = line->find_first_of("\r\n"); end != std::string::npos;
             at = end + 1, end = line->find_first_of("\r\n", at))
            pasted_.push_back(line->substr(at, end - at));
        pasted_.push_back(line->substr(at));
        for (auto& l : pasted_) {
            if (l.size() > kMaxQueryLineBytes) l.resize(kMaxQueryLineBytes + 1);  // refused, not remembered
            else if (l.find_first_not_of(" \t") != std::string::npos) remember(l);
        }
        std::string first = std::move(pasted_.front());
        pasted_.pop_front();
        return first;
    }

    std::string history_problem() const override { return problem_; }

    void show(const std::string& text) override {
        std::FILE* to = rl_outstream ? rl_outstream : stdout;
        std::fputs(text.c_str(), to);
        std::fflush(to);
    }

private:
    // Ctrl-C: forget the line being edited, start again on a new line.
    void cancel_line(const std::string& prompt) {
        g_interrupted = 0;
        rl_free_line_state();
        rl_callback_sigcleanup();
        rl_cleanup_after_signal();
        rl_callback_handler_remove();
        std::fputs("^C\n", rl_outstream ? rl_outstream : stdout);
        std::fflush(rl_outstream ? rl_outstream : stdout);
        rl_callback_handler_install(prompt.c_str(), on_line);
    }

    void remember(const std::string& line) {
        const HIST_ENTRY* last = history_length > 0 ? history_get(history_base + history_length - 1) : nullptr;
        if (last && line == last->line) return;  // no run of one line repeated
        add_history(line.c_str());
        // Appended at once, so that a run that is killed keeps its history too.
        if (history_.empty() || !problem_.empty()) return;
        if (append_history(1, history_.c_str()) == 0) return;
        if (const int error = write_history(history_.c_str()); error != 0) history_failed(error);
    }

    // Told once: the session goes on, its history kept in memory only.
    void history_failed(int error) {
        if (!problem_.empty()) return;
        problem_ = std::strerror(error);
        std::fprintf(stderr, "trawl-query: warning: the history is not saved: cannot write %s (%s)\n", history_.c_str(),
                     problem_.c_str());
        std::fflush(stderr);
    }

    std::string history_;
    std::string problem_;             // why history_ cannot be written ("": it can)
    std::deque<std::string> pasted_;  // the lines of a pasted block not yet returned
    struct sigaction old_ {};
    sigset_t old_mask_{};
};

}  // namespace

bool read_query_line(std::istream& in, std::string& line, const std::string& name, std::size_t max) {
    line.clear();
    if (in.bad()) return false;
    // istream's getline and ignore scan the stream's buffer for the '\n'
    // (memchr), far faster than a byte at a time on a line of gigabytes. A
    // failed read(2) in a file stream throws from underflow with its errno;
    // the stream passes it on with badbit in its exception mask.
    const auto mask = in.exceptions();
    in.exceptions(std::ios::badbit);
    try {
        const std::unique_ptr<char[]> buffer(new char[max + 2]);
        in.getline(buffer.get(), static_cast<std::streamsize>(max + 2));  // holds up to max + 1 bytes
        const auto got = static_cast<std::size_t>(in.gcount());
        const bool at_end = in.eof(), cut = in.fail() && !at_end;
        if (at_end && got == 0) {
            in.exceptions(mask);
            return false;
        }
        // gcount() counts the '\n' getline took; the bytes may hold NULs.
        line.assign(buffer.get(), at_end || cut ? got : got - 1);
        if (cut) {  // more than max + 1 bytes: read past the rest of the line
            in.clear();
            in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
        }
        if (at_end) in.clear(std::ios::eofbit);  // the line is good; the next read says end
    } catch (const std::ios_base::failure& e) {
        const auto& code = e.code();
        const bool has_errno = code.category() == std::system_category() || code.category() == std::generic_category();
        const int error = has_errno && code.value() ? code.value() : (errno ? errno : EIO);
        in.exceptions(mask);
        throw InputError(name, 0, std::string("cannot read: ") + std::strerror(error));
    }
    in.exceptions(mask);
    return true;
}

std::string too_long_message() { return "query line longer than " + std::to_string(kMaxQueryLineBytes) + " bytes"; }

std::unique_ptr<LineSource> stream_lines(std::istream& in, std::ostream& out) {
    return std::make_unique<StreamLines>(in, out);
}

std::unique_ptr<LineSource> terminal_lines(const std::string& history_file, std::FILE* terminal) {
    return std::make_unique<TerminalLines>(history_file, terminal);
}

std::string history_path() {
    const char* state = std::getenv("XDG_STATE_HOME");
    if (state && *state == '/') return std::string(state) + "/trawl/history";  // XDG: relative paths are ignored
    const char* home = std::getenv("HOME");
    if (home && *home) return std::string(home) + "/.local/state/trawl/history";
    return {};
}

}  // namespace trawl::query
