// Where a passage index keeps its stems (format v5). A bag-of-words query
// word stands for every indexed word with its stem ("banks" finds bank,
// banks, banking). Two ways to store that, chosen when an index is created
// and kept for its life (kMetaStems):
//   - Synonyms (the default): the index holds the words only; Xapian's
//     synonym table maps each stem term ("Z" + field prefix + stem, as
//     Xapian's STEM_SOME spells it) to the words indexed with that stem, and
//     the query parser (FLAG_AUTO_SYNONYMS) turns a stemmed query word into
//     OP_SYNONYM of them. Half the terms per passage: about a third less
//     indexing CPU and a sixth less disk (bench/RESULTS.md, "Issue 10, fourth
//     round").
//   - Terms: every word is indexed twice, as itself and as its Z-stem
//     (STEM_SOME), as formats v1-v4 did. For indexes served by
//     xapian-tcpsrv (--termlist, --shards): Xapian 1.4's remote backend does
//     not read synonym tables.
// Readers ask StemReader for a stem's words, its document frequency and its
// query; they never look at the Z-term itself, which a Synonyms index does
// not hold.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <xapian.h>

#include "indexer/format/schema.hpp"
#include "indexer/format/word_stems.hpp"

namespace trawl::format {

// The kMetaStems value: "synonyms" or "terms".
std::string_view stem_storage_name(StemStorage s);
// What `db` uses; an index without the key (never written: an empty
// database) is taken as Synonyms. Throws IndexFormatError on another value.
StemStorage read_stem_storage(const Xapian::Database& db);

// Collects, passage by passage, the words a Synonyms index has not yet
// mapped from their stem, and writes the mappings into the synonym table in
// the same transaction as the passages (write() before each commit), so a
// committed word is always found from its stem. The words already written in
// this run are remembered in a WordStems table (word_stems.hpp): memory
// stays bounded, and a word whose slot another took is written again, which
// Xapian keeps as one entry. The indexer tells its new words by the table of
// its PassageDocumentMaker, which it looks up for each word anyway, and hands
// them over with add(Pairs).
class StemTableWriter {
public:
    // A term of a passage (a body or title word; other terms are ignored).
    void add(std::string_view term);
    // Every term of a passage document.
    void add(const Xapian::Document& doc);
    using Pairs = StemPairs;
    // (stem term, word term) pairs to write, known new already
    // (PassageDocumentMaker::take_new_stems()).
    void add(Pairs pairs);
    // Adds the collected (stem term, word) pairs to `db`'s synonym table.
    void write(Xapian::WritableDatabase& db) { write(db, take()); }
    // The (stem term, word) pairs collected since the last take() or write(),
    // sorted, to write later, perhaps on another thread (the writer's: no
    // Xapian object of this one is touched; the sort is done here, off it).
    Pairs take();
    static void write(Xapian::WritableDatabase& db, Pairs pairs);

private:
    std::unique_ptr<WordStems> written_;  // for add(term): made on its first call
    Pairs pending_;                       // (stem term, word term)
};

// The stem term of a query node the parser made from a stemmed word of a
// Synonyms index (OP_SYNONYM whose first subquery is the Z-term, then its
// words); "" for any other node.
std::string parsed_stem(const Xapian::Query& q);

// The terms of a parsed query in query order, as its words were written: a
// stem the parser expanded through the synonym table (OP_SYNONYM whose first
// subquery is the Z-term) counts as that Z-term alone, not as its words, so a
// reader sees the same terms in a Synonyms index as in a Terms index. Terms
// inside phrases, NEAR and ADJ are listed; wildcards, value ranges and
// match-all add none.
std::vector<std::string> query_terms(const Xapian::Query& q);

// Answers, for a term of a parsed query, what it stands for in the index.
// A Z-term is a stem: in a Terms index the term itself; in a Synonyms index
// the words its synonym entry lists. Any other term is itself.
class StemReader {
public:
    explicit StemReader(Xapian::Database db);
    // With its storage read already (read_stem_storage(db)).
    StemReader(Xapian::Database db, StemStorage storage);
    StemStorage storage() const { return storage_; }
    // The index terms `term` stands for: for a Z-term, the words indexed with
    // its stem, field prefix included ("ZSbank" -> "Sbank", "Sbanks"; in a
    // Terms index read from the term list, in a Synonyms index from the
    // synonym table); {term} for any other term.
    const std::vector<std::string>& forms(const std::string& term);
    // The index terms whose postings make up `term`'s: {term} when the index
    // holds it (a word, or a Terms index's stem), else forms(term).
    const std::vector<std::string>& postings(const std::string& term);
    // The passages holding `term` (dead ones included, as in Xapian's
    // statistics), exact: for a Synonyms index's stem of several words, the
    // passages holding any of them, counted from their postings once per
    // opened revision (cost below) and cached.
    double termfreq(const std::string& term);
    // What Xapian's OP_SYNONYM of a Synonyms index's stem takes as its
    // frequency: an estimate, its words taken as independent
    // (N(1 - prod(1 - df/N))), too large when they share passages, as a
    // word's forms do. termfreq() for any other term.
    double synonym_estimate(const std::string& term);
    // The query for `term`: Query(term), or OP_SYNONYM of the words of a
    // Synonyms index's stem (matching what the query parser makes of it).
    Xapian::Query query(const std::string& term, Xapian::termcount wqf = 1);
    // Forget the cached forms and counts (the database was reopened: new
    // words and passages may have come).
    void reset() {
        forms_.clear();
        counted_.clear();
    }

private:
    static constexpr std::size_t kMaxCached = 10000;
    double count_union(const std::vector<std::string>& words);
    Xapian::Database db_;
    StemStorage storage_;
    Xapian::Stem stemmer_;
    std::unordered_map<std::string, std::vector<std::string>> forms_;
    std::unordered_map<std::string, double> counted_;  // termfreq() of stems of several words
    std::vector<std::string> itself_;                  // postings()' answer for a held term
};

}  // namespace trawl::format
