// What a search returns beside its ranked hits, apart from the ranking code:
// the suggested spelling and the hits' score explanations.
#include "indexer/format/passage_document.hpp"
#include "query/explain.hpp"
#include "query/searcher.hpp"

namespace trawl::query {

void Searcher::add_extras(ResultSet& rs, const std::string& query, const Xapian::Query& parsed,
                          const Xapian::MSet& mset, const std::vector<Xapian::doccount>& shown) {
    if (opts_.suggest && !opts_.ids_only) {
        if (!speller_) speller_ = std::make_unique<Speller>(db_, opts_.spelling);
        rs.summary.suggestion = speller_->suggest(query);
    }
    if (!opts_.explain) return;
    const auto weight = make_weight(opts_);
    for (std::size_t i = 0; i < rs.hits.size() && i < shown.size(); ++i) {
        const auto doc = *mset[shown[i]];
        auto& hit = rs.hits[i];
        hit.explained = true;
        hit.explanation = explain_score(db_, weight, parsed, doc,
                                        format::article_term(format::article_id_of(mset[shown[i]].get_document())));
        // With article evidence (searcher_article.cpp) the passage's BM25
        // counts (1 - weight) of the score and the article's the rest: the
        // terms' shares are scaled so, and the article's share follows them.
        if (opts_.article.weight > 0 && opts_.sort == SortOrder::Relevance) {
            double passage = 0;
            for (auto& part : hit.explanation) passage += (part.score *= 1 - opts_.article.weight);
            hit.explanation.push_back({"(article)", hit.score - passage});
        }
    }
}

}  // namespace trawl::query
