// Per-record problems found while reading a corpus: a value, not an exception.
// Readers report them here and go on; the indexer counts and prints them.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "corpus/base/error.hpp"

namespace trawl::corpus {

enum class Severity {
    Warning,  // the record was kept (e.g. invalid UTF-8 repaired)
    Skipped,  // the record was dropped (e.g. malformed JSON, no text)
};

struct Diagnostic {
    Severity severity;
    std::string file;
    std::uint64_t line;  // 1-based, 0 when unknown
    std::string reason;  // short, stable, used as a counting key: "invalid JSON", "empty text"
    std::string detail;  // free text for the message, may be empty
};

// "file:line: skipped: reason (detail)" — the one-line message format. The
// file name and detail come from the data (a file named "a\nb.txt", an id
// holding a line break or a terminal's escape): their control bytes are
// written \xHH (one_line(), error.hpp), so that a message is one line, and inert.
// Without `severity`, "file:line: reason (detail)".
std::string format_diagnostic(const Diagnostic& d, bool severity = true);

// Collects diagnostics: counts by severity+reason, forwards each to an optional sink.
// report() may be called from several threads at once (the indexing job's
// reading thread and its workers report into one): reports are counted and
// forwarded one at a time, so the sink never runs concurrently with itself.
// The sink runs with the lock held: it must not report into this object.
class Diagnostics {
public:
    using Sink = std::function<void(const Diagnostic&)>;
    explicit Diagnostics(Sink sink = {}) : sink_(std::move(sink)) {}

    void report(Diagnostic d);
    std::uint64_t skipped() const {
        std::lock_guard l(m_);
        return skipped_;
    }
    std::uint64_t warnings() const {
        std::lock_guard l(m_);
        return warnings_;
    }
    // reason -> count, for Severity::Skipped and Severity::Warning separately
    // (read them once the reporting threads are done).
    const std::map<std::string, std::uint64_t>& skipped_by_reason() const { return skipped_by_reason_; }
    const std::map<std::string, std::uint64_t>& warnings_by_reason() const { return warnings_by_reason_; }

private:
    mutable std::mutex m_;
    Sink sink_;
    std::uint64_t skipped_ = 0;
    std::uint64_t warnings_ = 0;
    std::map<std::string, std::uint64_t> skipped_by_reason_;
    std::map<std::string, std::uint64_t> warnings_by_reason_;
};

}  // namespace trawl::corpus
