#include "query/match_counts.hpp"

#include <algorithm>
#include <cmath>

#include "indexer/format/schema.hpp"

namespace trawl::query {

MatchCounter::MatchCounter(Xapian::Enquire& enquire) : enquire_(enquire), spy_(format::kSlotArticle) {
    enquire_.add_matchspy(&spy_);
}

MatchCounter::~MatchCounter() { enquire_.clear_matchspies(); }

void MatchCounter::count(const Xapian::MSet& mset, bool collapsed, Xapian::doccount passages_in_index, bool exhaustive,
                         Summary& out) const {
    std::uint64_t distinct = 0;
    for (auto v = spy_.values_begin(); v != spy_.values_end(); ++v) ++distinct;
    const Count bounds{mset.get_matches_estimated(), mset.get_matches_lower_bound(), mset.get_matches_upper_bound()};
    derive_counts(bounds, collapsed, spy_.get_total(), distinct, passages_in_index, exhaustive, out);
}

void derive_counts(Count bounds, bool collapsed, std::uint64_t seen, std::uint64_t distinct,
                   std::uint64_t passages_in_index, bool exhaustive, Summary& out) {
    if (exhaustive) {
        out.passages = Count::of(seen);
        out.articles = Count::of(distinct);
        return;
    }
    const auto scaled = [](std::uint64_t n, std::uint64_t num, std::uint64_t den) {
        return den == 0 ? n
                        : static_cast<std::uint64_t>(std::llround(static_cast<double>(n) * static_cast<double>(num) /
                                                                  static_cast<double>(den)));
    };
    if (!collapsed) {
        out.passages = bounds;
        if (bounds.exact() && seen == bounds.estimate) {
            out.articles = Count::of(distinct);
        } else {
            // Every article seen matched; no more articles than passages.
            const auto est = std::clamp(scaled(distinct, bounds.estimate, seen), distinct, bounds.upper);
            out.articles = {est, distinct, std::max(distinct, bounds.upper)};
        }
        return;
    }
    // Collapsed by article: Xapian's bounds count articles; the spy sees
    // passages before they collapse.
    out.articles = bounds;
    if (bounds.exact()) {
        out.passages = Count::of(seen);
    } else {
        const auto upper = std::max(seen, passages_in_index);
        out.passages = {std::clamp(scaled(seen, bounds.estimate, distinct), seen, upper), seen, upper};
    }
}

}  // namespace trawl::query
