// Deleted passages (format v3). A v3 index has no termlist table (Xapian's
// DB_NO_TERMLIST: a quarter of the index, bench/RESULTS.md), and without it
// Xapian cannot delete or replace a document. So nothing is removed from the
// tables: every article added gets a sequence number (kSlotSequence, counting
// up per database), and deleting or replacing an article records
// "article ID, sequence S": every passage of ID with a sequence up to S is
// dead. The records live in the database's metadata (kMetaDeleted) and are
// committed in the same transaction as the passages that replace them, so a
// kill leaves both or neither. Every search excludes the dead passages with
// filter(), a query of built-in Xapian operators (A<id> AND sequence <= S),
// which remote shards evaluate too. Dead passages still count in the
// collection statistics until the index is rebuilt.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

namespace trawl::format {

class Deletions {
public:
    // The records of one database (empty when it has none). Throws
    // IndexFormatError when the record is damaged.
    static Deletions read(const Xapian::Database& db);
    // The union over every database of an index path: its shards, or itself.
    static Deletions read_index(const std::string& path);
    // Stores the records in `db`'s metadata (in the caller's transaction).
    void write(Xapian::WritableDatabase& db) const;
    // The kMetaDeleted value and back ("" = none).
    static Deletions parse(std::string_view bytes);
    std::string serialise() const;

    // Passages of `article_id` with a sequence up to `through` are dead;
    // `passages` of them were alive until now (for the counts).
    void add(const std::string& article_id, std::uint64_t through, std::uint64_t passages);
    void merge(const Deletions& other);
    void merge(Deletions&& other);
    // True when a passage of `article_id` with sequence `sequence` is dead.
    bool covers(const std::string& article_id, std::uint64_t sequence) const;
    // Passages dead in all.
    std::uint64_t passages() const { return passages_; }
    bool empty() const { return dead_.empty(); }
    std::size_t articles() const { return dead_.size(); }

    // A query matching every dead passage (Query() when there is none), of
    // Xapian's own operators, so that remote shards can run it. Each search
    // runs it (AND_NOT), and its cost grows with the dead articles: every
    // skip of the match visits each of them (on Reuters with 10,000 articles
    // deleted, "oil prices" took 2.1 s instead of 30 ms). Local databases
    // use docids() instead.
    Xapian::Query filter() const;
    // The dead passages of `db`, in docid order: for each recorded article,
    // its passages in `db` with a sequence up to the record's. An article's
    // passages get higher sequences as they get higher docids (they are added
    // in order, a later run's after an earlier's, and compaction keeps the
    // order of a database's documents), so its dead passages are the first
    // ones of its posting list, found by bisection: one value read for a
    // deleted article, about log2(passages) for a replaced one.
    // With many dead articles, one pass over every passage's article and
    // sequence values costs less: `how` Auto picks the cheaper way, the
    // others force one (tests).
    enum class Lookup { Auto, ByArticle, Scan };
    std::vector<Xapian::docid> docids(const Xapian::Database& db, Lookup how = Lookup::Auto) const;

    bool operator==(const Deletions&) const = default;

private:
    std::map<std::string, std::uint64_t> dead_;  // article id -> highest dead sequence
    std::uint64_t passages_ = 0;
};

// The passages of `db` that are alive: its documents less the dead ones.
Xapian::doccount live_passage_count(const Xapian::Database& db);

// The sequence number of a passage document (kSlotSequence); 0 when absent.
std::uint64_t sequence_of(const Xapian::Document& doc);
// The kSlotSequence value of sequence `n`.
std::string sequence_value(std::uint64_t n);

// The live passages of `article_id` in `db` (those `deleted` does not cover),
// and the highest sequence among them.
struct LivePassages {
    Xapian::doccount count = 0;
    std::uint64_t last_sequence = 0;
};
LivePassages live_passages(const Xapian::Database& db, const std::string& article_id, const Deletions& deleted);

}  // namespace trawl::format
