// Counts the passages and articles a query matches, in the same pass as the
// search: a Xapian::ValueCountMatchSpy on the article slot sees every passage
// the match examines. The match examines at least `exact_up_to` passages
// (Enquire's check_at_least), so a query matching no more than that is
// counted exactly; beyond, the counts are Xapian's estimate and its bounds
// (articles scaled from the passages seen).
#pragma once

#include <xapian.h>

#include "query/summary.hpp"

namespace trawl::query {

// Passages a query is counted exactly up to, as Lucene counts hits (its
// TOTAL_HITS_THRESHOLD): beyond, the match may stop early, and counting
// 50,000 was most of the bag-of-words tail on Wikipedia (bench/RESULTS.md,
// "Issue 10, fifth round").
inline constexpr Xapian::doccount kExactCountLimit = 1000;

class MatchCounter {
public:
    // Adds the spy to `enquire` for one get_mset() call; removed again by the destructor.
    explicit MatchCounter(Xapian::Enquire& enquire);
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

private:
    Xapian::Enquire& enquire_;
    Xapian::ValueCountMatchSpy spy_;
};

// The pure part: the counts from the mset's bounds, the passages the spy saw
// and the distinct articles among them.
void derive_counts(Count mset_bounds, bool collapsed, std::uint64_t seen, std::uint64_t distinct,
                   std::uint64_t passages_in_index, bool exhaustive, Summary& out);

}  // namespace trawl::query
