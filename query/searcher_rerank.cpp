// Searcher: the re-ranking cascade. The top rerank_depth hits of the BM25
// ranking are re-scored (article evidence, proximity) and re-sorted; the hits
// below follow in BM25 order. The depth does not depend on the page asked
// for, so every limit and offset is a slice of one ranking.
#include <algorithm>

#include "query/searcher.hpp"

namespace trawl::query {

void Searcher::rerank_top(const Xapian::MSet& mset, ScoreOrder& order, const std::vector<ProximityTerm>& prox,
                          const std::vector<WeightedTerm>& weighted, bool article) {
    const auto window = static_cast<Xapian::doccount>(std::min<std::size_t>(order.size(), opts_.rerank_depth));
    if (prox.size() >= 2) {
        std::vector<Xapian::docid> docs;
        for (Xapian::doccount i = 0; i < window; ++i) docs.push_back(*mset[i]);
        const auto prox_scores = proximity_scores(docs, prox);
        for (Xapian::doccount i = 0; i < window; ++i) order[i].first += opts_.proximity.weight * prox_scores[i];
    }
    if (article) {
        add_article_evidence(mset, order, window, weighted);
        // Below the window no article is read: its evidence counts as none,
        // (1 − α)·passage. That keeps every such hit below the re-scored ones
        // (an article's BM25 is never negative and none of them has a lower
        // passage BM25), and the scores falling in the order shown, the order
        // trec_eval reads a run file in.
        for (auto i = static_cast<std::size_t>(window); i < order.size(); ++i)
            order[i].first = combine_scores(order[i].first, 0, opts_.article.weight);
    }
    // Stable: equal scores keep the match's order (docids). Proximity only
    // adds to the window's scores, so it stays above the rest too.
    std::stable_sort(order.begin(), order.begin() + window,
                     [](const auto& x, const auto& y) { return x.first > y.first; });
}

}  // namespace trawl::query
