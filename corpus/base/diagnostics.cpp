// Per-record diagnostics: the one-line message format and the counting collector.
#include "corpus/base/diagnostics.hpp"

namespace trawl::corpus {

std::string format_diagnostic(const Diagnostic& d) {
    std::string out;
    if (!d.file.empty()) {
        out += d.file;
        if (d.line != 0) out += ":" + std::to_string(d.line);
        out += ": ";
    }
    out += d.severity == Severity::Skipped ? "skipped: " : "warning: ";
    out += d.reason;
    if (!d.detail.empty()) out += " (" + d.detail + ")";
    return out;
}

void Diagnostics::report(Diagnostic d) {
    std::lock_guard l(m_);  // released if the sink throws (--on-error fail)
    if (d.severity == Severity::Skipped) {
        ++skipped_;
        ++skipped_by_reason_[d.reason];
    } else {
        ++warnings_;
        ++warnings_by_reason_[d.reason];
    }
    if (sink_) sink_(d);
}

}  // namespace trawl::corpus
