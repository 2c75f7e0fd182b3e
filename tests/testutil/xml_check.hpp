// A small XML well-formedness check for the tests of generated SVG: parses a
// document into elements (name, attributes, children, text) or throws
// std::runtime_error naming the byte offset of the first fault (a tag not
// closed or closed by another, an unquoted or repeated attribute, a bare '&'
// or '<', text or a second element outside the root). DTDs are skipped, not
// validated; entities are the five predefined ones and character references.
#pragma once

#include <cctype>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace trawl::test {

struct XmlElement {
    std::string name;
    std::vector<std::pair<std::string, std::string>> attributes;
    std::vector<std::unique_ptr<XmlElement>> children;
    std::string text;  // the character data directly inside, entities decoded

    std::string attribute(std::string_view key) const {
        for (const auto& [k, v] : attributes)
            if (k == key) return v;
        return {};
    }
    // Text of this element and all its descendants, in document order.
    std::string all_text() const {
        std::string s = text;
        for (const auto& c : children) s += c->all_text();
        return s;
    }
};

class XmlParser {
public:
    explicit XmlParser(std::string_view doc) : s_(doc) {}

    std::unique_ptr<XmlElement> parse() {
        skip_misc();
        if (!peek('<')) fail("no root element");
        auto root = element();
        skip_misc();
        if (i_ != s_.size()) fail("content after the root element");
        return root;
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw std::runtime_error("XML error at byte " + std::to_string(i_) + ": " + what);
    }
    bool peek(std::string_view t) const { return s_.substr(i_, t.size()) == t; }
    bool peek(char c) const { return i_ < s_.size() && s_[i_] == c; }
    void expect(std::string_view t) {
        if (!peek(t)) fail("expected '" + std::string(t) + "'");
        i_ += t.size();
    }
    void skip_space() {
        while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
    }
    void skip_past(std::string_view end) {
        const auto at = s_.find(end, i_);
        if (at == std::string_view::npos) fail("unterminated construct, missing '" + std::string(end) + "'");
        i_ = at + end.size();
    }
    // Whitespace, comments, processing instructions and a DOCTYPE (with an
    // internal subset in brackets) around the root.
    void skip_misc() {
        for (;;) {
            skip_space();
            if (peek("<!--")) skip_past("-->");
            else if (peek("<?")) skip_past("?>");
            else if (peek("<!DOCTYPE")) {
                for (int depth = 0; i_ < s_.size(); ++i_) {
                    if (s_[i_] == '[') ++depth;
                    else if (s_[i_] == ']') --depth;
                    else if (s_[i_] == '>' && depth == 0) break;
                }
                expect(">");
            } else return;
        }
    }
    static bool name_char(char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == ':' || c == '-' || c == '.' ||
               static_cast<unsigned char>(c) >= 0x80;
    }
    std::string name() {
        const auto start = i_;
        if (i_ >= s_.size() || !name_char(s_[i_]) || s_[i_] == '-' || s_[i_] == '.' ||
            std::isdigit(static_cast<unsigned char>(s_[i_])))
            fail("expected a name");
        while (i_ < s_.size() && name_char(s_[i_])) ++i_;
        return std::string(s_.substr(start, i_ - start));
    }
    // Character data up to the next '<' (or `quote` in an attribute value), entities decoded.
    std::string chars(char stop) {
        std::string out;
        while (i_ < s_.size() && s_[i_] != stop) {
            const char c = s_[i_];
            if (c == '<') fail("'<' inside an attribute value");
            if (c != '&') {
                out += c;
                ++i_;
                continue;
            }
            const auto semi = s_.find(';', i_);
            if (semi == std::string_view::npos || semi - i_ > 10) fail("bare '&'");
            const auto ref = s_.substr(i_ + 1, semi - i_ - 1);
            if (ref == "amp") out += '&';
            else if (ref == "lt") out += '<';
            else if (ref == "gt") out += '>';
            else if (ref == "quot") out += '"';
            else if (ref == "apos") out += '\'';
            else if (ref.size() > 1 && ref[0] == '#') {
                const bool hex = ref[1] == 'x';
                const auto digits = std::string(ref.substr(hex ? 2 : 1));
                if (digits.empty() ||
                    digits.find_first_not_of(hex ? "0123456789abcdefABCDEF" : "0123456789") != std::string::npos)
                    fail("bad character reference");
                append_utf8(out, std::stoul(digits, nullptr, hex ? 16 : 10));
            } else fail("unknown entity '&" + std::string(ref) + ";'");
            i_ = semi + 1;
        }
        return out;
    }
    static void append_utf8(std::string& out, unsigned long cp) {
        if (cp < 0x80) out += char(cp);
        else if (cp < 0x800) out += {char(0xC0 | cp >> 6), char(0x80 | (cp & 0x3F))};
        else if (cp < 0x10000) out += {char(0xE0 | cp >> 12), char(0x80 | (cp >> 6 & 0x3F)), char(0x80 | (cp & 0x3F))};
        else
            out += {char(0xF0 | cp >> 18), char(0x80 | (cp >> 12 & 0x3F)), char(0x80 | (cp >> 6 & 0x3F)),
                    char(0x80 | (cp & 0x3F))};
    }
    std::unique_ptr<XmlElement> element() {
        auto e = std::make_unique<XmlElement>();
        expect("<");
        e->name = name();
        for (;;) {
            const bool spaced = i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]));
            skip_space();
            if (peek("/>")) {
                i_ += 2;
                return e;
            }
            if (peek('>')) {
                ++i_;
                break;
            }
            if (!spaced) fail("expected whitespace before an attribute");
            auto key = name();
            for (const auto& [k, v] : e->attributes)
                if (k == key) fail("attribute '" + key + "' repeated");
            skip_space();
            expect("=");
            skip_space();
            if (!peek('"') && !peek('\'')) fail("attribute '" + key + "' not quoted");
            const char q = s_[i_++];
            auto value = chars(q);
            expect(std::string_view(&q, 1));
            e->attributes.emplace_back(std::move(key), std::move(value));
        }
        for (;;) {
            if (i_ >= s_.size()) fail("element <" + e->name + "> not closed");
            if (peek("</")) {
                i_ += 2;
                if (name() != e->name) fail("</...> does not close <" + e->name + ">");
                skip_space();
                expect(">");
                return e;
            }
            if (peek("<!--")) skip_past("-->");
            else if (peek("<![CDATA[")) {
                const auto start = i_ + 9;
                skip_past("]]>");
                e->text += s_.substr(start, i_ - 3 - start);
            } else if (peek("<?")) skip_past("?>");
            else if (peek('<')) e->children.push_back(element());
            else e->text += chars('<');
        }
    }

    std::string_view s_;
    std::size_t i_ = 0;
};

// Parses `doc`; throws std::runtime_error when it is not well-formed XML.
inline std::unique_ptr<XmlElement> parse_xml(std::string_view doc) { return XmlParser(doc).parse(); }

}  // namespace trawl::test
