// The document-data record stored with every passage (pure encode/decode).
//
// Layout v3 (all integers unsigned LEB128 varints):
//   byte    0x54 'T' magic
//   byte    record version (3; v2, formats v7 and v8, also held the passage's
//           word-pair signature, now a value slot of its own: kSlotPairs)
//   varint  ordinal
//   varint  span begin, varint span end   (byte offsets into the article body)
//   varint  uncompressed payload size
//   bytes   payload: zstd frame (with the index dictionary when one exists) of
//           the stored fields (see StoredFields), to the end of the record
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "corpus/base/article.hpp"

namespace trawl::format {

inline constexpr unsigned char kDocDataMagic = 0x54;
inline constexpr unsigned char kDocDataVersion = 3;

// What is compressed into the payload: everything a printer shows.
struct StoredFields {
    std::string article_id;
    std::string title;
    std::string location;
    std::string date;
    std::string source;
    std::string text;  // the passage text
    bool operator==(const StoredFields&) const = default;
};

// The same fields as views into the bytes they were decoded from (the phrase
// checks read thousands of passages a query and keep none).
struct StoredFieldsView {
    std::string_view article_id;
    std::string_view title;
    std::string_view location;
    std::string_view date;
    std::string_view source;
    std::string_view text;
};

// Serialises StoredFields to bytes (varint length + bytes, in declaration order).
std::string encode_fields(const StoredFields& f);
// Inverse; throws IndexFormatError on malformed input.
StoredFields decode_fields(std::string_view bytes);
// The same, without copying: views into `bytes`.
StoredFieldsView decode_fields_view(std::string_view bytes);

struct DocData {
    PassageOrdinal ordinal = 0;
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
    std::uint64_t raw_size = 0;  // size of encode_fields() output
    std::string payload;         // compressed encode_fields() output
    bool operator==(const DocData&) const = default;
};

// A record's header, its payload a view into the bytes it was decoded from.
struct DocDataView {
    PassageOrdinal ordinal = 0;
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
    std::uint64_t raw_size = 0;
    std::string_view payload;
};

std::string encode(const DocData& d);
// Throws IndexFormatError naming what is wrong (bad magic, newer record version, truncated).
DocData decode(std::string_view bytes);
// The same, without copying the payload.
DocDataView decode_view(std::string_view bytes);

}  // namespace trawl::format
