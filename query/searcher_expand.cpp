// Searcher: query expansion by pseudo-relevance feedback (expansion.hpp). The
// feedback hits' terms come from their stored text, analysed by the indexer's
// own format::make_passage_document(): the index has no termlist to read them
// from (format v3), and this way a feedback term is exactly a term the index holds.
#include "indexer/format/analysis.hpp"
#include "indexer/format/passage_document.hpp"
#include "query/searcher.hpp"

namespace trawl::query {
namespace {

// The body stems of one stored passage with their frequencies, as the indexer
// would index it (the lead passage holds its headline as body words too).
std::map<std::string, double> stored_stems(Xapian::TermGenerator& tg, const format::StoredFields& f,
                                           PassageOrdinal ordinal) {
    corpus::Article a;
    a.id = f.article_id;
    a.title = f.title;
    const format::ArticleKeys keys{format::article_term(f.article_id), format::content_term(0), "", ""};
    corpus::Passage p;
    p.ordinal = ordinal;
    p.text = f.text;
    const auto doc = format::make_passage_document(tg, a, keys, p, format::PositionalWords::all());
    std::map<std::string, double> tf;
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
        const std::string term = *t;
        const auto c = format::classify_term(term);
        if (c.field != format::TermClass::Field::Body || !c.stemmed) continue;
        if (feedback_term_ok(std::string(c.word))) tf[term] = t.get_wdf();
    }
    return tf;
}

// True when `q` ranks by any of its terms: a term, or an OR of terms. Such a
// query may be widened by the feedback terms; any other (phrases, AND, NOT...)
// keeps its matches and only gains weight from them.
// A stem the parser expanded through the synonym table (OP_SYNONYM of
// terms, format/stems.hpp) is one term.
bool plain_term(const Xapian::Query& q) {
    if (q.get_type() == Xapian::Query::LEAF_TERM) return true;
    // A stem weighed by its exact frequency (exact_stems.hpp).
    if (q.get_type() == Xapian::Query::OP_SCALE_WEIGHT) return plain_term(q.get_subquery(0));
    if (q.get_type() != Xapian::Query::OP_SYNONYM) return false;
    for (std::size_t i = 0; i < q.get_num_subqueries(); ++i)
        if (q.get_subquery(i).get_type() != Xapian::Query::LEAF_TERM) return false;
    return true;
}

bool plain_or(const Xapian::Query& q) {
    if (plain_term(q)) return true;
    if (q.get_type() != Xapian::Query::OP_OR) return false;
    for (std::size_t i = 0; i < q.get_num_subqueries(); ++i)
        if (!plain_term(q.get_subquery(i))) return false;
    return true;
}

}  // namespace

Xapian::Query Searcher::expand(const Xapian::Query& parsed, std::vector<WeightedTerm>& weighted,
                               std::optional<Expanded>& parts) {
    const auto& x = opts_.expand;
    // The first pass: the query as it is, dead passages left out.
    const auto exact = exact_query(parsed);  // verified_positions.hpp
    enquire_.set_query(without_dead(exact.query));
    const auto first = enquire_.get_mset(0, x.docs, 0, nullptr, exact.decider.get());
    std::vector<FeedbackDoc> feedback;
    auto tg = format::make_term_generator();
    for (auto it = first.begin(); it != first.end(); ++it) {
        failed_doc_ = *it;
        const auto data = format::stored_passage(it.get_document());
        // An unranked hit (a stop word's: DocidOrder's weight) gives no feedback.
        feedback.push_back({shown_score(it.get_weight()), stored_stems(tg, read_fields(data, *it), data.ordinal)});
    }
    failed_doc_ = 0;
    const auto model = relevance_model(feedback, x.terms);

    // parse() puts the options' filters around the query: expand inside them.
    const bool filtered = !filter_.empty();
    const Xapian::Query core = filtered ? parsed.get_subquery(0) : parsed;
    weighted = body_terms(core);
    double length = 0;
    for (const auto& t : weighted) length += t.wqf;
    const double original_scale = x.original_weight / (length > 0 ? length : 1);
    for (auto& t : weighted) t.scale = original_scale;
    if (model.empty()) return parsed;

    std::vector<Xapian::Query> added;
    for (const auto& [term, w] : model) {
        const double scale = (1 - x.original_weight) * w;
        added.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, exact_stem_query(stems_, term, db_.get_doccount()), scale);
        weighted.push_back({term, 1, scale});
    }
    const Xapian::Query feedback_terms(Xapian::Query::OP_OR, added.begin(), added.end());
    const Xapian::Query original(Xapian::Query::OP_SCALE_WEIGHT, core, original_scale);
    Xapian::Query expanded(plain_or(core) ? Xapian::Query::OP_OR : Xapian::Query::OP_AND_MAYBE, original,
                           feedback_terms);
    if (filtered) expanded = Xapian::Query(Xapian::Query::OP_FILTER, expanded, filter_);
    parts = Expanded{core, feedback_terms, original_scale};
    return expanded;
}

}  // namespace trawl::query
