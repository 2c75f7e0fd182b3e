// HTML format: one article per saved web page, read with the tokenizer of
// html_tokenizer.hpp: title from the first <h1> (else <title> without a
// " - Site" suffix), text from <article>, else <main>, else <body>, with
// page furniture dropped; date and site name from the usual meta tags.
// The page is held once; its tokens are read in two passes and never kept,
// so that memory is the page and its text whatever its markup.
#include <algorithm>
#include <cstdint>
#include <optional>

#include "corpus/base/ascii.hpp"
#include "corpus/read/article_reader.hpp"
#include "corpus/read/byte_source.hpp"
#include "corpus/read/html_tokenizer.hpp"
#include "corpus/text/date.hpp"
#include "corpus/text/normalize.hpp"

namespace trawl::corpus {
namespace {

using html::Token;

struct Range {
    std::size_t begin, end;  // token indexes [begin, end)
};

constexpr std::size_t kNone = SIZE_MAX;

// The first lines of `raw` that repair_utf8() changes: `repaired` of an
// invalid UTF-8 sequence, `controls` of a control character (0: none).
// A sequence never spans a line break, so each line is repaired on its own.
void first_repairs(std::string_view raw, std::uint64_t& repaired, std::uint64_t& controls) {
    std::uint64_t line = 1;
    for (std::size_t i = 0; i <= raw.size() && (repaired == 0 || controls == 0); ++line) {
        const std::size_t end = find_line_break(raw, i);
        const std::string_view l = raw.substr(i, end - i);
        if (needs_utf8_repair(l)) {
            bool r = false, c = false;
            repair_utf8(l, &r, &c);
            if (r && repaired == 0) repaired = line;
            if (c && controls == 0) controls = line;
        }
        if (end == raw.size()) break;
        i = after_line_break(raw, end);
    }
}

// The first non-dropped element `name` among the tokens it is shown, one at
// a time: where it starts and, counting the depth of elements of its name,
// where its end tag is.
class ElementFinder {
public:
    explicit ElementFinder(std::string_view name) : name_(name) {}

    void see(std::size_t i, const Token& t, bool dropped) {
        if (start_ == kNone) {
            if (!dropped && t.kind == Token::Start && t.name == name_) start_ = i, depth_ = 1;
        } else if (end_ == kNone && t.kind != Token::Text && t.name == name_) {
            depth_ += t.kind == Token::Start ? 1 : -1;
            if (depth_ == 0) end_ = i;
        }
    }
    bool found() const { return start_ != kNone; }
    // Token i (already seen) lies within the element, its tags excluded.
    bool inside(std::size_t i) const { return found() && i > start_ && i < end_; }
    // Its tokens, end tag excluded; up to `limit` when it does not end before.
    Range range(std::size_t limit) const { return {start_ + 1, std::min(end_, limit)}; }

private:
    std::string_view name_;
    std::size_t start_ = kNone;
    std::size_t end_ = kNone;
    long depth_ = 0;
};

const std::string* time_datetime(const Token& t) {
    return t.kind == Token::Start && t.name == "time" ? t.attr("datetime") : nullptr;
}

std::size_t word_count(std::string_view s) {
    std::size_t n = 0;
    bool in_word = false;
    for (char c : s) {
        if (c == ' ') in_word = false;
        else if (!in_word) in_word = true, ++n;
    }
    return n;
}

// "Headline - Site" / "Headline | Site" / "Headline — Site" -> "Headline" when
// the part after the last separator is the page's site name, or short enough
// (at most 4 words and 40 bytes, no more words than a headline of two or more).
std::string strip_site_suffix(const std::string& title, const std::string& site) {
    static constexpr std::string_view kSeparators[] = {" | ",  " - ",       " \xE2\x80\x93 ", " \xE2\x80\x94 ",
                                                       " :: ", " \xC2\xBB "};
    std::size_t best = std::string::npos, sep_len = 0;
    for (std::string_view sep : kSeparators) {
        const std::size_t p = title.rfind(sep);
        if (p != std::string::npos && (best == std::string::npos || p > best)) best = p, sep_len = sep.size();
    }
    if (best == std::string::npos || best == 0) return title;
    const std::string_view head = std::string_view(title).substr(0, best);
    const std::string_view tail = std::string_view(title).substr(best + sep_len);
    const bool is_site = !site.empty() && ascii_iequals(tail, site);
    const bool looks_like_site =
        word_count(tail) <= 4 && tail.size() <= 40 && word_count(head) >= 2 && word_count(tail) <= word_count(head);
    return (is_site || looks_like_site) ? std::string(head) : title;
}

class HtmlReader final : public ArticleReader {
public:
    HtmlReader(const InputPath& path, std::string id_base, Diagnostics& diag, std::size_t max_bytes)
        : src_(open_byte_source(path, &diag, CharsetDeclarations::Html)),
          id_base_(std::move(id_base)),
          diag_(diag),
          max_bytes_(max_bytes) {}

