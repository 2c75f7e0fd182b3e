// Twin records: an article the indexer skips as a duplicate of another
// article (y, a copy of x) is not in the index, so when x's text later
// changes or x is deleted, y's text would be gone although y never was.
// Each such y is kept, cleaned as it would have been indexed, under the
// metadata key kMetaTwinPrefix + id in the database that would hold it, with
// the content term (XH) of the article it duplicates; indexer/twins.hpp
// indexes it from there once that term has no live passage left. Pure
// encode/decode; an addition within format v6 that readers ignore.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "corpus/base/article.hpp"
#include "indexer/format/passage_codec.hpp"

namespace trawl::format {

// Record layout (integers unsigned LEB128 varints):
//   byte    0x57 'W' magic
//   byte    record version (1)
//   varint  length, bytes   the content term (XH...) of the article duplicated
//   varint  raw size        bytes of the fields before compression
//   bytes   zstd frame (no dictionary) of the fields, each varint length +
//           bytes: id, title, location, date, source, body; to the end
inline constexpr unsigned char kTwinMagic = 0x57;
inline constexpr unsigned char kTwinVersion = 1;

// The metadata key of article `id`'s twin record.
std::string twin_key(std::string_view id);
// The article id of a twin key ("" when `key` is not one).
std::string_view twin_id(std::string_view key);

struct Twin {
    std::string original_term;  // XH<hash> of the article duplicated
    corpus::Article article;    // as cleaned for indexing (body included)
};

// `plain` is a codec without dictionary (its level applies).
std::string encode_twin(const Twin& t, PassageCodec& plain);
// Throws IndexFormatError naming what is wrong (magic, newer version,
// truncation, a frame that does not decompress, trailing bytes).
Twin decode_twin(std::string_view value, PassageCodec& plain);

}  // namespace trawl::format
