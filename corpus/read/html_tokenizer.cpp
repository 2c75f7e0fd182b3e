// The tolerant HTML tokenizer (see html_tokenizer.hpp).
#include "corpus/read/html_tokenizer.hpp"

#include <algorithm>

#include "corpus/base/ascii.hpp"
#include "corpus/text/normalize.hpp"

namespace trawl::corpus::html {
namespace {

// HTML's ASCII whitespace (WHATWG Infra): is_ascii_space() without \v, which
// HTML reads as text (in a tag, part of a name or value).
bool is_html_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool is_name_char(char c) { return is_ascii_alpha(c) || is_ascii_digit(c) || c == '-' || c == ':' || c == '_'; }

bool one_of(std::string_view name, std::initializer_list<std::string_view> names) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

// Elements that never have content or an end tag.
bool is_void(std::string_view name) {
    return one_of(name, {"br", "hr", "img", "meta", "link", "input", "wbr", "source", "area", "base", "col", "embed",
                         "param", "track"});
}

Token text_token(std::string_view raw) {
    Token t{Token::Text, {}, {}, {}};
    append_folded(t.text, decode_entities(raw));
    return t;
}

// Elements whose whole content is page furniture, not article text.
constexpr std::string_view kFurniture[] = {"script", "style",  "noscript", "nav",    "header",   "footer", "aside",
                                           "form",   "iframe", "svg",      "button", "template", "select", "title"};

// The index of `name` in kFurniture, or -1.
int furniture_index(std::string_view name) {
    const auto* it = std::find(std::begin(kFurniture), std::end(kFurniture), name);
    return it == std::end(kFurniture) ? -1 : static_cast<int>(it - std::begin(kFurniture));
}

}  // namespace

bool is_furniture(std::string_view name) { return furniture_index(name) >= 0; }

// Elements that end a paragraph.
bool is_block(std::string_view name) {
    return one_of(name,
                  {"p",       "div",        "br", "li", "h1", "h2",      "h3",      "h4",      "h5",      "h6",
                   "section", "blockquote", "tr", "ul", "ol", "table",   "article", "main",    "figure",  "figcaption",
                   "pre",     "hr",         "dd", "dt", "dl", "address", "caption", "details", "summary", "body"});
}

// Every whitespace run becomes one space (line breaks in HTML source mean nothing).
void append_folded(std::string& out, std::string_view text) {
    for (char c : text) {
        if (is_html_space(c)) {
            if (out.empty() || out.back() != ' ') out += ' ';
        } else {
            out += c;
        }
    }
}

// Splits a document into start tags, end tags and text, a few tokens at a
// time. Comments, doctypes and processing instructions vanish; the content
// of script/style (raw text) is skipped whole, that of title/textarea is one
// text token.
bool Tokenizer::next(Token& t) {
    if (next_ == pending_.size()) {
        pending_.clear();
        next_ = 0;
        scan();
        if (pending_.empty()) return false;
    }
    t = std::move(pending_[next_++]);
    return true;
}

void Tokenizer::scan() {
    const std::string_view s = s_;
    auto emit_text = [&](std::size_t from, std::size_t to) {
        if (to > from) pending_.push_back(text_token(s.substr(from, to - from)));
    };
    while (pending_.empty() && i_ < s.size()) {
        std::size_t& i = i_;
        if (s[i] != '<') {
            i = std::min(s.find('<', i), s.size());
            continue;
        }
        const std::size_t lt = i;
        if (s.compare(i, 4, "<!--") == 0) {
            emit_text(text_start_, lt);
            const std::size_t end = s.find("-->", i + 4);
            i = text_start_ = end == std::string_view::npos ? s.size() : end + 3;
            continue;
        }
        if (i + 1 < s.size() && (s[i + 1] == '!' || s[i + 1] == '?')) {
            emit_text(text_start_, lt);
            const std::size_t end = s.find('>', i);
            i = text_start_ = end == std::string_view::npos ? s.size() : end + 1;
            continue;
        }
        const bool end_tag = i + 1 < s.size() && s[i + 1] == '/';
        std::size_t p = i + (end_tag ? 2 : 1);
        if (p >= s.size() || !((s[p] >= 'a' && s[p] <= 'z') || (s[p] >= 'A' && s[p] <= 'Z'))) {
            ++i;  // a stray '<' in text
            continue;
        }
        emit_text(text_start_, lt);
        Token tag{end_tag ? Token::End : Token::Start, {}, {}, {}};
        while (p < s.size() && is_name_char(s[p])) tag.name += ascii_lower(s[p++]);
        // Attributes up to '>' (quoted values may hold '>').
        for (;;) {
            while (p < s.size() && (is_html_space(s[p]) || s[p] == '/')) ++p;
            if (p >= s.size() || s[p] == '>') break;
            std::string name;
            while (p < s.size() && !is_html_space(s[p]) && s[p] != '=' && s[p] != '>' && s[p] != '/')
                name += ascii_lower(s[p++]);
            while (p < s.size() && is_html_space(s[p])) ++p;
            std::string value;
            if (p < s.size() && s[p] == '=') {
                ++p;
                while (p < s.size() && is_html_space(s[p])) ++p;
                if (p < s.size() && (s[p] == '"' || s[p] == '\'')) {
                    const char q = s[p++];
                    std::size_t end = s.find(q, p);
                    if (end == std::string_view::npos) end = s.size();
                    value = decode_entities(s.substr(p, end - p));
                    p = end + 1;
                } else {
                    const std::size_t start = p;
                    while (p < s.size() && !is_html_space(s[p]) && s[p] != '>') ++p;
                    value = decode_entities(s.substr(start, p - start));
                }
            }
            if (!name.empty() && !end_tag) tag.attrs.emplace_back(std::move(name), std::move(value));
        }
        i = text_start_ = std::min(p + 1, s.size());
        const std::string name = tag.name;
        pending_.push_back(std::move(tag));
        if (!end_tag && one_of(name, {"script", "style", "title", "textarea"})) {
            // Raw text up to the matching end tag.
            std::size_t end = i;
            for (;; ++end) {
                end = s.find("</", end);
                if (end == std::string_view::npos || ascii_iequals_at(s, end + 2, name)) break;
            }
            if (end == std::string_view::npos) end = s.size();
            if (name == "title" || name == "textarea") emit_text(i, end);
            pending_.push_back(Token{Token::End, name, {}, {}});
            const std::size_t gt = end == s.size() ? s.size() : s.find('>', end);
            i = text_start_ = gt == std::string_view::npos ? s.size() : gt + 1;
        }
    }
    if (pending_.empty() && !ended_) {
        ended_ = true;
        emit_text(text_start_, s.size());
    }
}

std::vector<Token> tokenize(std::string_view doc) {
    std::vector<Token> out;
    Tokenizer tokenizer(doc);
    for (Token t; tokenizer.next(t);) out.push_back(std::move(t));
    return out;
}

bool FurnitureTracker::in_headers_only() const {
    static const auto header = static_cast<unsigned char>(furniture_index("header"));
    return !open_.empty() && std::all_of(open_.begin(), open_.end(), [](unsigned char k) { return k == header; });
}

// An end tag closes the innermost open furniture element of its name.
bool FurnitureTracker::dropped(const Token& t) {
    if (t.kind == Token::Start && !is_void(t.name)) {
        if (const int k = furniture_index(t.name); k >= 0) {
            open_.push_back(static_cast<unsigned char>(k));
            return true;
        }
    }
    const bool inside = !open_.empty();
    if (t.kind == Token::End && inside) {
        if (const int k = furniture_index(t.name); k >= 0) {
            const auto it = std::find(open_.rbegin(), open_.rend(), static_cast<unsigned char>(k));
            if (it != open_.rend()) open_.erase(std::next(it).base(), open_.end());
        }
    }
    return inside;
}

std::vector<bool> furniture_mask(const std::vector<Token>& tokens) {
    std::vector<bool> out;
    out.reserve(tokens.size());
    FurnitureTracker tracker;
    for (const Token& t : tokens) out.push_back(tracker.dropped(t));
    return out;
}

}  // namespace trawl::corpus::html