    bool next(Article& out) override {
        if (done_) return false;
        done_ = true;
        std::string raw;
        if (!read_page(raw)) return false;
        if (raw.starts_with("\xEF\xBB\xBF")) raw.erase(0, 3);
        bool repaired = false, controls = false;
        const std::string doc = repair_utf8(raw, &repaired, &controls);
        std::uint64_t repaired_line = 0, controls_line = 0;  // where (the page is one record: its lines say)
        if (repaired || controls) first_repairs(raw, repaired_line, controls_line);
        std::string().swap(raw);
        // Two passes over the tokens, none of them kept: the first finds the
        // elements (their token indexes) and the meta data, the second takes
        // the headline's and the article's text.
        std::string title_tag, site, raw_date;
        std::size_t raw_date_at = 0;  // Tokenizer::offset() after the tag the date is from
        // Where the text is: the first <article>, else <main>, else <body>
        // (else everything); each candidate's first <h1> and <time datetime>.
        struct Candidate {
            explicit Candidate(std::string_view name) : element(name) {}
            ElementFinder element;
            ElementFinder h1{"h1"};
            std::string time;
            std::size_t time_at = 0;
        } candidates[] = {Candidate("article"), Candidate("main"), Candidate("body")};
        ElementFinder h1_anywhere("h1");
        std::string time_anywhere, time_kept;  // the first <time datetime> at all, and outside furniture
        std::size_t time_anywhere_at = 0, time_kept_at = 0;
        std::size_t n = 0;  // tokens
        {
            html::Tokenizer tokens(doc);
            html::FurnitureTracker furniture;
            bool title_text_next = false;
            for (Token t; tokens.next(t); ++n) {
                const bool dropped = furniture.dropped(t);
                if (title_text_next && t.kind == Token::Text) title_tag = normalize_line(t.text);
                title_text_next = t.kind == Token::Start && t.name == "title" && title_tag.empty();
                if (t.kind == Token::Start && t.name == "meta") {
                    const std::string* prop = t.attr("property");
                    if (!prop) prop = t.attr("name");
                    const std::string* content = t.attr("content");
                    if (prop && content) {
                        if (*prop == "og:site_name" && site.empty()) site = normalize_line(*content);
                        if (*prop == "article:published_time" && raw_date.empty()) {
                            raw_date = normalize_line(*content);
                            raw_date_at = tokens.offset();
                        }
                    }
                }
                const std::string* datetime = time_datetime(t);
                for (Candidate& c : candidates) {
                    c.element.see(n, t, dropped);
                    if (!c.element.inside(n)) continue;
                    // An <article>'s own <header> holds its headline:
                    // "<article><header><h1>" took <title> instead. (A
                    // <main> may hold the site's header.)
                    c.h1.see(n, t, dropped && !(furniture.in_headers_only() && &c == &candidates[0]));
                    if (datetime && c.time.empty()) {
                        c.time = normalize_line(*datetime);
                        c.time_at = tokens.offset();
                    }
                }
                h1_anywhere.see(n, t, dropped);
                if (datetime && time_anywhere.empty()) {
                    time_anywhere = normalize_line(*datetime);
                    time_anywhere_at = tokens.offset();
                }
                if (datetime && !dropped && time_kept.empty()) {
                    time_kept = normalize_line(*datetime);
                    time_kept_at = tokens.offset();
                }
            }
        }
        Range region{0, n};
        std::optional<Range> h1;  // the first <h1> of the article, else of the page
        std::string region_time = time_anywhere;
        std::size_t region_time_at = time_anywhere_at;
        for (const Candidate& c : candidates) {
            if (!c.element.found()) continue;
            region = c.element.range(n);
            if (c.h1.found()) h1 = c.h1.range(region.end);
            region_time = c.time;
            region_time_at = c.time_at;
            break;
        }
        if (!h1 && h1_anywhere.found()) h1 = h1_anywhere.range(n);
        if (raw_date.empty()) {
            raw_date = region_time.empty() ? time_kept : region_time;
            raw_date_at = region_time.empty() ? time_kept_at : region_time_at;
        }

        std::string title, body;
        {
            html::Tokenizer tokens(doc);
            html::FurnitureTracker furniture;
            const std::size_t stop = std::max(region.end, h1 ? h1->end + 1 : 0);
            Token t;
            for (std::size_t i = 0; i < stop && tokens.next(t); ++i) {
                const bool dropped = furniture.dropped(t);
                if (h1 && i >= h1->begin && i < h1->end && t.kind == Token::Text) html::append_folded(title, t.text);
                if (dropped || i < region.begin || i >= region.end) continue;
                if (h1 && i >= h1->begin - 1 && i <= h1->end) continue;  // the headline is the title, not text
                if (t.kind == Token::Text) {
                    body += t.text;
                } else if (html::is_block(t.name)) {
                    body += "\n\n";
                } else if (t.name == "td" || t.name == "th") {
                    body += ' ';
                }
            }
        }
        title = normalize_line(title);
        if (title.empty()) title = strip_site_suffix(title_tag, site);

        Article a;
        a.id = id_base_;
        a.title = std::move(title);
        a.body = normalize_whitespace(body);
        a.date = normalize_date(raw_date);
        a.source = site.empty() ? folder_source(id_base_) : site;
        a.location = src_->path();
        if (a.body.empty() && a.title.empty()) {  // a title alone is read (indexed title-only)
            diag_.report({Severity::Skipped, a.location, 0, "empty text", ""});
            return false;
        }
        if (repaired) diag_.report({Severity::Warning, a.location, repaired_line, kInvalidUtf8Repaired, ""});
        if (controls) diag_.report({Severity::Warning, a.location, controls_line, kControlsReplaced, ""});
        if (a.date.empty() && !raw_date.empty())
            diag_.report(
                {Severity::Warning, a.location, line_number_at(doc, raw_date_at), "unparsable date", raw_date});
        out = std::move(a);
        return true;
    }

