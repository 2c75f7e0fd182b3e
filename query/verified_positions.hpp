// Exact phrase, NEAR and ADJ where the index kept no positions, and words
// it did not index at all (its stop words; format/positions.hpp). The parsed
// query is rewritten: a phrase or NEAR whose words all have positions stays
// as it is (Xapian checks it); any other becomes the AND of its words that
// the index holds (every passage when it holds none of them), and its
// candidates are checked against the passage's stored text, re-cut into
// words by the indexer's own code (format::passage_words), so a hit is
// exactly what a fully positional index of every word returns. A stop word
// left as a word of its own ("+the", or a query of stop words only) becomes
// the passages whose text holds it. A phrase, NEAR or ADJ of title words
// only ("title:\"lower mark rate\"") is checked against the headline, on any
// index: its positions are kept in the article's lead passage only, and the
// headline belongs to every passage (`title:` searches it in each).
//  - A check every hit needs (the phrase is reached from the top of the query
//    through AND, FILTER or the left side of AND_NOT / AND_MAYBE) runs in a
//    Xapian::MatchDecider: Xapian calls it only for a candidate that would
//    enter the top hits, so a query checks tens of passages, not all of them.
//  - A check under OR, XOR or NOT runs as a filter (a PostingSource under
//    OP_FILTER), on every candidate of its words.
// Neither can run on a remote shard (xapian-tcpsrv knows neither class): the
// searcher refuses a remote shard whose index keeps positions for some words
// only.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include <xapian.h>

#include "indexer/format/passage_codec.hpp"
#include "indexer/format/positions.hpp"
#include "indexer/format/words.hpp"
#include "query/pair_signatures.hpp"
#include "query/positional_check.hpp"

namespace trawl::query {

// The shards a search reads, to decompress the passages it checks: one codec
// per shard in database order (docid d lives in shard (d - 1) % shards).
class PassageTexts {
public:
    // `signatures`: where the signatures come from (none: the index, uncounted).
    PassageTexts(std::vector<format::PassageCodec*> codecs, std::vector<std::string> uuids,
                 std::shared_ptr<SignatureReads> signatures = nullptr);
    // The words of the passage whose kSlotStored value is `stored`, in shard `shard`.
    format::Words words(const std::string& stored, std::size_t shard);
    // Whether passage `doc` of shard `shard` holds every one of `checks`: its
    // word-pair signature first (the SignatureReads' table, else kSlotPairs),
    // which rejects most candidates of a phrase, then its stored text
    // (decompressed once; cut into words only where holds_in_passage()
    // cannot tell).
    bool holds_all(const Xapian::Document& doc, std::size_t shard, std::span<const PositionalCheck> checks);
    // True when the table in memory says passage `did` lacks one of `checks`
    // (false without a table): a filter asks before opening the document.
    bool rejected_in_memory(Xapian::docid did, std::span<const PositionalCheck> checks) const;
    std::size_t shards() const { return codecs_.size(); }
    // The shard a database of the search is (by UUID); shards() if none.
    std::size_t shard_of(const Xapian::Database& db) const;

private:
    std::vector<format::PassageCodec*> codecs_;
    std::vector<std::string> uuids_;
    std::shared_ptr<SignatureReads> signatures_;
    std::string buffer_;  // the passage being checked, decompressed (reused)
};

// A parsed query made exact for an index whose positional words (and stop
// words) are `positional`: `query` to run and, when `decider` is set, the
// MatchDecider to pass to Enquire::get_mset (it checks the phrases every hit
// must hold). `db`, when given, is asked whether it holds a stem term of a
// stop word (a Terms index does) before that is rewritten; `parser`, when
// given, is the one that parsed `parsed` (its unstem list says whether the
// query named a stop word or another word with the same stem: "doe" is not
// "does").
struct VerifiedQuery {
    Xapian::Query query;
    std::unique_ptr<Xapian::MatchDecider> decider;
};
// The most a passage weighs for being a candidate of a stop word's check
// (or a phrase of stop words only) alone: its weight orders the unranked
// hits by docid, so that Xapian's matcher can stop early. A hit's shown
// score below it is 0 (shown_score()).
inline constexpr double kDocidOrderWeight = 1e-200;
inline double shown_score(double weight) { return weight <= kDocidOrderWeight ? 0.0 : weight; }

VerifiedQuery verify_positions(const Xapian::Query& parsed, const format::PositionalWords& positional,
                               std::shared_ptr<PassageTexts> texts, const Xapian::Database* db = nullptr,
                               const Xapian::QueryParser* parser = nullptr);

}  // namespace trawl::query
