// Proximity-aware ranking: how close together the query's terms occur in a
// passage, as a score added to BM25 (pure; the searcher gathers positions).
//
// The scheme is Büttcher, Clarke & Lushman's term-proximity score (SIGIR 2006),
// a BM25TP variant (Rasolofo & Savoy 2003): walk the passage's query-term
// occurrences in position order; every two neighbouring occurrences of
// *different* terms at distance d (<= window) add idf(other)/d² to each one's
// accumulator; each term's accumulator is then saturated like a BM25 term
// frequency and weighted by min(1, idf):
//   prox = Σ_t min(1, idf_t) · acc_t · (k1 + 1) / (acc_t + K),
//   K = k1 · ((1 − b) + b · doclen / avgdoclen).
// The searcher adds weight · prox to the score of each hit it re-ranks (the
// top SearchOptions::rerank_depth BM25 hits) and re-sorts them.
#pragma once

#include <cstdint>
#include <vector>

namespace trawl::query {

struct ProximityOptions {
    double weight = 0;          // multiplier of the proximity score; 0 = plain BM25
    std::uint32_t window = 10;  // occurrences further apart than this many words do not count
};

// One occurrence of query term `term` (index into the idf vector) at word `pos`.
struct TermOccurrence {
    std::uint32_t pos;
    std::uint32_t term;
    bool operator<(const TermOccurrence& o) const { return pos < o.pos || (pos == o.pos && term < o.term); }
};

// BM25's length normalisation K for a passage.
double bm25_length_norm(double k1, double b, double doclen, double avg_doclen);

// The proximity score of one passage. `occ` must be sorted by position;
// `idf[t]` is the weight of term t. `k1` saturates the accumulators.
double proximity_score(const std::vector<TermOccurrence>& occ, const std::vector<double>& idf, double k1,
                       double length_norm, std::uint32_t window);

}  // namespace trawl::query