    std::uint64_t bytes_read() const override { return src_->raw_bytes_read(); }

private:
    // The whole page into `raw`; false (reported) when its first bytes are
    // binary or it is over max_bytes_ (then read to its end only to count it).
    bool read_page(std::string& raw) {
        char buf[1 << 16];
        std::uint64_t total = 0;
        bool sniffed = false;
        while (std::size_t n = src_->read(buf, sizeof buf)) {
            total += n;
            if (total > max_bytes_) {
                if (!raw.empty()) std::string().swap(raw);
                continue;
            }
            raw.append(buf, n);
            if (!sniffed && raw.size() >= kBinarySniffBytes) {
                sniffed = true;
                if (is_binary(raw)) return false;
            }
        }
        if (total > max_bytes_) {
            diag_.report(article_too_large(src_->path(), 0, total, max_bytes_));
            return false;
        }
        return sniffed || !is_binary(raw);
    }

    bool is_binary(std::string_view raw) {
        if (!looks_binary(raw.substr(0, kBinarySniffBytes))) return false;
        diag_.report({Severity::Skipped, src_->path(), 0, "binary file", ""});
        return true;
    }

    std::unique_ptr<ByteSource> src_;
    std::string id_base_;
    Diagnostics& diag_;
    std::size_t max_bytes_;
    bool done_ = false;
};

}  // namespace

std::unique_ptr<ArticleReader> open_html_reader(const InputPath& path, const std::string& id_base, Diagnostics& diag,
                                                std::size_t max_bytes) {
    return std::make_unique<HtmlReader>(path, id_base, diag, max_bytes);
}

}  // namespace trawl::corpus
