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
//   3 — no termlist table (DB_NO_TERMLIST: a quarter of the index); nothing
//       is ever deleted from the tables: an article's passages carry its
//       sequence number in its database (kSlotSequence, kMetaNextSequence) and
//       deleting or replacing it records "article, last dead sequence" in
//       kMetaDeleted (deletions.hpp), written in the same transaction, which
//       every search excludes. The doc_data.hpp record moves from the document
//       data to value slot kSlotStored (Xapian zlib-compresses document data:
//       a wasted deflate per zstd frame, at add and at compaction). The
//       passage-id term Q<article>#<ordinal> is gone (nothing read it).
//   4 — positions only for the positional words (positions.hpp): the words
//       held by at least kPositionalShare of the passages the dictionary is
//       trained on, listed in kMetaPositions ("all" keeps every word's, as
//       v3 did); every other word is indexed without positions, and phrase,
//       NEAR and ADJ queries with it are checked against the stored text.
//       A v3 reader would silently miss those hits, hence the bump.
//   5 — stems out of the postings (stems.hpp): a new index holds each word
//       once, unstemmed, and Xapian's synonym table maps each stem term
//       (Z<stem>, ZS<stem>) to the words indexed with that stem, written in
//       the same transaction as their passages; the query parser expands a
//       stemmed word through it (OP_SYNONYM). kMetaStems says which an index
//       does: "synonyms", or "terms" (the Z-terms indexed as in v4: indexes
//       with a termlist, which xapian-tcpsrv serves, as its remote backend
//       reads no synonyms). A v4 reader would find no stems, hence the bump.
//   6 — stop words out of the postings (positions.hpp): an index with
//       positions for its frequent words only does not index the words of
//       kMetaStopWords (analysis.hpp's stop list, title and body alike; a
//       Terms index's Z-stems count only the other words that share them,
//       "Zit" for "it's"); they keep their positions as gaps,
//       so every other word sits where a v5 index puts it. Phrase, NEAR and
//       ADJ queries naming one are answered from their other words and
//       checked against the stored text; a query of stop words only is
//       searched as a phrase. An index with every position ("all") holds
//       every word, as v5 did. A v5 reader would miss every phrase with a
//       stop word, hence the bump.
//       Addition within v6, read as optional: twin records (twins.hpp,
//       kMetaTwinPrefix), the articles skipped as duplicates, kept to be
//       indexed when what they duplicate leaves the index. Readers ignore
//       them (no search reads metadata it does not know), so kFormatVersion
//       stays 6.
//   7 — the stored record (doc_data.hpp, record v2) carries the passage's
//       word-pair signature (pair_signature.hpp): a Bloom filter of its
//       adjacent word pairs, stop words and title words included, so an exact
//       phrase checked against the text rejects most passages that lack it
//       without decompressing them (empty where every word keeps its
//       positions: --positions all). A v6 reader cannot read a v2 record,
//       hence the bump; v6 indexes must be re-indexed.
//   8 — impact tiers (tiers.hpp): a Synonyms index gives each passage the
//       boolean term XT<stem>:<wdf> for each body stem whose wdf (its words'
//       wdfs summed) is high for the passage's length (format::in_tier()), so
//       a search can walk a frequent stem's best passages apart from the rest
//       and bound the rest. A reader bounds the rest by the rule, so a v7
//       index, which has no tier terms, would lose hits: hence the bump.
//   9 — the word-pair signature leaves the stored record (doc_data.hpp,
//       record v3) for a value slot of its own, kSlotPairs (absent when
//       empty): a phrase candidate rejected by its signature is no longer a
//       read of the whole record (about 4,500 instructions, most of a slow
//       phrase's match), and a searcher can read every signature into memory
//       (two walks of a slot of 83 bytes a passage on Wikipedia, a quarter of
//       what the records held). A v8 reader finds no signature in a v3
//       record, hence the bump.
//
// What a passage document holds (made by passage_document.cpp, the one place
// that puts it together):
//   - title words under kPrefixTitle (every passage of the article; with
//     positions on the lead passage only, and only for positional words);
//   - with kMetaStems "terms" only: beside each title and body word its
//     stem term, kPrefixStem + field prefix + stem, without positions;
//   - body words, unprefixed; the lead passage (ordinal 0) also carries the
//     title as body words, before its text (headline + lead, as news is read),
//     separated by a position gap so that no phrase spans title and text;
//     positions for the positional words only (kMetaPositions); no title or
//     body term for the words of kMetaStopWords;
//   - boolean terms A<article>, XH<content hash>, and XS<source> when the
//     article has a source; in a Synonyms index, XT<stem>:<wdf> for each body
//     stem in its tier (tiers.hpp);
//   - values: kSlotArticle, kSlotOrdinal, kSlotDate (when known),
//     kSlotSequence, kSlotStored (the doc_data.hpp record), kSlotPairs (the
//     passage's word-pair signature, when not empty);
//   - no document data.
// A database of the index has no termlist table (opened with
// Xapian::DB_NO_TERMLIST); deleted and replaced articles are recorded in
// kMetaDeleted (deletions.hpp) and filtered out of every search.
inline constexpr int kFormatVersion = 9;

