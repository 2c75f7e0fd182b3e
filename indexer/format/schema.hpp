// The Trawl index schema: the one definition of term prefixes, value slots and
// metadata keys. trawl-index writes it, trawl-query reads it; nothing else
// names a prefix or slot.
#pragma once

#include <string_view>

#include <xapian.h>

namespace trawl::format {

// Format version, stored under kMetaFormatVersion. Bump on any change to what
// is persisted (terms, values, document data, metadata) and say what changed:
//   1 — first format: body terms unprefixed, title "S", passage "Q", article "A",
//       document data record v1 (doc_data.hpp), zstd dictionary in metadata.
//   2 — boolean term XS<source> on every passage of an article with a source,
//       the source normalised by normalize_source() (analysis.hpp); content-hash
//       term XH<16 hex digits> on every passage (corpus::content_hash of the
//       article as indexed), so later runs can skip exact duplicates.
//       Title words carry positions on the lead passage only; the other
//       passages of an article hold the same title terms (same wdf) without
//       positions. title: words match every passage, title: phrases/NEAR the
//       lead passage. zstd frames carry no dictionary id; dictionaries are up
//       to 256 KiB. An index may also be sharded (shards.hpp: a directory
//       with a Xapian stub file listing shard databases, each a v2 index with
//       the same dictionary).
//       Addition within v2, read as optional: the shards of a sharded index
//       record the shard set (kMetaShards, kMetaShard) when it is created;
//       indexes without these keys open unchecked, so kFormatVersion stays 2.
//
// What a passage document holds:
//   - title words under kPrefixTitle (every passage of the article; with
//     positions on the lead passage only);
//   - body words, unprefixed; the lead passage (ordinal 0) also carries the
//     title as body words, before its text (headline + lead, as news is read),
//     separated by a position gap so that no phrase spans title and text;
//   - boolean terms Q<article>#<ordinal>, A<article>, XH<content hash>, and
//     XS<source> when the article has a source;
//   - values: kSlotArticle, kSlotOrdinal, kSlotDate (when known);
//   - data: doc_data.hpp record.
inline constexpr int kFormatVersion = 2;

// Term prefixes (Xapian conventions where one exists).
inline constexpr std::string_view kPrefixTitle = "S";      // title words, positions in the lead passage
inline constexpr std::string_view kPrefixPassage = "Q";    // unique id: Q<article>#<ordinal>
inline constexpr std::string_view kPrefixArticle = "A";    // boolean: every passage of an article
inline constexpr std::string_view kPrefixSource = "XS";    // boolean: source, normalize_source() form
inline constexpr std::string_view kPrefixContent = "XH";   // boolean: XH<content hash, 16 lower-case hex digits>
// Body words carry no prefix. Stemmed forms carry "Z" before the field prefix
// (Xapian's STEM_SOME convention): Zword, ZSword.

// Value slots.
inline constexpr Xapian::valueno kSlotArticle = 0;   // article id (collapse key for --by-article)
inline constexpr Xapian::valueno kSlotOrdinal = 1;   // passage ordinal, sortable_serialise
inline constexpr Xapian::valueno kSlotDate = 2;      // "YYYYMMDD" (string order = date order), may be empty

// Metadata keys.
inline constexpr std::string_view kMetaFormatVersion = "trawl.format";      // decimal kFormatVersion
inline constexpr std::string_view kMetaDictionary = "trawl.zstd.dict";      // raw zstd dictionary, may be absent
inline constexpr std::string_view kMetaSplit = "trawl.split";               // "words=100 overlap=20"
inline constexpr std::string_view kMetaLanguage = "trawl.language";         // stemmer name, "english"
// In every shard of a sharded index (shards.hpp; optional, absent in indexes
// made before it was recorded): the database UUIDs of all its shards as they
// were created, in shard order, space-separated (compaction gives a database
// a new UUID; these stay the shards' names); and this shard's position in it.
inline constexpr std::string_view kMetaShards = "trawl.shards";             // "UUID0 UUID1 ..."
inline constexpr std::string_view kMetaShard = "trawl.shard";               // decimal position, "0"

// Limits.
inline constexpr std::size_t kMaxArticleIdBytes = 200;  // Xapian terms are at most 245 bytes
inline constexpr std::size_t kMaxSourceBytes = 200;     // normalised source, cut at a character boundary

}  // namespace trawl::format
