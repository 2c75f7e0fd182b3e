#include "query/exact_stems.hpp"

#include <vector>

#include "query/article_score.hpp"
#include "query/query_tree.hpp"

namespace trawl::query {
namespace {

Xapian::Query scaled(const Xapian::Query& q, double factor) {
    return factor == 1 ? q : Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q, factor);
}

Xapian::Query walk(const Xapian::Query& q, format::StemReader& stems, double units, bool& changed) {
    using Q = Xapian::Query;
    if (const auto stem = format::parsed_stem(q); !stem.empty()) {
        const double factor = exact_stem_factor(stems, stem, units);
        changed = changed || factor != 1;
        return scaled(q, factor);
    }
    // Terms, wildcards and ranges have no subqueries; phrases and NEAR hold
    // words, never stems, so nothing under them changes.
    std::vector<Q> subs;
    bool any = false;
    for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) subs.push_back(walk(q.get_subquery(i), stems, units, any));
    if (!any) return q;
    auto rebuilt = with_subqueries(q, subs);
    if (!rebuilt) return q;
    changed = true;
    return *rebuilt;
}

}  // namespace

double exact_stem_factor(format::StemReader& stems, const std::string& term, double units) {
    const double estimate = stems.synonym_estimate(term);
    const double exact = stems.termfreq(term);
    if (estimate == exact) return 1;
    return bm25_idf(units, exact) / bm25_idf(units, estimate);
}

Xapian::Query weigh_stems_exactly(const Xapian::Query& q, format::StemReader& stems, double units) {
    if (stems.storage() != format::StemStorage::Synonyms) return q;
    bool changed = false;
    return walk(q, stems, units, changed);
}

Xapian::Query exact_stem_query(format::StemReader& stems, const std::string& term, double units) {
    return scaled(stems.query(term), exact_stem_factor(stems, term, units));
}

}  // namespace trawl::query
