// Article evidence for passage hits (pure). A passage of ~100 words is weak
// evidence of what its article is about: ranking an article by its best
// passage alone (MaxP) lost to whole-article BM25 on every collection measured
// (bench/RESULTS.md, "Relevance, round two"). So a hit's score combines its
// passage's BM25 with its article's (Callan 1994, "Passage-level evidence in
// document retrieval"):
//   score = (1 − α) · passage + α · article,
// where the article's score aggregates its passages (Dai & Callan 2019):
//   Document: BM25 of the article as one unit, its term frequencies and length
//             summed over its passages (overlapping sentences count twice, for
//             every article alike);
//   SumP:     the sum of its passages' BM25 scores;
//   FirstP:   its lead passage's BM25 score.
// The searcher gathers the statistics (article_scorer.hpp); these functions only
// compute.
#pragma once

#include <string_view>
#include <vector>

namespace trawl::query {

enum class ArticleAggregation { Document, SumP, FirstP };

// "doc", "sump", "firstp"; UsageError for anything else.
ArticleAggregation parse_aggregation(std::string_view name);
const char* aggregation_name(ArticleAggregation a);

struct ArticleOptions {
    double weight = 0;  // α; 0 = the passage alone (MaxP when grouped by article)
    ArticleAggregation aggregation = ArticleAggregation::Document;
};

// BM25 as Xapian's BM25Weight(k1, 0, 1, b, min_normlen) computes it.
struct Bm25Params {
    double k1 = 1.2;
    double b = 0.75;
    double min_normlen = 0.5;
};

// Xapian's BM25 idf of a term in `term_freq` of `units` units:
// log((N − n + 0.5) / (n + 0.5)), the ratio halved and raised by 1 first when
// it is below 2, so that the idf is never negative (nor zero).
double bm25_idf(double units, double term_freq);

// The document-independent part of a term's weight: bm25_idf(), times (k1 + 1), times `wqf`
// (Xapian scores each of a term's occurrences in the query as a leaf of its
// own, wqf 1, and sums them), times `scale` (OP_SCALE_WEIGHT).
double bm25_term_weight(const Bm25Params& p, double units, double term_freq, double wqf, double scale = 1);

// A term's score in one unit: term_weight · wdf / (k1 · (b · normlen + 1 − b) + wdf),
// normlen = max(length / avg_length, min_normlen).
double bm25_unit_score(const Bm25Params& p, double term_weight, double wdf, double length, double avg_length);

// One passage of an article as the scorer sees it: its length and the wdf of
// each query term (same order as the term weights).
struct PassageStats {
    double length = 0;
    std::vector<double> wdf;
};

// The article's score from its passages, lead passage first. `avg_passage` is
// the collection's mean passage length, `avg_article` its mean article length
// (sum of its passages' lengths).
double article_score(const std::vector<PassageStats>& passages, const std::vector<double>& term_weights,
                     const Bm25Params& p, double avg_passage, double avg_article, ArticleAggregation how);

// (1 − α) · passage + α · article.
inline double combine_scores(double passage, double article, double alpha) {
    return (1 - alpha) * passage + alpha * article;
}

}  // namespace trawl::query
