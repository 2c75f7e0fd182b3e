// HTML format: one article per saved web page. A tolerant tokenizer (no DOM):
// title from the first <h1> (else <title> without a " - Site" suffix), text
// from <article>, else <main>, else <body>, with scripts, navigation and other
// page furniture dropped; date and site name from the usual meta tags.
#include <algorithm>
#include <optional>

#include "article_reader.hpp"
#include "byte_source.hpp"
#include "date.hpp"
#include "normalize.hpp"

namespace trawl::corpus {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == ':' ||
           c == '_';
}

bool iequals_at(std::string_view s, std::size_t pos, std::string_view lower_word) {
    if (pos + lower_word.size() > s.size()) return false;
    for (std::size_t i = 0; i < lower_word.size(); ++i)
        if (lower(s[pos + i]) != lower_word[i]) return false;
    return true;
}

bool one_of(std::string_view name, std::initializer_list<std::string_view> names) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

// Elements whose whole content is page furniture, not article text.
bool dropped(std::string_view name) {
    return one_of(name, {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg",
                         "button", "template", "select", "title"});
}
// Elements that end a paragraph.
bool block(std::string_view name) {
    return one_of(name, {"p",      "div",  "br",         "li",     "h1",      "h2",      "h3",   "h4",
                         "h5",     "h6",   "section",    "blockquote", "tr", "ul",      "ol",      "table",
                         "article", "main", "figure",    "figcaption", "pre", "hr",     "dd",      "dt",
                         "dl",     "address", "caption", "details", "summary", "body"});
}
// Elements that never have content or an end tag.
bool is_void(std::string_view name) {
    return one_of(name, {"br", "hr", "img", "meta", "link", "input", "wbr", "source", "area", "base", "col",
                         "embed", "param", "track"});
}

struct Token {
    enum Kind { Start, End, Text } kind;
    std::string name;  // lower-case tag name (Start/End)
    std::string text;  // Text: entity-decoded, whitespace folded to single spaces
    std::vector<std::pair<std::string, std::string>> attrs;  // Start: lower-case name, decoded value

    const std::string* attr(std::string_view n) const {
        for (const auto& [k, v] : attrs)
            if (k == n) return &v;
        return nullptr;
    }
};

// Every whitespace run becomes one space (line breaks in HTML source mean nothing).
void append_folded(std::string& out, std::string_view text) {
    for (char c : text) {
        if (is_space(c)) {
            if (out.empty() || out.back() != ' ') out += ' ';
        } else {
            out += c;
        }
    }
}

Token text_token(std::string_view raw) {
    Token t{Token::Text, {}, {}, {}};
    append_folded(t.text, decode_entities(raw));
    return t;
}

// Splits a document into start tags, end tags and text. Comments, doctypes
// and processing instructions vanish; the content of script/style (raw
// text) is skipped whole, that of title/textarea is one text token.
std::vector<Token> tokenize(std::string_view s) {
    std::vector<Token> out;
    std::size_t i = 0;
    auto emit_text = [&](std::size_t from, std::size_t to) {
        if (to > from) out.push_back(text_token(s.substr(from, to - from)));
    };
    std::size_t text_start = 0;
    while (i < s.size()) {
        if (s[i] != '<') {
            ++i;
            continue;
        }
        const std::size_t lt = i;
        if (s.compare(i, 4, "<!--") == 0) {
            emit_text(text_start, lt);
            const std::size_t end = s.find("-->", i + 4);
            i = text_start = end == std::string_view::npos ? s.size() : end + 3;
            continue;
        }
        if (i + 1 < s.size() && (s[i + 1] == '!' || s[i + 1] == '?')) {
            emit_text(text_start, lt);
            const std::size_t end = s.find('>', i);
            i = text_start = end == std::string_view::npos ? s.size() : end + 1;
            continue;
        }
        const bool end_tag = i + 1 < s.size() && s[i + 1] == '/';
        std::size_t p = i + (end_tag ? 2 : 1);
        if (p >= s.size() || !((s[p] >= 'a' && s[p] <= 'z') || (s[p] >= 'A' && s[p] <= 'Z'))) {
            ++i;  // a stray '<' in text
            continue;
        }
        emit_text(text_start, lt);
        Token tag{end_tag ? Token::End : Token::Start, {}, {}, {}};
        while (p < s.size() && is_name_char(s[p])) tag.name += lower(s[p++]);
        // Attributes up to '>' (quoted values may hold '>').
        for (;;) {
            while (p < s.size() && (is_space(s[p]) || s[p] == '/')) ++p;
            if (p >= s.size() || s[p] == '>') break;
            std::string name;
            while (p < s.size() && !is_space(s[p]) && s[p] != '=' && s[p] != '>' && s[p] != '/') name += lower(s[p++]);
            while (p < s.size() && is_space(s[p])) ++p;
            std::string value;
            if (p < s.size() && s[p] == '=') {
                ++p;
                while (p < s.size() && is_space(s[p])) ++p;
                if (p < s.size() && (s[p] == '"' || s[p] == '\'')) {
                    const char q = s[p++];
                    std::size_t end = s.find(q, p);
                    if (end == std::string_view::npos) end = s.size();
                    value = decode_entities(s.substr(p, end - p));
                    p = end + 1;
                } else {
                    const std::size_t start = p;
                    while (p < s.size() && !is_space(s[p]) && s[p] != '>') ++p;
                    value = decode_entities(s.substr(start, p - start));
                }
            }
            if (!name.empty() && !end_tag) tag.attrs.emplace_back(std::move(name), std::move(value));
        }
        i = text_start = std::min(p + 1, s.size());
        const std::string name = tag.name;
        out.push_back(std::move(tag));
        if (!end_tag && one_of(name, {"script", "style", "title", "textarea"})) {
            // Raw text up to the matching end tag.
            std::size_t end = i;
            for (;; ++end) {
                end = s.find("</", end);
                if (end == std::string_view::npos || iequals_at(s, end + 2, name)) break;
            }
            if (end == std::string_view::npos) end = s.size();
            if (name == "title" || name == "textarea") emit_text(i, end);
            out.push_back(Token{Token::End, name, {}, {}});
            const std::size_t gt = end == s.size() ? s.size() : s.find('>', end);
            i = text_start = gt == std::string_view::npos ? s.size() : gt + 1;
        }
    }
    emit_text(text_start, s.size());
    return out;
}

