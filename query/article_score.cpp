#include "query/article_score.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "corpus/base/error.hpp"

namespace trawl::query {

ArticleAggregation parse_aggregation(std::string_view name) {
    if (name == "doc") return ArticleAggregation::Document;
    if (name == "sump") return ArticleAggregation::SumP;
    if (name == "firstp") return ArticleAggregation::FirstP;
    throw UsageError("article aggregation must be doc, sump or firstp, not '" + std::string(name) + "'");
}

const char* aggregation_name(ArticleAggregation a) {
    switch (a) {
        case ArticleAggregation::Document:
            return "doc";
        case ArticleAggregation::SumP:
            return "sump";
        case ArticleAggregation::FirstP:
            return "firstp";
    }
    return "doc";
}

double bm25_idf(double units, double term_freq) {
    double ratio = (units - term_freq + 0.5) / (term_freq + 0.5);
    if (ratio < 2) ratio = ratio * 0.5 + 1;
    return std::log(ratio);
}

double bm25_term_weight(const Bm25Params& p, double units, double term_freq, double wqf, double scale) {
    // Xapian weighs every occurrence of a term in the query as its own leaf
    // of wqf 1 (k3's factor (k3 + 1)·1 / (k3 + 1) = 1) and sums the leaves.
    return bm25_idf(units, term_freq) * (p.k1 + 1) * wqf * scale;
}

double bm25_unit_score(const Bm25Params& p, double term_weight, double wdf, double length, double avg_length) {
    if (wdf <= 0) return 0;
    const double normlen = std::max(avg_length > 0 ? length / avg_length : 0.0, p.min_normlen);
    return term_weight * wdf / (p.k1 * (p.b * normlen + 1 - p.b) + wdf);
}

namespace {

double unit_score(const std::vector<double>& wdf, double length, const std::vector<double>& weights,
                  const Bm25Params& p, double avg) {
    double s = 0;
    for (std::size_t t = 0; t < weights.size() && t < wdf.size(); ++t)
        s += bm25_unit_score(p, weights[t], wdf[t], length, avg);
    return s;
}

}  // namespace

double article_score(const std::vector<PassageStats>& passages, const std::vector<double>& term_weights,
                     const Bm25Params& p, double avg_passage, double avg_article, ArticleAggregation how) {
    if (passages.empty()) return 0;
    switch (how) {
        case ArticleAggregation::FirstP:
            return unit_score(passages.front().wdf, passages.front().length, term_weights, p, avg_passage);
        case ArticleAggregation::SumP: {
            double s = 0;
            for (const auto& ps : passages) s += unit_score(ps.wdf, ps.length, term_weights, p, avg_passage);
            return s;
        }
        case ArticleAggregation::Document:
            break;
    }
    std::vector<double> wdf(term_weights.size(), 0.0);
    double length = 0;
    for (const auto& ps : passages) {
        length += ps.length;
        for (std::size_t t = 0; t < wdf.size() && t < ps.wdf.size(); ++t) wdf[t] += ps.wdf[t];
    }
    return unit_score(wdf, length, term_weights, p, avg_article);
}

}  // namespace trawl::query
