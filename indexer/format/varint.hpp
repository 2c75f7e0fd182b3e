// Unsigned LEB128 varints and length-prefixed strings, as the document data
// record (doc_data.hpp) and the deletion records (deletions.hpp) store them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "error.hpp"

namespace trawl::format {

inline void put_varint(std::string& out, std::uint64_t v) {
    while (v >= 0x80) {
        out.push_back(static_cast<char>((v & 0x7f) | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
}

// Reads a varint at `pos`, advancing it. Throws IndexFormatError naming
// `what` on truncation or overflow.
inline std::uint64_t get_varint(std::string_view in, std::size_t& pos, const char* what) {
    std::uint64_t v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        if (pos >= in.size()) throw IndexFormatError(std::string("truncated in ") + what);
        auto byte = static_cast<unsigned char>(in[pos++]);
        v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
        if (!(byte & 0x80)) return v;
    }
    throw IndexFormatError(std::string("varint too long in ") + what);
}

inline void put_string(std::string& out, std::string_view s) {
    put_varint(out, s.size());
    out.append(s);
}

inline std::string get_string(std::string_view in, std::size_t& pos, const char* what) {
    auto n = get_varint(in, pos, what);
    if (n > in.size() - pos) throw IndexFormatError(std::string("truncated in ") + what);
    std::string s(in.substr(pos, n));
    pos += n;
    return s;
}

}  // namespace trawl::format
