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

}  // namespace

// Elements whose whole content is page furniture, not article text.
bool is_furniture(std::string_view name) {
    return one_of(name, {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg",
                         "button", "template", "select", "title"});
}

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
        i = text_start = std::min(p + 1, s.size());
        const std::string name = tag.name;
        out.push_back(std::move(tag));
        if (!end_tag && one_of(name, {"script", "style", "title", "textarea"})) {
            // Raw text up to the matching end tag.
            std::size_t end = i;
            for (;; ++end) {
                end = s.find("</", end);
                if (end == std::string_view::npos || ascii_iequals_at(s, end + 2, name)) break;
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
std::vector<bool> furniture_mask(const std::vector<Token>& tokens) {
    std::vector<bool> out(tokens.size(), false);
    std::vector<std::string> open;  // dropped elements currently open
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const Token& t = tokens[i];
        if (t.kind == Token::Start && is_furniture(t.name) && !is_void(t.name)) {
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

}  // namespace trawl::corpus::html
