#include "indexer/progress.hpp"

#include <algorithm>
#include <cstdio>

namespace trawl::index {
namespace {

using Clock = std::chrono::steady_clock;

std::string duration(double s) {
    char buf[32];
    if (s < 60) std::snprintf(buf, sizeof buf, "%.0f s", s);
    else if (s < 3600)
        std::snprintf(buf, sizeof buf, "%d min %02d s", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
    else std::snprintf(buf, sizeof buf, "%d h %02d min", static_cast<int>(s) / 3600, static_cast<int>(s) / 60 % 60);
    return buf;
}

}  // namespace

std::string format_bytes(std::uint64_t bytes) {
    char buf[32];
    auto b = static_cast<double>(bytes);
    if (bytes < 1000) std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
    else if (b < 1e6) std::snprintf(buf, sizeof buf, "%.1f KB", b / 1e3);
    else if (b < 1e9) std::snprintf(buf, sizeof buf, "%.1f MB", b / 1e6);
    else std::snprintf(buf, sizeof buf, "%.2f GB", b / 1e9);
    return buf;
}

const char* phase_name(Phase p) {
    switch (p) {
        case Phase::Spooling:
            return "copying the input";
        case Phase::Learning:
            return "reading for boilerplate statistics";
        case Phase::ReadingIds:  // --keep-boilerplate: the first pass counts the ids only
            return "reading the article ids";
        case Phase::Training:
            return "training the dictionary";
        case Phase::Indexing:
            return "indexing";
        case Phase::Committing:
            return "committing";
        case Phase::Merging:
            return "merging shards";
        case Phase::Compacting:
            return "compacting";
        case Phase::Rebuilding:
            return "rebuilding without dead passages";
    }
    return "working";
}

std::string progress_line(Phase p, std::uint64_t done, std::uint64_t total, double seconds, const std::string& detail) {
    std::string line = phase_name(p);
    if (total == 0) return detail.empty() ? line : line + ": " + detail;
    const double fraction = std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
    char pct[16];
    std::snprintf(pct, sizeof pct, "%.0f%%", 100 * fraction);
    line += ": " + std::string(pct);
    if (!detail.empty()) line += " (" + detail + ")";
    if (fraction >= 0.01 && fraction < 1 && seconds >= 1)
        line += ", " + duration(seconds * (1 - fraction) / fraction) + " left";
    return line;
}

Progress::Progress(std::ostream& err, bool enabled)
    : err_(err), enabled_(enabled), start_(Clock::now()), phase_start_(start_), last_(start_) {}

void Progress::phase(Phase p, std::uint64_t total) {
    if (!enabled_) return;
    std::lock_guard l(m_);
    saved_ = {phase_, total_, phase_start_, done_, detail_};
    phase_ = p;
    total_ = total;
    phase_start_ = Clock::now();
    done_ = 0;
    detail_.clear();
    draw(0, "");
}

void Progress::resume() {
    if (!enabled_) return;
    std::lock_guard l(m_);
    phase_ = saved_.phase;
    total_ = saved_.total;
    phase_start_ = saved_.start;
    // Where the phase was, not 0% (the training of a new index's dictionary
    // comes between its articles, or after all of them on a small corpus).
    done_ = saved_.done;
    draw(saved_.done, saved_.detail);
}

void Progress::advance(std::uint64_t done, const std::string& detail) {
    if (!enabled_) return;
    std::lock_guard l(m_);
    if (shown_ && Clock::now() - last_ < std::chrono::milliseconds(200)) return;
    draw(done, detail);
}

void Progress::update(std::uint64_t articles, std::uint64_t passages, std::uint64_t bytes) {
    if (!enabled_) return;
    std::lock_guard l(m_);
    if (bytes > 0) bytes_ = bytes;
    if (shown_ && Clock::now() - last_ < std::chrono::milliseconds(200)) return;
    const double secs = std::chrono::duration<double>(Clock::now() - phase_start_).count();
    const double mb = static_cast<double>(bytes_) / 1e6;
    const std::uint64_t done = std::max(articles + skipped_, done_);  // never back within the phase
    char detail[160];
    if (total_ > 0)
        std::snprintf(detail, sizeof detail, "%llu of %llu articles, %llu passages, %.1f MB read",
                      static_cast<unsigned long long>(done), static_cast<unsigned long long>(total_),
                      static_cast<unsigned long long>(passages), mb);
    else
        std::snprintf(detail, sizeof detail, "%llu articles, %llu passages, %.1f MB read, %.2f MB/s",
                      static_cast<unsigned long long>(done), static_cast<unsigned long long>(passages), mb,
                      secs > 0 ? mb / secs : 0.0);
    draw(done, detail);
}

void Progress::draw(std::uint64_t done, const std::string& detail) {
    const auto at = Clock::now();
    last_ = at;
    if (done < done_) done = done_;  // a phase's percentage never goes back
    done_ = done;
    detail_ = detail;
    const double secs = std::chrono::duration<double>(at - phase_start_).count();
    err_ << "\r\x1b[K" << progress_line(phase_, done, total_, secs, detail) << std::flush;
    shown_ = true;
}

void Progress::clear() {
    std::lock_guard l(m_);
    clear_line();
}

void Progress::clear_line() {
    if (enabled_ && shown_) err_ << "\r\x1b[K" << std::flush;
    last_ = {};  // the next figures are drawn at once
    shown_ = false;
}

void Progress::message(const std::string& line) {
    std::lock_guard l(m_);
    clear_line();
    err_ << line << "\n";
}

}  // namespace trawl::index
