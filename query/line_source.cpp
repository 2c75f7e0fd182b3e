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
#include <filesystem>

#include <readline/history.h>
#include <readline/readline.h>
#include <signal.h>
#include <sys/select.h>
#include <unistd.h>

#include "query/cancel.hpp"

namespace trawl::query {
namespace {

class StreamLines final : public LineSource {
public:
    StreamLines(std::istream& in, std::ostream& out) : in_(in), out_(out) {}
    std::optional<std::string> read(const std::string& prompt) override {
        out_ << prompt << std::flush;
        std::string line;
        if (!std::getline(in_, line)) {
            out_ << "\n";
            return std::nullopt;
        }
        return line;
    }

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
    explicit TerminalLines(std::string history_file) : history_(std::move(history_file)) {
        rl_catch_signals = 0;  // readline's handlers would kill the process on SIGINT
        rl_readline_name = "trawl";
        using_history();
        stifle_history(kHistoryLines);
        if (!history_.empty()) {
            std::error_code ec;
            std::filesystem::create_directories(std::filesystem::path(history_).parent_path(), ec);
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
        if (line && line->find_first_not_of(" \t") != std::string::npos) remember(*line);
        return line;
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
        if (!history_.empty() && append_history(1, history_.c_str()) != 0) write_history(history_.c_str());
    }

    std::string history_;
    struct sigaction old_ {};
    sigset_t old_mask_{};
};

}  // namespace

std::unique_ptr<LineSource> stream_lines(std::istream& in, std::ostream& out) {
    return std::make_unique<StreamLines>(in, out);
}

std::unique_ptr<LineSource> terminal_lines(const std::string& history_file) {
    return std::make_unique<TerminalLines>(history_file);
}

std::string history_path() {
    const char* state = std::getenv("XDG_STATE_HOME");
    if (state && *state == '/') return std::string(state) + "/trawl/history";  // XDG: relative paths are ignored
    const char* home = std::getenv("HOME");
    if (home && *home) return std::string(home) + "/.local/state/trawl/history";
    return {};
}

}  // namespace trawl::query
