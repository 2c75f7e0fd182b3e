// Unsigned LEB128 varints and length-prefixed strings, as the document data
// record (doc_data.hpp) and the deletion records (deletions.hpp) store them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "corpus/base/error.hpp"

namespace trawl::format {

inline void put_varint(std::string& out, std::uint64_t v) {
    while (v >= 0x80) {
        out.push_back(static_cast<char>((v & 0x7f) | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
}

inline void put_string(std::string& out, std::string_view s) {
    put_varint(out, s.size());
    out.append(s);
}

// Reads a varint at `pos`, advancing it. Throws IndexFormatError
// "<record> truncated in <what>" or "<record>: varint too long in <what>".
inline std::uint64_t get_varint(std::string_view in, std::size_t& pos, const char* record, const char* what) {
    std::uint64_t v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        if (pos >= in.size()) throw IndexFormatError(std::string(record) + " truncated in " + what);
        auto byte = static_cast<unsigned char>(in[pos++]);
        v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
        if (!(byte & 0x80)) return v;
    }
    throw IndexFormatError(std::string(record) + ": varint too long in " + what);
}

// The next `n` bytes at `pos`, advancing it; "<record> truncated in <what>" when fewer are left.
inline std::string_view get_bytes_view(std::string_view in, std::size_t& pos, std::uint64_t n, const char* record,
                                       const char* what) {
    if (n > in.size() - pos) throw IndexFormatError(std::string(record) + " truncated in " + what);
    const auto s = in.substr(pos, n);
    pos += n;
    return s;
}
inline std::string get_bytes(std::string_view in, std::size_t& pos, std::uint64_t n, const char* record,
                             const char* what) {
    return std::string(get_bytes_view(in, pos, n, record, what));
}

// A put_string() string: its length, then its bytes.
inline std::string get_string(std::string_view in, std::size_t& pos, const char* record, const char* what) {
    const auto n = get_varint(in, pos, record, what);
    return get_bytes(in, pos, n, record, what);
}

}  // namespace trawl::format
