// Counts the passages and articles a query matches, in the same pass as the
// search: a match spy sees every passage the match examines. The match
// examines at least `exact_up_to` passages (Enquire's check_at_least), so a
// query matching no more than that is counted exactly; beyond, the counts are
// Xapian's estimate and its bounds, and the articles are scaled from the
// passages whose article the spy read.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include <xapian.h>

#include "query/summary.hpp"

namespace trawl::query {

// Passages a query is counted exactly up to, as Lucene counts hits (its
// TOTAL_HITS_THRESHOLD): beyond, the match may stop early, and counting
// 50,000 was most of the bag-of-words tail on Wikipedia (bench/RESULTS.md,
// "Issue 10, fifth round").
inline constexpr Xapian::doccount kExactCountLimit = 1000;

// What the spy saw: passages, the first of them whose article it read, and
// the distinct articles among those.
struct SpiedCounts {
    std::uint64_t seen = 0;
    std::uint64_t sampled = 0;
    std::uint64_t distinct = 0;
};

// Every passage's article of one (local, single) database as a number, read
// in one walk of the article slot: 4 bytes a passage. Reading a passage's
// article value in a match costs about 2,100 instructions on Wikipedia (glass
// decodes the value chunk up to it); here one array read.
class PassageArticles {
public:
    // Stops early (a table to throw away) once `stop` is raised.
    explicit PassageArticles(const Xapian::Database& db, const std::atomic<bool>* stop = nullptr);
    // 1.. the number of articles; 0 for a docid without a passage.
    std::uint32_t operator[](Xapian::docid did) const { return did < article_.size() ? article_[did] : 0; }
    std::uint32_t articles() const { return articles_; }

private:
    std::vector<std::uint32_t> article_;
    std::uint32_t articles_ = 0;
};

// A match spy that counts every passage and the articles of the first
// `read_up_to` (reading each match's article value was a fifth of a
// Wikipedia bag-of-words query that examines 17,000 passages), from the
// article slot or from `table` when given (its database's docids). Local
// databases only: xapian-tcpsrv cannot run a spy of Trawl's own.
class ArticleSampleSpy : public Xapian::MatchSpy {
public:
    explicit ArticleSampleSpy(Xapian::doccount read_up_to, const PassageArticles* table = nullptr);
    void operator()(const Xapian::Document& doc, double wt) override;
    SpiedCounts counts() const { return {seen_, sampled_, table_ ? distinct_ : articles_.size()}; }
    bool reads_values() const { return table_ == nullptr; }

private:
    Xapian::doccount read_up_to_;
    const PassageArticles* table_;
    std::uint64_t seen_ = 0, sampled_ = 0, distinct_ = 0;
    std::string last_;  // the article last read: an article's passages come together
    std::unordered_set<std::string> articles_;
    std::vector<bool> counted_;  // with a table: by article number
};

class MatchCounter {
public:
    // Adds the spy to `enquire` for one get_mset() call; removed again by the
    // destructor. The spy reads the articles of the first `read_up_to`
    // passages the match examines (all of them when `remote`: a remote shard
    // runs only Xapian's own ValueCountMatchSpy).
    MatchCounter(Xapian::Enquire& enquire, Xapian::doccount read_up_to, bool remote,
                 const PassageArticles* table = nullptr);
    ~MatchCounter();
    MatchCounter(const MatchCounter&) = delete;
    MatchCounter& operator=(const MatchCounter&) = delete;

    // After get_mset(): the counts. `collapsed`: the mset was collapsed by
    // article (its own bounds then count articles, not passages);
    // `passages_in_index` bounds an estimate from above; `exhaustive`: the
    // match examined every passage of the index (check_at_least reached its
    // document count), so the spy saw every match.
    void count(const Xapian::MSet& mset, bool collapsed, Xapian::doccount passages_in_index, bool exhaustive,
               Summary& out) const;
    // After get_mset(..., check_at_least = `check`): whether the match
    // examined every passage that matches. Xapian examines at least `check`
    // matches when there are so many, so the spy seeing fewer saw them all;
    // its counts are then exact, collapsed by article or not.
    bool saw_every_match(Xapian::doccount check) const;
    // The articles read from values (none when a table served).
    std::uint64_t value_reads() const;

private:
    Xapian::Enquire& enquire_;
    std::unique_ptr<ArticleSampleSpy> sample_;
    std::unique_ptr<Xapian::ValueCountMatchSpy> all_;
};

// `articles` (a count of matching articles) held to `in_index`, the articles
// the index holds: Xapian's bounds and the spy's count passages, and an
// upper bound of one article per passage not read can exceed them ("of the"
// on Reuters: up to 38,712 of its 21,265 articles). Never below its lower bound.
Count at_most_articles(Count articles, std::uint64_t in_index);

// The pure part: the counts from the mset's bounds and what the spy saw.
// With `exhaustive`, the spy must have read every passage it saw.
void derive_counts(Count mset_bounds, bool collapsed, SpiedCounts spied, std::uint64_t passages_in_index,
                   bool exhaustive, Summary& out);

}  // namespace trawl::query
