// Gathers the article evidence of article_score.hpp from the passage index
// itself: an article's passages are the postings of its A<id> term, their
// lengths and the query terms' wdf come from the postings, so no termlist and
// no second index are needed. The article-level mean length is the passages'
// total length over the number of articles (counted once per opened index).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <xapian.h>

#include "indexer/format/deletions.hpp"
#include "indexer/format/stems.hpp"
#include "query/article_score.hpp"
#include "query/bm25_source.hpp"

namespace trawl::query {

// A weighted query term: what Xapian's BM25 multiplies the term's score by is
// the query factor of `wqf` times `scale` (OP_SCALE_WEIGHT, query expansion).
struct WeightedTerm {
    std::string term;
    double wqf = 1;
    double scale = 1;
};

// The body terms (stems and words, format::query_terms()) of `q` with their
// within-query frequency, in first-occurrence order; title, boolean and
// filter terms are left out.
std::vector<WeightedTerm> body_terms(const Xapian::Query& q);

class ArticleScorer {
public:
    // `deleted` and `stems` (which answers for a stem's words and frequency)
    // must outlive the scorer.
    ArticleScorer(Xapian::Database db, const format::Deletions& deleted, format::StemReader& stems, Bm25Params p);
    // The score of each article of `articles` (ids, same order) for `terms`;
    // passage lengths from `lengths` when given (the database's, in memory:
    // bm25_source.hpp), else from the postings.
    std::vector<double> scores(const std::vector<std::string>& articles, const std::vector<WeightedTerm>& terms,
                               ArticleAggregation how, const DocLengths* lengths = nullptr);
    // The distinct article ids of the database (its A terms, walked once per
    // opened revision and shared with the mean article length): its live
    // articles, and the deleted ones until the index is rebuilt.
    std::uint64_t articles();
    // Forget the cached statistics (after the database was reopened).
    void reset() {
        avg_article_ = -1;
        articles_ = -1;
    }

private:
    double avg_article_length();

    Xapian::Database db_;
    const format::Deletions& deleted_;
    format::StemReader& stems_;
    Bm25Params p_;
    double avg_article_ = -1;
    std::int64_t articles_ = -1;  // articles(), -1 until counted
};

}  // namespace trawl::query
