// UTF-16 to UTF-8 (pure): the byte-order mark that tells a UTF-16 file, and an
// incremental decoder that takes the file in pieces of any size, so that a
// reader converts it buffer by buffer, never whole.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "corpus/text/normalize.hpp"

namespace trawl::corpus {

enum class Utf16Order { Little, Big };

// The byte order of the UTF-16 byte-order mark `head` starts with (FF FE:
// little-endian, FE FF: big-endian), none otherwise. FF FE 00 00 is UTF-32's
// (little-endian) mark, not UTF-16's: give at least 4 bytes when the input has them.
std::optional<Utf16Order> utf16_byte_order(std::string_view head);

// The byte order of UTF-16 text without a byte-order mark, told by where its
// NULs are: mostly-ASCII (or Latin) UTF-16 has a NUL in nearly every other
// byte, all at odd offsets (little-endian) or all at even ones (big-endian),
// and decodes to text (no NUL or control characters but white space, no
// unpaired surrogates). Binary data has NULs at both or none, or decodes to
// controls. `head` is a file's first few KiB; none when it is not such text.
std::optional<Utf16Order> utf16_order_without_bom(std::string_view head);

// Decodes UTF-16 code units to UTF-8. A code unit or a surrogate pair may be
// split across decode() calls. An unpaired surrogate (and an odd byte at the
// end) becomes U+FFFD and is counted. Lines are counted as decoded (U+000A,
// U+000D U+000A and a lone U+000D each end one, as in every reader:
// LineCounter), so that a replacement can be reported at its line.
class Utf16Decoder {
public:
    explicit Utf16Decoder(Utf16Order order) : order_(order) {}

    // Appends the UTF-8 of `in` (following the bytes given before) to `out`.
    void decode(std::string_view in, std::string& out);
    // The input has ended: what is left of a code unit or pair becomes U+FFFD.
    void finish(std::string& out);

    // Replacements with U+FFFD so far, and the line (1-based) of the first, 0 when none.
    std::uint64_t replaced() const { return replaced_; }
    std::uint64_t first_replaced_line() const { return first_replaced_line_; }

private:
    void unit(char16_t u, std::string& out);
    void replace(std::string& out);
    void count_lines(const std::string& out);

    Utf16Order order_;
    int odd_byte_ = -1;           // the first byte of a code unit split across calls, -1 when none
    char16_t high_ = 0;           // a high surrogate waiting for its low half, 0 when none
    LineCounter lines_;           // of the output counted so far (until the first replacement)
    std::size_t counted_to_ = 0;  // of the `out` of the current call, counted up to here
    std::uint64_t replaced_ = 0;
    std::uint64_t first_replaced_line_ = 0;
};

}  // namespace trawl::corpus
