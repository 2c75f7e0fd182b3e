// Test helper: UTF-8 text re-encoded as UTF-16 (little- or big-endian, with a
// byte-order mark by default), as Windows "Unicode" exports and iconv write it.
#pragma once

#include <string>
#include <string_view>

namespace trawl::test {

enum class Endian { Little, Big };

// `utf8` must be valid UTF-8. A code point above U+FFFF becomes a surrogate pair.
inline std::string utf16(std::string_view utf8, Endian endian = Endian::Little, bool bom = true) {
    std::string out;
    auto unit = [&](char32_t u) {
        const char hi = static_cast<char>((u >> 8) & 0xFF), lo = static_cast<char>(u & 0xFF);
        if (endian == Endian::Little) out += lo, out += hi;
        else out += hi, out += lo;
    };
    if (bom) unit(0xFEFF);
    for (std::size_t i = 0; i < utf8.size();) {
        const auto b = static_cast<unsigned char>(utf8[i]);
        const std::size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        char32_t cp = len == 1 ? b : len == 2 ? b & 0x1F : len == 3 ? b & 0x0F : b & 0x07;
        for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
        i += len;
        if (cp < 0x10000) {
            unit(cp);
        } else {
            unit(0xD800 + ((cp - 0x10000) >> 10));
            unit(0xDC00 + ((cp - 0x10000) & 0x3FF));
        }
    }
    return out;
}

}  // namespace trawl::test
