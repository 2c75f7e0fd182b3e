#include "query/explain.hpp"

#include "indexer/format/passage_document.hpp"
#include "indexer/format/stems.hpp"

namespace trawl::query {
namespace {

void collect(const Xapian::Query& q, std::vector<Xapian::Query>& out) {
    switch (q.get_type()) {
        case Xapian::Query::LEAF_TERM:
            out.push_back(q);
            return;
        case Xapian::Query::OP_AND_NOT:
        case Xapian::Query::OP_FILTER:
            if (q.get_num_subqueries() > 0) collect(q.get_subquery(0), out);
            return;
        case Xapian::Query::OP_AND:
        case Xapian::Query::OP_OR:
        case Xapian::Query::OP_XOR:
        case Xapian::Query::OP_AND_MAYBE:
        case Xapian::Query::OP_PHRASE:
        case Xapian::Query::OP_NEAR:
            for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) collect(q.get_subquery(i), out);
            return;
        case Xapian::Query::LEAF_MATCH_ALL:
        case Xapian::Query::LEAF_MATCH_NOTHING:
        case Xapian::Query::OP_VALUE_RANGE:
        case Xapian::Query::OP_VALUE_GE:
        case Xapian::Query::OP_VALUE_LE:
            return;
        default:  // wildcards, synonyms, scaled or other groups: one unit
            out.push_back(q);
    }
}

}  // namespace

std::vector<Xapian::Query> weighted_units(const Xapian::Query& q) {
    std::vector<Xapian::Query> out;
    collect(q, out);
    return out;
}

std::string unit_label(const Xapian::Query& unit) {
    if (unit.get_type() == Xapian::Query::LEAF_TERM) {
        const std::string term = *unit.get_terms_begin();
        const auto c = format::classify_term(term);
        if (c.field == format::TermClass::Field::None) return term;
        return (c.field == format::TermClass::Field::Title ? "title:" : "") + std::string(c.word);
    }
    if (unit.get_type() == Xapian::Query::OP_WILDCARD) {
        // "Query(WILDCARD SYNONYM harb)": the pattern is the last word (searcher.cpp reads it so too).
        std::string d = unit.get_description();
        if (d.ends_with(")")) d.pop_back();
        const auto space = d.rfind(' ');
        // Kept in a string: classify_term() returns views into it (a
        // temporary here was read after its end; ASan, a review).
        const std::string pattern = space == std::string::npos ? d : d.substr(space + 1);
        const auto c = format::classify_term(pattern);
        return (c.field == format::TermClass::Field::Title ? "title:" : "") + std::string(c.word) + "*";
    }
    std::string words;
    // A stem expanded through the synonym table is one term here (stems.hpp).
    for (const auto& t : format::query_terms(unit)) {
        const auto c = format::classify_term(t);
        words += (words.empty() ? "" : "|") + std::string(c.field == format::TermClass::Field::None ? t : c.word);
    }
    return words.empty() ? unit.get_description() : words;
}

double score_alone(const Xapian::Database& db, const Xapian::Weight& weight, const Xapian::Query& q, Xapian::docid doc,
                   const std::string& article_term) {
    // `q` alone, on this article's passages only (a boolean filter adds no weight).
    const Xapian::doccount passages = std::max<Xapian::doccount>(1, db.get_termfreq(article_term));
    Xapian::Enquire e(db);
    e.set_weighting_scheme(weight);
    e.set_query(Xapian::Query(Xapian::Query::OP_FILTER, q, Xapian::Query(article_term)));
    const auto mset = e.get_mset(0, passages);
    for (auto m = mset.begin(); m != mset.end(); ++m)
        if (*m == doc) return m.get_weight();
    return 0;
}

std::vector<ScorePart> explain_score(const Xapian::Database& db, const Xapian::Weight& weight,
                                     const Xapian::Query& parsed, Xapian::docid doc, const std::string& article_term) {
    std::vector<ScorePart> parts;
    for (const auto& unit : weighted_units(parsed))
        if (const double score = score_alone(db, weight, unit, doc, article_term); score != 0)
            parts.push_back({unit_label(unit), score});
    return parts;
}

}  // namespace trawl::query
