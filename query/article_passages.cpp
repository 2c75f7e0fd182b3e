#include "query/article_passages.hpp"

#include <algorithm>
#include <cstdint>
#include <set>

#include "indexer/format/passage_document.hpp"
#include "indexer/format/schema.hpp"

namespace trawl::query {

std::map<std::string, Xapian::doccount> matching_passages(const Xapian::Database& db, const Xapian::Query& query,
                                                          const Xapian::MatchDecider* decider,
                                                          const std::vector<std::string>& articles) {
    std::map<std::string, Xapian::doccount> counts;
    std::set<std::string> terms;
    for (const auto& id : articles) terms.insert(format::article_term(id));
    // Every passage the articles hold, dead ones too: no more can match.
    std::uint64_t passages = 0;
    for (const auto& term : terms) passages += db.get_termfreq(term);
    if (passages == 0) return counts;
    Xapian::ValueCountMatchSpy spy(format::kSlotArticle);
    Xapian::Enquire e(db);
    e.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query,
                              Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end())));
    // Unweighted, and room in the mset for every candidate: Xapian then has
    // no weight to stop at and no full mset to stop with, so the spy (called
    // after the decider) sees every passage that matches.
    e.set_weighting_scheme(Xapian::BoolWeight());
    e.add_matchspy(&spy);
    const auto room = static_cast<Xapian::doccount>(std::min<std::uint64_t>(passages, db.get_doccount()));
    (void)e.get_mset(0, room, room, nullptr, decider);
    for (auto v = spy.values_begin(); v != spy.values_end(); ++v) counts[*v] = v.get_termfreq();
    return counts;
}

}  // namespace trawl::query
