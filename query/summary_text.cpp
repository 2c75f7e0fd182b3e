// The text lines of a Summary: the count line every text result starts with,
// the suggestion, and the timeline and source charts printed under the hits.
#include "query/summary_text.hpp"

#include <algorithm>
#include <cstdio>

#include "corpus/base/counted.hpp"

namespace trawl::query {
namespace {

// "about 20 passages", "1 article".
std::string about(const Count& c, std::string_view one) {
    return (c.exact() ? "" : "about ") + counted(c.estimate, one);
}

std::string range(const Count& c) { return std::to_string(c.lower) + "–" + std::to_string(c.upper); }

}  // namespace

std::string count_line(const Summary& s) {
    char ms[32];
    std::snprintf(ms, sizeof ms, "%.1f ms", s.ms);
    std::string line = about(s.passages, "passage") + " in " + about(s.articles, "article") + " (" + ms;
    if (!s.passages.exact()) line += "; passages " + range(s.passages);
    if (!s.articles.exact()) line += (s.passages.exact() ? "; " : ", ") + std::string("articles ") + range(s.articles);
    return line + ")";
}

std::string bar_chart(const Histogram& h, std::size_t width) {
    static constexpr const char* kEighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
    std::uint64_t top = 0;
    std::size_t label = 0, digits = 1;
    for (const auto& [name, n] : h) {
        top = std::max(top, n);
        label = std::max(label, name.size());
        digits = std::max(digits, std::to_string(n).size());
    }
    std::string out;
    for (const auto& [name, n] : h) {
        const std::uint64_t eighths = top == 0 ? 0 : (n * width * 8 + top - 1) / top;  // a non-zero count shows
        std::string bar;
        for (std::uint64_t i = 0; i < eighths / 8; ++i) bar += "█";
        bar += kEighths[eighths % 8];
        const std::string count = std::to_string(n);
        out += "  " + name + std::string(label - name.size(), ' ') + "  " + std::string(digits - count.size(), ' ') +
               count + "  " + bar + "\n";
    }
    return out;
}

}  // namespace trawl::query