// Term prefixes (Xapian conventions where one exists).
inline constexpr std::string_view kPrefixTitle = "S";     // title words, positions in the lead passage
inline constexpr std::string_view kPrefixArticle = "A";   // boolean: every passage of an article
inline constexpr std::string_view kPrefixSource = "XS";   // boolean: source, normalize_source() form
inline constexpr std::string_view kPrefixContent = "XH";  // boolean: XH<content hash, 16 lower-case hex digits>
inline constexpr std::string_view kPrefixTier = "XT";     // boolean: XT<stem>:<wdf>, a body stem's tier (tiers.hpp)
inline constexpr std::string_view kPrefixStem =
    "Z";  // before the field prefix (Xapian's STEM_SOME): Zstem, ZSstem (stems.hpp)
// Body words carry no prefix. passage_document.hpp builds a passage's terms
// from these prefixes and takes them apart again (classify_term).

// Value slots.
inline constexpr Xapian::valueno kSlotArticle = 0;   // article id (collapse key for --by-article)
inline constexpr Xapian::valueno kSlotOrdinal = 1;   // passage ordinal, sortable_serialise
inline constexpr Xapian::valueno kSlotDate = 2;      // "YYYYMMDD" (string order = date order), may be empty
inline constexpr Xapian::valueno kSlotSequence = 3;  // the article's sequence number in its database (deletions.hpp)
inline constexpr Xapian::valueno kSlotStored = 4;    // the doc_data.hpp record (v3: the document data stays empty)
inline constexpr Xapian::valueno kSlotPairs = 5;  // pair_signature.hpp of the passage's words (v9; absent when empty)

// Metadata keys.
inline constexpr std::string_view kMetaFormatVersion = "trawl.format";   // decimal kFormatVersion
inline constexpr std::string_view kMetaDictionary = "trawl.zstd.dict";   // raw zstd dictionary, may be absent
inline constexpr std::string_view kMetaSplit = "trawl.split";            // "words=100 overlap=20"
inline constexpr std::string_view kMetaLanguage = "trawl.language";      // stemmer name, "english"
inline constexpr std::string_view kMetaDeleted = "trawl.deleted";        // dead passages (deletions.hpp), may be absent
inline constexpr std::string_view kMetaNextSequence = "trawl.sequence";  // decimal: the next article's kSlotSequence
inline constexpr std::string_view kMetaTermlist =
    "trawl.termlist";  // "kept" or "omitted" (a remote shard needs it kept)
inline constexpr std::string_view kMetaPositions =
    "trawl.positions";  // "all", or "frequent\nword\nword..." (positions.hpp)
// The --positional-share that chose kMetaPositions' frequent words, as its
// shortest decimal ("0.2"); absent for "all", and in indexes made before it
// was recorded (an addition within v6, which old readers ignore).
inline constexpr std::string_view kMetaPositionalShare = "trawl.positions.share";
inline constexpr std::string_view kMetaStems = "trawl.stems";  // "synonyms" or "terms" (stems.hpp)
inline constexpr std::string_view kMetaStopWords =
    "trawl.stopwords";  // the words not indexed, one a line, sorted; absent: none (positions.hpp)
// How an index stores stems (kMetaStems): as the synonym table (v5 default) or
// as Z-terms beside each word (indexes with a termlist). stems.hpp reads it.
enum class StemStorage { Synonyms, Terms };
// In every shard of a sharded index (shards.hpp; optional, absent in indexes
// made before it was recorded): the database UUIDs of all its shards as they
// were created, in shard order, space-separated (compaction gives a database
// a new UUID; these stay the shards' names); and this shard's position in it.
inline constexpr std::string_view kMetaShards = "trawl.shards";  // "UUID0 UUID1 ..."
inline constexpr std::string_view kMetaShard = "trawl.shard";    // decimal position, "0"
// Twin records (twins.hpp; an addition within v6, absent in indexes made
// before it, which old readers ignore): kMetaTwinPrefix + article id -> an
// article skipped as a duplicate, kept to be indexed when the content it
// duplicates leaves the index.
inline constexpr std::string_view kMetaTwinPrefix = "trawl.twin:";

// Limits.
inline constexpr std::size_t kMaxArticleIdBytes = 200;  // Xapian terms are at most 245 bytes
inline constexpr std::size_t kMaxSourceBytes = 200;     // normalised source, cut at a character boundary
// Glass keys are at most 255 bytes, a metadata key's two-byte prefix
// included: every article id fits in a twin record's key.
inline constexpr std::size_t kMaxGlassKeyBytes = 255;
static_assert(2 + kMetaTwinPrefix.size() + kMaxArticleIdBytes <= kMaxGlassKeyBytes);

// The block size of every database trawl-index compacts, which is how every
// new index ends (Xapian allows 2 KiB to 64 KiB; its default is 8 KiB). A
// database is created, and written, with Xapian's 8 KiB: fewer, larger block
// writes (on Reuters 4 KiB from the start cost 3% more time, most of it the
// system's). Not part of the format: Xapian records the size in the
// database and reads any, and an older index keeps its own until it is
// written anew. Why 4 KiB to search: a search reads most of its
// blocks for one small item each (a passage's stored record for a snippet
// or a text check, an article id, a document length), and every read
// copies a whole block into Xapian's buffer (query/mapped_reads.hpp), so
// half the block is half the bytes moved per record; a postlist chunk
// (Xapian ends one at about 2,000 bytes) still fits in one block, which 2
// KiB would split. Measured on Wikipedia (bench/RESULTS.md, twenty-ninth
// session): queries per second +10 to +25%, index 0.5% larger, indexing
// unchanged.
inline constexpr unsigned kBlockSize = 4096;

}  // namespace trawl::format
