#include "progress.hpp"

#include <cstdio>
#include <unistd.h>

namespace trawl::index {

Progress::Progress(std::ostream& err, bool enabled)
    : err_(err), enabled_(enabled), start_(std::chrono::steady_clock::now()), last_(start_) {}

bool Progress::stderr_is_tty() { return ::isatty(STDERR_FILENO) == 1; }

void Progress::update(std::uint64_t articles, std::uint64_t passages, std::uint64_t bytes) {
    if (!enabled_) return;
    auto now = std::chrono::steady_clock::now();
    if (shown_ && now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    double secs = std::chrono::duration<double>(now - start_).count();
    double mb = static_cast<double>(bytes) / 1e6;
    char line[160];
    std::snprintf(line, sizeof line, "\r\x1b[K%llu articles, %llu passages, %.1f MB read, %.2f MB/s",
                  static_cast<unsigned long long>(articles), static_cast<unsigned long long>(passages), mb,
                  secs > 0 ? mb / secs : 0.0);
    err_ << line << std::flush;
    shown_ = true;
}

void Progress::clear() {
    if (enabled_ && shown_) err_ << "\r\x1b[K" << std::flush;
    shown_ = false;
}

}  // namespace trawl::index