// Marks every token that lies inside a dropped element (the element's own
// tags included). An end tag closes the innermost open element of its name.
std::vector<bool> dropped_tokens(const std::vector<Token>& tokens) {
    std::vector<bool> out(tokens.size(), false);
    std::vector<std::string> open;  // dropped elements currently open
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const Token& t = tokens[i];
        if (t.kind == Token::Start && dropped(t.name) && !is_void(t.name)) {
            open.push_back(t.name);
            out[i] = true;
            continue;
        }
        out[i] = !open.empty();
        if (t.kind == Token::End && !open.empty()) {
            auto it = std::find(open.rbegin(), open.rend(), t.name);
            if (it != open.rend()) open.erase(std::next(it).base(), open.end());
        }
    }
    return out;
}

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
        if (tokens[i].kind == Token::Text) append_folded(out, tokens[i].text);
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

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i])) return false;
    return true;
}

// "Headline - Site" / "Headline | Site" / "Headline — Site" -> "Headline" when
// the part after the last separator is the page's site name, or short enough
// (at most 4 words and 40 bytes, no more words than a headline of two or more).
std::string strip_site_suffix(const std::string& title, const std::string& site) {
    static constexpr std::string_view kSeparators[] = {" | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " :: ", " \xC2\xBB "};
    std::size_t best = std::string::npos, sep_len = 0;
    for (std::string_view sep : kSeparators) {
        const std::size_t p = title.rfind(sep);
        if (p != std::string::npos && (best == std::string::npos || p > best)) best = p, sep_len = sep.size();
    }
    if (best == std::string::npos || best == 0) return title;
    const std::string_view head = std::string_view(title).substr(0, best);
    const std::string_view tail = std::string_view(title).substr(best + sep_len);
    const bool is_site = !site.empty() && iequals(tail, site);
    const bool looks_like_site =
        word_count(tail) <= 4 && tail.size() <= 40 && word_count(head) >= 2 && word_count(tail) <= word_count(head);
    return (is_site || looks_like_site) ? std::string(head) : title;
}

class HtmlReader final : public ArticleReader {
public:
    HtmlReader(const std::string& path, std::string id_base, Diagnostics& diag)
        : src_(open_byte_source(path)), id_base_(std::move(id_base)), diag_(diag) {}

    bool next(Article& out) override {
        if (done_) return false;
        done_ = true;
        std::string raw;
        char buf[1 << 16];
        while (std::size_t n = src_->read(buf, sizeof buf)) raw.append(buf, n);
        if (raw.starts_with("\xEF\xBB\xBF")) raw.erase(0, 3);
        bool repaired = false;
        const std::string doc = repair_utf8(raw, &repaired);
        const std::vector<Token> tokens = tokenize(doc);
        const std::vector<bool> drop = dropped_tokens(tokens);

        std::string title_tag, site, raw_date;
        const Range all{0, tokens.size()};
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            const Token& t = tokens[i];
            if (t.kind != Token::Start) continue;
            if (t.name == "title" && title_tag.empty()) {
                if (i + 1 < tokens.size() && tokens[i + 1].kind == Token::Text) title_tag = normalize_line(tokens[i + 1].text);
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
                if (!drop[i] && tokens[i].kind == Token::Start && tokens[i].name == "time" && tokens[i].attr("datetime"))
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
            } else if (block(t.name)) {
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
    std::unique_ptr<ByteSource> src_;
    std::string id_base_;
    Diagnostics& diag_;
    bool done_ = false;
};

}  // namespace

std::unique_ptr<ArticleReader> open_html_reader(const std::string& path, const std::string& id_base,
                                                Diagnostics& diag) {
    return std::make_unique<HtmlReader>(path, id_base, diag);
}

}  // namespace trawl::corpus
