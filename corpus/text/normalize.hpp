// Text normalisation (pure): UTF-8 repair and whitespace folding.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace trawl::corpus {

// Returns valid UTF-8. Invalid byte sequences are decoded as Windows-1252
// (the usual culprit in news exports); `repaired` is set when there was one.
// NUL and the other C0 control characters except \t \n \r (\f and \v
// included) become a space, so that the words either side stay apart (a form
// feed between pages glued them); `controls` is set when there was one.
std::string repair_utf8(std::string_view in, bool* repaired = nullptr, bool* controls = nullptr);

// The warning a reader gives for text repair_utf8() changed.
inline constexpr const char* kInvalidUtf8Repaired = "invalid UTF-8 repaired";
inline constexpr const char* kControlsReplaced = "control characters replaced by spaces";

bool is_valid_utf8(std::string_view in);

// True when repair_utf8(in) would change `in`: callers holding a large text
// that needs no repair (the usual case) skip the copy.
bool needs_utf8_repair(std::string_view in);

// Length of the well-formed UTF-8 sequence starting at in[i] (RFC 3629: no
// overlongs, no surrogates, nothing above U+10FFFF), or 0 if there is none.
std::size_t utf8_sequence_length(std::string_view in, std::size_t i);
// Whether in[i] on is the start of a well-formed UTF-8 sequence that the end
// of `in` cuts off (a piece of a stream ends there: the rest may follow).
bool utf8_sequence_cut_off(std::string_view in, std::size_t i);

// The code point byte `b` is in windows-1252 (what repair_utf8() reads a
// byte that is not UTF-8 as): Latin-1 but for 0x80..0x9F, and U+FFFD for the
// five it leaves undefined (0x81 0x8D 0x8F 0x90 0x9D).
char32_t windows_1252_code_point(unsigned char b);

// True when `head` (the first few KiB of a file) is binary data rather than
// text: it holds a NUL byte and more than a tenth of its bytes are C0 control
// characters (other than \t \n \r \f \v) or not valid UTF-8. Text with a stray
// NUL, or in a legacy 8-bit encoding, is text (repair_utf8 makes the NULs spaces).
bool looks_binary(std::string_view head);

// Where the line that starts at in[from] ends: the first '\n' or '\r' from
// `from` on, in.size() if none. A line ends at a LF, a CR-LF or a lone CR
// (old Mac text): every reader splits lines by it.
std::size_t find_line_break(std::string_view in, std::size_t from);
// Where the next line starts after the line break at in[at] (a CR-LF is one).
inline std::size_t after_line_break(std::string_view in, std::size_t at) {
    return at + (in[at] == '\r' && at + 1 < in.size() && in[at + 1] == '\n' ? 2 : 1);
}

// Counts the lines of a text given a piece at a time, as find_line_break()
// ends them: a LF, a CR-LF (also when a piece ends between its CR and its LF)
// or a lone CR. What the decoders (UTF-16, declared charsets) report a line
// by, so that it is the line a reader reports.
class LineCounter {
public:
    // Counts the line breaks of `piece`, which follows the pieces given before.
    void add(std::string_view piece);
    // The 1-based line of the byte after those given.
    std::uint64_t line() const { return line_; }

private:
    std::uint64_t line_ = 1;
    bool after_cr_ = false;  // the last piece ended at a CR: a LF first in the next ends no other line
};

// The 1-based line of in[at] (of the end of `in` when `at` is past it).
std::uint64_t line_number_at(std::string_view in, std::size_t at);

// Length of the horizontal space character at in[i]: an ASCII blank (space,
// tab, VT, FF), a no-break space or another Unicode space separator (U+2000
// to U+200A, U+202F, U+205F, U+3000); 0 when there is none. What
// normalize_whitespace() folds.
std::size_t space_length(std::string_view in, std::size_t i);

// Folds runs of spaces/tabs (and non-breaking spaces) inside a paragraph to one
// space, trims each line, and joins paragraphs (separated in the input by one
// or more blank lines) with exactly "\n\n". Single newlines inside a paragraph
// become spaces.
std::string normalize_whitespace(std::string_view in);

// Like normalize_whitespace but for one-line fields (titles): every run of
// whitespace, line breaks included, becomes one space; the result is trimmed.
std::string normalize_line(std::string_view in);

// Decodes the HTML/SGML character entities found in news SGML and web pages:
// &#NNN; &#xHH; (control-character references such as &#2; &#3; are dropped),
// &amp; &lt; &gt; &quot; &apos;, every Latin-1 name (&nbsp; &eacute; &copy;...)
// and the common typographic ones (&mdash; &hellip; &ldquo; &euro;...); &shy;
// and zero-width marks vanish. Unknown or malformed entities are left as they are.
std::string decode_entities(std::string_view in);

}  // namespace trawl::corpus
