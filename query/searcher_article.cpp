// Searcher: the article evidence step of the ranking (article_score.hpp).
#include <map>

#include "indexer/format/passage_document.hpp"
#include "query/searcher.hpp"

namespace trawl::query {

void Searcher::add_article_evidence(const Xapian::MSet& mset, ScoreOrder& order, Xapian::doccount window,
                                    const std::vector<WeightedTerm>& terms) {
    // The article of each of the first `window` hits, each article scored once. Grouped by
    // article, the collapse key is the article id; otherwise it is read from
    // the passage's values.
    std::map<std::string, std::size_t> slot;
    std::vector<std::string> ids;
    std::vector<std::size_t> article_of(window);
    for (std::size_t i = 0; i < window; ++i) {
        const auto it = mset[order[i].second];
        failed_doc_ = *it;
        std::string id = opts_.by_article ? it.get_collapse_key() : format::article_id_of(it.get_document());
        auto [s, fresh] = slot.emplace(std::move(id), ids.size());
        if (fresh) ids.push_back(s->first);
        article_of[i] = s->second;
    }
    failed_doc_ = 0;
    const auto scores = articles_.scores(ids, terms, opts_.article.aggregation, lengths_.table.get());
    for (std::size_t i = 0; i < window; ++i)
        order[i].first = combine_scores(order[i].first, scores[article_of[i]], opts_.article.weight);
}

}  // namespace trawl::query
