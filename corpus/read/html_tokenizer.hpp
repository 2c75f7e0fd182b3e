// A tolerant HTML tokenizer (pure): start tags with attributes, end tags and
// text, never a tree. Enough to pick a page's headline, article element and
// meta tags without an HTML library; malformed markup degrades to text.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace trawl::corpus::html {

struct Token {
    enum Kind { Start, End, Text } kind;
    std::string name;                                        // lower-case tag name (Start/End)
    std::string text;                                        // Text: entities decoded, every whitespace run one space
    std::vector<std::pair<std::string, std::string>> attrs;  // Start: lower-case name, decoded value

    const std::string* attr(std::string_view n) const {
        for (const auto& [k, v] : attrs)
            if (k == n) return &v;
        return nullptr;
    }
};

// Splits a document into tokens, one at a time: what a reader keeps of a
// page is its own choice, never a vector of every token (a tag-dense page
// has a token every few bytes, each of them about 100 bytes in memory).
// Comments, doctypes and processing instructions vanish; the content of
// <script>/<style> is skipped whole and that of <title>/<textarea> is one
// Text token (raw text: no tags inside). A '<' that starts no tag is text.
class Tokenizer {
public:
    explicit Tokenizer(std::string_view doc) : s_(doc) {}
    // The next token into `t` (its strings' memory reused); false at the end.
    bool next(Token& t);
    // How far the document has been scanned: just past the last token
    // next() gave when that is a tag other than <script>, <style>, <title> or
    // <textarea> (a <meta>'s or <time>'s line: count the newlines before it).
    std::size_t offset() const { return i_; }

private:
    void scan();  // makes the next tokens pending, none at the end
    std::string_view s_;
    std::size_t i_ = 0;
    std::size_t text_start_ = 0;
    bool ended_ = false;
    std::vector<Token> pending_;  // at most the text before a tag, the tag, a raw text and its end tag
    std::size_t next_ = 0;        // of pending_
};

// Every token of `doc` (the Tokenizer's, in a vector: for tests and small documents).
std::vector<Token> tokenize(std::string_view doc);

// Elements whose whole content is page furniture, not article text: script,
// style, noscript, nav, header, footer, aside, form, iframe, svg, button,
// template, select, title.
bool is_furniture(std::string_view name);
// Elements that end a paragraph (p, div, br, li, h1-h6, section, blockquote, tr...).
bool is_block(std::string_view name);

// Whether each token, given in order, lies inside a furniture element (its
// own tags included). An end tag closes the innermost open element of its
// name; an element never closed runs to the end. One byte per open element.
class FurnitureTracker {
public:
    bool dropped(const Token& t);
    // After dropped(): the furniture elements open are <header>s only (an
    // article's own header holds its headline).
    bool in_headers_only() const;

private:
    std::vector<unsigned char> open_;  // furniture elements open, innermost last (indexes into the names)
};

// FurnitureTracker's answer for each token.
std::vector<bool> furniture_mask(const std::vector<Token>& tokens);

// Appends `text` with every whitespace run folded to one space.
void append_folded(std::string& out, std::string_view text);

}  // namespace trawl::corpus::html
