// Text for people: three compact lines per hit (layout in printer.hpp),
// ANSI bold/red only when asked for, control characters never passed through.
#include <cstdio>
#include <string>

#include "query/printer_detail.hpp"
#include "query/summary_text.hpp"

namespace trawl::query::detail {
namespace {

constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kHighlight = "\x1b[1;31m";
constexpr std::string_view kReset = "\x1b[0m";

// Same length as `s`, with C0/C1 control characters and DEL as spaces, so a
// passage cannot move the cursor or inject escapes, and byte offsets still hold.
std::string sanitize(std::string_view s) {
    std::string out(s);
    for (std::size_t i = 0; i < out.size(); ++i) {
        const auto c = static_cast<unsigned char>(out[i]);
        if (c < 0x20 || c == 0x7F) {
            out[i] = ' ';
        } else if (c == 0xC2 && i + 1 < out.size() && static_cast<unsigned char>(out[i + 1]) >= 0x80 &&
                   static_cast<unsigned char>(out[i + 1]) <= 0x9F) {
            out[i] = out[i + 1] = ' ';
            ++i;
        }
    }
    return out;
}

// The chart's lines with control characters of the data (a source name) as spaces.
std::string sanitize_lines(const std::string& chart) {
    std::string out;
    std::size_t at = 0;
    for (auto nl = chart.find('\n'); nl != std::string::npos; at = nl + 1, nl = chart.find('\n', at))
        out += sanitize(std::string_view(chart).substr(at, nl - at)) + "\n";
    return out;
}

// "month" for "1987-03" labels, "year" for "1987".
const char* timeline_unit(const Histogram& h) { return !h.empty() && h.front().first.size() > 4 ? "month" : "year"; }

// "score 12.346 = oil 5.123 + prices 7.223 + proximity 0.000": the parts
// --explain found; the proximity share is the rest, shown when there is one.
std::string explain_line(const Hit& hit) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "score %.3f =", hit.score);
    std::string line = buf;
    double sum = 0;
    const char* plus = " ";
    for (const auto& p : hit.explanation) {
        std::snprintf(buf, sizeof buf, "%.3f", p.score);
        line += plus + p.term + " " + buf;
        plus = " + ";
        sum += p.score;
    }
    if (const double rest = hit.score - sum; rest > 5e-4 || rest < -5e-4 || hit.explanation.empty()) {
        std::snprintf(buf, sizeof buf, "%.3f", rest);
        line += plus + std::string("proximity ") + buf;
    }
    return line;
}

class TextPrinter final : public ResultPrinter {
public:
    TextPrinter(std::ostream& out, PrinterOptions opts) : out_(out), opts_(std::move(opts)) {}

    void print(const ResultSet& results) override {
        const Summary& s = results.summary;
        if (printed_any_) out_ << '\n';
        printed_any_ = true;
        if (opts_.query_header)
            out_ << "query " << sanitize(results.query_id) << ": " << sanitize(results.query) << '\n';
        out_ << count_line(s) << '\n';
        if (!s.suggestion.empty()) out_ << "did you mean: " << sanitize(s.suggestion) << '\n';
        for (const Hit& hit : results.hits) {
            out_ << '\n';
            print_hit(hit);
        }
        if (s.timeline_asked)
            out_ << "\nmatching articles per " << timeline_unit(s.timeline) << ":\n" << bar_chart(s.timeline);
        if (s.sources_asked) {
            Histogram sources;  // by name, as the hits show it
            for (const auto& row : s.sources)
                sources.emplace_back(row.key == kNoSource ? "(no source)" : row.name, row.articles);
            out_ << "\nmatching articles per source:\n" << sanitize_lines(bar_chart(sources));
        }
        out_.flush();
    }

private:
    void print_hit(const Hit& hit) {
        char head[64];
        std::snprintf(head, sizeof head, "%2u. %.3f  ", static_cast<unsigned>(hit.rank), hit.score);
        out_ << head;
        if (!hit.title.empty()) {
            if (opts_.color) out_ << kBold;
            out_ << sanitize(hit.title);
            if (opts_.color) out_ << kReset;
            out_ << "  ";
        }
        out_ << '[' << sanitize(hit.passage_id) << ']';
        if (hit.collapsed > 0)
            out_ << "  (+" << hit.collapsed << " more passage" << (hit.collapsed == 1 ? "" : "s") << ')';
        out_ << '\n';

        std::string where;
        for (const std::string* part : {&hit.location, &hit.date, &hit.source}) {
            if (part->empty()) continue;
            if (!where.empty()) where += " · ";
            where += *part;
        }
        if (!where.empty()) out_ << "    " << sanitize(where) << '\n';

        if (!hit.snippet.text.empty()) {
            out_ << "    ";
            print_snippet(hit.snippet);
            out_ << '\n';
        }
        if (hit.explained) out_ << "    " << sanitize(explain_line(hit)) << '\n';
    }

    void print_snippet(const Snippet& snippet) {
        const std::string text = sanitize(snippet.text);
        if (!opts_.color) {
            out_ << text;
            return;
        }
        std::size_t at = 0;
        for (auto [b, e] : snippet.highlights) {
            if (b < at || e < b || e > text.size()) continue;  // malformed: print plain
            out_ << std::string_view(text).substr(at, b - at) << kHighlight << std::string_view(text).substr(b, e - b)
                 << kReset;
            at = e;
        }
        out_ << std::string_view(text).substr(at);
    }

    std::ostream& out_;
    PrinterOptions opts_;
    bool printed_any_ = false;
};

}  // namespace

std::unique_ptr<ResultPrinter> make_text_printer(std::ostream& out, PrinterOptions opts) {
    return std::make_unique<TextPrinter>(out, std::move(opts));
}

}  // namespace trawl::query::detail
