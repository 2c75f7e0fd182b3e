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

// Splits a document into tokens. Comments, doctypes and processing
// instructions vanish; the content of <script>/<style> is skipped whole and
// that of <title>/<textarea> is one Text token (raw text: no tags inside).
// A '<' that starts no tag is text.
std::vector<Token> tokenize(std::string_view doc);

// Elements whose whole content is page furniture, not article text: script,
// style, noscript, nav, header, footer, aside, form, iframe, svg, button,
// template, select, title.
bool is_furniture(std::string_view name);
// Elements that end a paragraph (p, div, br, li, h1-h6, section, blockquote, tr...).
bool is_block(std::string_view name);

// For each token, whether it lies inside a furniture element (its own tags
// included). An end tag closes the innermost open element of its name; an
// element never closed runs to the end.
std::vector<bool> furniture_mask(const std::vector<Token>& tokens);

// Appends `text` with every whitespace run folded to one space.
void append_folded(std::string& out, std::string_view text);

}  // namespace trawl::corpus::html
