// Declared character sets (pure): where a page or an XML document says what
// it is written in, what Trawl makes of the name, and an incremental decoder
// from that charset to UTF-8 (glibc's iconv), fed a buffer at a time like
// the UTF-16 one (utf16.hpp), so that a file is converted as it is read.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "corpus/text/normalize.hpp"

namespace trawl::corpus {

// Which declarations a format has: none (text, JSON, CSV), an XML
// declaration at the start (<?xml version="1.0" encoding="koi8-r"?>: SGML,
// Wikipedia extracts), or that and the HTML standard's <meta> prescan.
enum class CharsetDeclarations { None, Xml, Html };

// How many bytes at the start of a file are searched for a declaration (the
// HTML standard's prescan looks at 1024).
constexpr std::size_t kCharsetPrescanBytes = 1024;

struct CharsetDeclaration {
    std::string label;   // as written, trimmed: "ISO-8859-2", "windows-1251"
    std::uint64_t line;  // 1-based line of `head` where it is declared
};

// The charset `head` (a file's first bytes) declares: an XML declaration's
// encoding at its start, or (Html) the first <meta charset="..."> or <meta
// http-equiv="Content-Type" content="...; charset=..."> outside comments,
// within its first kCharsetPrescanBytes. None when it declares none.
std::optional<CharsetDeclaration> find_charset_declaration(std::string_view head, CharsetDeclarations kind);

// What a declared label means to Trawl, with the HTML standard's aliases
// (iso-8859-1 and ascii are windows-1252, shift_jis is windows-31j...).
struct Charset {
    enum Kind {
        Detected,     // UTF-8 (and its labels; UTF-16's in an ASCII page too):
                      // what Trawl's own detection reads, UTF-8 else windows-1252
        Windows1252,  // windows-1252 and its labels (iso-8859-1, us-ascii...): read
                      // as Detected (each run of valid UTF-8 as UTF-8: pages so
                      // declared are often UTF-8 in part), but a byte read as
                      // windows-1252 is then what the text declares, not a repair
        Decoded,      // another ASCII-compatible charset iconv knows: decoded to UTF-8
        Unknown,      // a name iconv does not know, or one that is not ASCII-compatible
    } kind;
    std::string iconv_name;  // Decoded: the name given to iconv_open
};
Charset resolve_charset(std::string_view label);

// Decodes text in a Decoded charset to UTF-8, a piece at a time (a
// multi-byte character may be split across decode() calls). A byte sequence
// the charset does not define becomes U+FFFD and is counted, with the line
// (1-based, as every reader counts lines: LineCounter) of the first. A page
// declared in one charset is often UTF-8 in fact (its template says
// iso-8859-2, its editor wrote UTF-8): when the text from its first
// non-ASCII byte to the end of that piece is valid UTF-8, it is passed
// through as it is instead, and utf8_despite_declaration() says so.
class CharsetDecoder {
public:
    // Throws std::runtime_error when iconv cannot convert from `iconv_name`
    // (resolve_charset() has checked that it can).
    explicit CharsetDecoder(const std::string& iconv_name);
    ~CharsetDecoder();
    CharsetDecoder(const CharsetDecoder&) = delete;
    CharsetDecoder& operator=(const CharsetDecoder&) = delete;

    // Appends the UTF-8 of `in` (following the bytes given before) to `out`.
    void decode(std::string_view in, std::string& out);
    // The input has ended: an incomplete character left becomes U+FFFD.
    void finish(std::string& out);

    std::uint64_t replaced() const { return replaced_; }
    std::uint64_t first_replaced_line() const { return first_replaced_line_; }
    bool utf8_despite_declaration() const { return passthrough_; }

private:
    enum class Mode { Undecided, Convert, Passthrough };
    void convert(std::string_view in, std::string& out, bool final);
    void decide(std::string_view in, std::string& out);

    struct Handle;
    std::unique_ptr<Handle> cd_;
    Mode mode_ = Mode::Undecided;
    bool passthrough_ = false;
    std::string pending_;  // input not yet converted: a split character, or too little to decide on
    LineCounter lines_;    // of the characters given out (line() is the next one's)
    std::uint64_t replaced_ = 0;
    std::uint64_t first_replaced_line_ = 0;
};

// Decodes text declared windows-1252 (Charset::Windows1252: also iso-8859-1,
// us-ascii...) to UTF-8, a piece at a time, as Trawl reads text that
// declares nothing (repair_utf8): each run of valid UTF-8 as it is (pages so
// declared are often UTF-8 in part), each other byte as windows-1252. The
// five bytes windows-1252 leaves undefined (0x81 0x8D 0x8F 0x90 0x9D)
// become U+FFFD, as they do in undeclared text and as glibc's iconv has
// them (browsers make them C1 controls, which have no place in indexed
// text), and are counted with the line of the first. Control characters are
// left as they are, for the readers to replace and report.
class Windows1252Decoder {
public:
    // Appends the UTF-8 of `in` (following the bytes given before) to `out`.
    void decode(std::string_view in, std::string& out) { convert(in, out, false); }
    // The input has ended: a UTF-8 sequence cut off at its end is windows-1252.
    void finish(std::string& out) { convert({}, out, true); }

    std::uint64_t replaced() const { return replaced_; }
    std::uint64_t first_replaced_line() const { return first_replaced_line_; }

private:
    void convert(std::string_view in, std::string& out, bool final);

    std::string pending_;  // a UTF-8 sequence the end of the last piece cut off
    LineCounter lines_;    // of the input converted so far (until the first replacement)
    std::uint64_t replaced_ = 0;
    std::uint64_t first_replaced_line_ = 0;
};

}  // namespace trawl::corpus
