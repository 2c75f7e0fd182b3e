// Text for people: three compact lines per hit (layout in printer.hpp),
// ANSI bold/red only when asked for, control characters never passed through.
#include <cstdio>
#include <string>

#include "printer_detail.hpp"

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

class TextPrinter final : public ResultPrinter {
public:
    TextPrinter(std::ostream& out, PrinterOptions opts) : out_(out), opts_(std::move(opts)) {}

    void print(const ResultSet& results) override {
        for (const Hit& hit : results.hits) {
            if (printed_any_) out_ << '\n';
            print_hit(hit);
            printed_any_ = true;
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
            out_ << std::string_view(text).substr(at, b - at) << kHighlight
                 << std::string_view(text).substr(b, e - b) << kReset;
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
