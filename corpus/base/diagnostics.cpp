// Per-record diagnostics: the one-line message format and the counting collector.
#include "corpus/base/diagnostics.hpp"

namespace trawl::corpus {

std::string one_line(std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(text.size());
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 0x20 && c != 0x7F) {
            out += ch;
            continue;
        }
        out += "\\x";
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
    return out;
}

std::string format_diagnostic(const Diagnostic& d, bool severity) {
    std::string out;
    if (!d.file.empty()) {
        out += one_line(d.file);
        if (d.line != 0) out += ":" + std::to_string(d.line);
        out += ": ";
    }
    if (severity) out += d.severity == Severity::Skipped ? "skipped: " : "warning: ";
    out += d.reason;
    if (!d.detail.empty()) out += " (" + one_line(d.detail) + ")";
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
