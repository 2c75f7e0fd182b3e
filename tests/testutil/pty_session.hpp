// Runs a command on a pseudo-terminal for end-to-end tests of what only a
// terminal shows (the interactive prompt, the progress line): keys are
// written to it and its output read until an expected text appears.
#pragma once

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <string>

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace trawl::test {

class PtySession {
public:
    // Runs `command` with /bin/sh on a new terminal of 100 columns
    // (TERM=xterm). The shell execs the command's last program, so that a
    // Ctrl-C sent to the terminal reaches that program alone. With
    // Sigint::blocked the program starts with SIGINT blocked, as some
    // parents (job runners, daemons) leave it.
    enum class Sigint { as_a_shell_gives, blocked };
    explicit PtySession(const std::string& command, Sigint sigint = Sigint::as_a_shell_gives) {
        struct winsize ws {};
        ws.ws_row = 40;
        ws.ws_col = 100;
        pid_ = ::forkpty(&fd_, nullptr, nullptr, &ws);
        if (pid_ == 0) {
            ::setenv("TERM", "xterm", 1);
            // A terminal's Ctrl-C reaches the program as SIGINT; a test
            // runner (CTest) may start tests with SIGINT ignored, which the
            // program would inherit: give it the default a shell gives.
            // Nor may it arrive blocked.
            ::signal(SIGINT, SIG_DFL);
            sigset_t mask;
            sigemptyset(&mask);
            if (sigint == Sigint::blocked) sigaddset(&mask, SIGINT);
            ::sigprocmask(SIG_SETMASK, &mask, nullptr);
            const std::string exec = "exec " + command;
            ::execl("/bin/sh", "sh", "-c", exec.c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
    }
    ~PtySession() {
        if (pid_ > 0 && !exited_) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
        if (fd_ >= 0) ::close(fd_);
    }
    PtySession(const PtySession&) = delete;
    PtySession& operator=(const PtySession&) = delete;

    bool started() const { return pid_ > 0; }
    void send(const std::string& keys) {
        for (std::size_t at = 0; at < keys.size();) {
            const auto n = ::write(fd_, keys.data() + at, keys.size() - at);
            if (n <= 0) return;
            at += static_cast<std::size_t>(n);
        }
    }
    // Reads until `text` appears in the output after position `from` (the
    // output so far when npos), or the command ends, or `seconds` pass. True
    // when it appeared.
    bool wait_for(const std::string& text, double seconds = 30, std::size_t from = std::string::npos) {
        if (from == std::string::npos) from = seen_;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
        for (;;) {
            if (const auto at = output_.find(text, from); at != std::string::npos) {
                seen_ = at + text.size();
                return true;
            }
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0 || !read_some(static_cast<int>(left.count()))) return false;
        }
    }
    // Reads until the command ends; its exit status (-1 if it did not end in `seconds`).
    int wait_exit(double seconds = 60) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
        while (std::chrono::steady_clock::now() < deadline && read_some(100)) {
        }
        for (;;) {
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                exited_ = true;
                return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            }
            if (std::chrono::steady_clock::now() >= deadline) return -1;
            read_some(100);
        }
    }
    const std::string& output() const { return output_; }
    std::size_t mark() const { return output_.size(); }

private:
    // False at the end of the output (the terminal closed).
    bool read_some(int timeout_ms) {
        struct pollfd p {
            fd_, POLLIN, 0
        };
        const int r = ::poll(&p, 1, timeout_ms);
        if (r <= 0) return r == 0;
        char buf[4096];
        const auto n = ::read(fd_, buf, sizeof buf);
        if (n <= 0) return false;
        output_.append(buf, static_cast<std::size_t>(n));
        return true;
    }

    int fd_ = -1;
    pid_t pid_ = -1;
    bool exited_ = false;
    std::string output_;
    std::size_t seen_ = 0;
};

}  // namespace trawl::test
