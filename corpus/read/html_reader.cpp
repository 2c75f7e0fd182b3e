// HTML format: one article per saved web page, read with the tokenizer of
// html_tokenizer.hpp: title from the first <h1> (else <title> without a
// " - Site" suffix), text from <article>, else <main>, else <body>, with
// page furniture dropped; date and site name from the usual meta tags.
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

// The first non-dropped element `name`: its tokens, end tag excluded (to the
// end of the document when it is never closed).
std::optional<Range> find_element(const std::vector<Token>& tokens, const std::vector<bool>& drop,
                                  std::string_view name, Range within) {
    for (std::size_t i = within.begin; i < within.end; ++i) {
        if (drop[i] || tokens[i].kind != Token::Start || tokens[i].name != name) continue;
        int depth = 0;
        for (std::size_t j = i; j < within.end; ++j) {
            if (tokens[j].name != name || tokens[j].kind == Token::Text) continue;
            depth += tokens[j].kind == Token::Start ? 1 : -1;
            if (depth == 0) return Range{i + 1, j};
        }
        return Range{i + 1, within.end};
    }
    return std::nullopt;
}

std::string text_of(const std::vector<Token>& tokens, Range r) {
    std::string out;
    for (std::size_t i = r.begin; i < r.end; ++i)
        if (tokens[i].kind == Token::Text) html::append_folded(out, tokens[i].text);
    return normalize_line(out);
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
    HtmlReader(const std::string& path, std::string id_base, Diagnostics& diag, std::size_t max_bytes)
        : src_(open_byte_source(path, &diag)), id_base_(std::move(id_base)), diag_(diag), max_bytes_(max_bytes) {}

    bool next(Article& out) override {
        if (done_) return false;
        done_ = true;
        std::string raw;
        if (!read_page(raw)) return false;
        if (raw.starts_with("\xEF\xBB\xBF")) raw.erase(0, 3);
        bool repaired = false;
        const std::string doc = repair_utf8(raw, &repaired);
        std::string().swap(raw);
        const std::vector<Token> tokens = html::tokenize(doc);
        const std::vector<bool> drop = html::furniture_mask(tokens);

        std::string title_tag, site, raw_date;
        const Range all{0, tokens.size()};
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            const Token& t = tokens[i];
            if (t.kind != Token::Start) continue;
            if (t.name == "title" && title_tag.empty()) {
                if (i + 1 < tokens.size() && tokens[i + 1].kind == Token::Text)
                    title_tag = normalize_line(tokens[i + 1].text);
            } else if (t.name == "meta") {
                const std::string* prop = t.attr("property");
                if (!prop) prop = t.attr("name");
                const std::string* content = t.attr("content");
                if (!prop || !content) continue;
                if (*prop == "og:site_name" && site.empty()) site = normalize_line(*content);
                if (*prop == "article:published_time" && raw_date.empty()) raw_date = normalize_line(*content);
            }
        }
        // The article text: <article>, else <main>, else <body>, else everything.
        Range region = all;
        for (std::string_view name : {"article", "main", "body"}) {
            if (auto r = find_element(tokens, drop, name, all)) {
                region = *r;
                break;
            }
        }
        if (raw_date.empty()) {
            for (std::size_t i = region.begin; i < region.end && raw_date.empty(); ++i)
                if (tokens[i].kind == Token::Start && tokens[i].name == "time" && tokens[i].attr("datetime"))
                    raw_date = normalize_line(*tokens[i].attr("datetime"));
            for (std::size_t i = 0; i < tokens.size() && raw_date.empty(); ++i)
                if (!drop[i] && tokens[i].kind == Token::Start && tokens[i].name == "time" &&
                    tokens[i].attr("datetime"))
                    raw_date = normalize_line(*tokens[i].attr("datetime"));
        }
        // The headline: the first <h1> of the article, else of the page.
        std::optional<Range> h1 = find_element(tokens, drop, "h1", region);
        if (!h1) h1 = find_element(tokens, drop, "h1", all);
        std::string title = h1 ? text_of(tokens, *h1) : std::string();
        if (title.empty()) title = strip_site_suffix(title_tag, site);

        std::string body;
        for (std::size_t i = region.begin; i < region.end; ++i) {
            if (drop[i]) continue;
            if (h1 && i >= h1->begin - 1 && i <= h1->end) continue;  // the headline is the title, not text
            const Token& t = tokens[i];
            if (t.kind == Token::Text) {
                body += t.text;
            } else if (html::is_block(t.name)) {
                body += "\n\n";
            } else if (t.name == "td" || t.name == "th") {
                body += ' ';
            }
        }

        Article a;
        a.id = id_base_;
        a.title = std::move(title);
        a.body = normalize_whitespace(body);
        a.date = normalize_date(raw_date);
        a.source = site.empty() ? folder_source(id_base_) : site;
        a.location = src_->path();
        if (a.body.empty()) {
            diag_.report({Severity::Skipped, a.location, 0, "empty text", a.title.empty() ? "" : "title only"});
            return false;
        }
        if (repaired) diag_.report({Severity::Warning, a.location, 0, "invalid UTF-8 repaired", ""});
        if (a.date.empty() && !raw_date.empty())
            diag_.report({Severity::Warning, a.location, 0, "unparsable date", raw_date});
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

std::unique_ptr<ArticleReader> open_html_reader(const std::string& path, const std::string& id_base, Diagnostics& diag,
                                                std::size_t max_bytes) {
    return std::make_unique<HtmlReader>(path, id_base, diag, max_bytes);
}

}  // namespace trawl::corpus
