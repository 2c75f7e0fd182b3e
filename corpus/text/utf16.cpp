// UTF-16 to UTF-8 (see utf16.hpp).
#include "corpus/text/utf16.hpp"

#include "corpus/base/utf8.hpp"

namespace trawl::corpus {

std::optional<Utf16Order> utf16_byte_order(std::string_view head) {
    if (head.size() < 2) return std::nullopt;
    const auto b0 = static_cast<unsigned char>(head[0]), b1 = static_cast<unsigned char>(head[1]);
    if (b0 == 0xFE && b1 == 0xFF) return Utf16Order::Big;
    if (b0 != 0xFF || b1 != 0xFE) return std::nullopt;
    if (head.size() >= 4 && head[2] == '\0' && head[3] == '\0') return std::nullopt;  // UTF-32LE
    return Utf16Order::Little;
}

std::optional<Utf16Order> utf16_order_without_bom(std::string_view head) {
    const std::size_t units = head.size() / 2;
    if (units < 2) return std::nullopt;
    std::size_t nul_even = 0, nul_odd = 0;
    for (std::size_t i = 0; i + 1 < head.size(); i += 2) {
        nul_even += head[i] == '\0';
        nul_odd += head[i + 1] == '\0';
    }
    // Text in a Latin script is at least half ASCII; the other byte of a unit
    // is seldom NUL (U+0100, U+4E00, a surrogate's DC00), in binary data as often.
    std::optional<Utf16Order> order;
    if (nul_odd * 2 >= units && nul_even * 10 <= nul_odd) order = Utf16Order::Little;
    if (nul_even * 2 >= units && nul_odd * 10 <= nul_even) order = Utf16Order::Big;
    if (!order) return std::nullopt;
    bool high = false;  // a high surrogate waiting for its low half
    for (std::size_t i = 0; i + 1 < head.size(); i += 2) {
        const auto first = static_cast<unsigned char>(head[i]), second = static_cast<unsigned char>(head[i + 1]);
        const char16_t u =
            static_cast<char16_t>(*order == Utf16Order::Little ? first | (second << 8) : (first << 8) | second);
        const bool low = u >= 0xDC00 && u <= 0xDFFF;
        if (high != low) return std::nullopt;
        high = u >= 0xD800 && u <= 0xDBFF;
        if (u < 0x20 && u != u'\t' && u != u'\n' && u != u'\r' && u != u'\f') return std::nullopt;
        if (u >= 0x7F && u < 0xA0) return std::nullopt;  // C1 controls: not text
        if (u == 0xFFFE || u == 0xFFFF) return std::nullopt;
    }
    return order;
}

// Counts the lines of what this call has appended to `out` so far. Only the
// line of the first replacement is wanted: after it, nothing is counted.
void Utf16Decoder::count_lines(const std::string& out) {
    if (replaced_ == 0) lines_.add(std::string_view(out).substr(counted_to_));
    counted_to_ = out.size();
}

void Utf16Decoder::replace(std::string& out) {
    count_lines(out);
    if (replaced_++ == 0) first_replaced_line_ = lines_.line();
    append_utf8(out, 0xFFFD);
    counted_to_ = out.size();
}

void Utf16Decoder::unit(char16_t u, std::string& out) {
    if (high_ != 0) {
        if (u >= 0xDC00 && u <= 0xDFFF) {
            append_utf8(out, static_cast<char32_t>(0x10000 + ((high_ - 0xD800) << 10) + (u - 0xDC00)));
            high_ = 0;
            return;
        }
        high_ = 0;
        replace(out);  // the high surrogate had no low half; `u` is read on its own
    }
    if (u >= 0xD800 && u <= 0xDBFF) {
        high_ = u;
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
        replace(out);
    } else {
        append_utf8(out, u);
    }
}

void Utf16Decoder::decode(std::string_view in, std::string& out) {
    counted_to_ = out.size();
    out.reserve(out.size() + in.size() / 2 * 3 + 4);
    std::size_t i = 0;
    auto make_unit = [&](unsigned char first, unsigned char second) {
        return static_cast<char16_t>(order_ == Utf16Order::Little ? first | (second << 8) : (first << 8) | second);
    };
    if (odd_byte_ >= 0 && !in.empty()) {
        unit(make_unit(static_cast<unsigned char>(odd_byte_), static_cast<unsigned char>(in[0])), out);
        odd_byte_ = -1;
        i = 1;
    }
    for (; i + 1 < in.size(); i += 2)
        unit(make_unit(static_cast<unsigned char>(in[i]), static_cast<unsigned char>(in[i + 1])), out);
    if (i < in.size()) odd_byte_ = static_cast<unsigned char>(in[i]);
    count_lines(out);
}

void Utf16Decoder::finish(std::string& out) {
    counted_to_ = out.size();
    if (high_ != 0) {
        high_ = 0;
        replace(out);
    }
    if (odd_byte_ >= 0) {
        odd_byte_ = -1;
        replace(out);
    }
}

}  // namespace trawl::corpus
