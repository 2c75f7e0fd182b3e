#include "query/proximity.hpp"

#include <algorithm>

namespace trawl::query {

double bm25_length_norm(double k1, double b, double doclen, double avg_doclen) {
    const double ratio = avg_doclen > 0 ? doclen / avg_doclen : 1.0;
    return k1 * ((1 - b) + b * ratio);
}

double proximity_score(const std::vector<TermOccurrence>& occ, const std::vector<double>& idf, double k1,
                       double length_norm, std::uint32_t window) {
    std::vector<double> acc(idf.size(), 0.0);
    for (std::size_t i = 1; i < occ.size(); ++i) {
        const auto& prev = occ[i - 1];
        const auto& cur = occ[i];
        if (prev.term == cur.term) continue;
        const std::uint32_t d = cur.pos - prev.pos;
        if (d == 0 || d > window) continue;
        const double inv_d2 = 1.0 / (double(d) * double(d));
        acc[prev.term] += idf[cur.term] * inv_d2;
        acc[cur.term] += idf[prev.term] * inv_d2;
    }
    double score = 0;
    for (std::size_t t = 0; t < acc.size(); ++t) {
        if (acc[t] == 0) continue;
        score += std::min(1.0, idf[t]) * acc[t] * (k1 + 1) / (acc[t] + length_norm);
    }
    return score;
}

}  // namespace trawl::query
