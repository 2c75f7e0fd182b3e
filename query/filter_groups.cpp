#include "query/filter_groups.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "indexer/format/schema.hpp"
#include "query/query_tree.hpp"

namespace trawl::query {
namespace {

using Q = Xapian::Query;

// What a subquery matches by: words (weighted), or one field's filters only.
enum class Kind { Weighted, Source, Date, Filters };

Kind combined(Kind a, Kind b) {
    if (a == Kind::Weighted || b == Kind::Weighted) return Kind::Weighted;
    return a == b ? a : Kind::Filters;
}

Kind kind_of(const Q& q) {
    const auto type = q.get_type();
    switch (type) {
        case Q::LEAF_TERM:
            return std::string(*q.get_terms_begin()).starts_with(format::kPrefixSource) ? Kind::Source : Kind::Weighted;
        case Q::LEAF_MATCH_ALL:  // "date:.." (no end given): every passage
        case Q::OP_VALUE_RANGE:
        case Q::OP_VALUE_GE:
        case Q::OP_VALUE_LE:
            return Kind::Date;
        case Q::OP_SCALE_WEIGHT:  // the parser's "0 * XSreuters"
        case Q::OP_OR:
        case Q::OP_AND:
        case Q::OP_FILTER:
        case Q::OP_AND_NOT: {  // "-date:": MatchAll AND_NOT the ranges
            const auto n = q.get_num_subqueries();
            if (n == 0) return Kind::Weighted;
            Kind k = kind_of(q.get_subquery(0));
            for (std::size_t i = 1; i < n && k != Kind::Weighted; ++i) k = combined(k, kind_of(q.get_subquery(i)));
            return k;
        }
        default:
            return Kind::Weighted;
    }
}

// Whether filter `q` is the parser's filter in brackets of its own: "0 *"
// scaled, or an OR or AND of such.
bool scaled_apart(const Q& q) {
    if (q.get_type() == Q::OP_SCALE_WEIGHT) return true;
    if (q.get_type() != Q::OP_OR && q.get_type() != Q::OP_AND) return false;
    for (std::size_t i = 0; i < q.get_num_subqueries(); ++i)
        if (!scaled_apart(q.get_subquery(i))) return false;
    return q.get_num_subqueries() > 0;
}

// filters_restrict() of `q`; none when nothing changes.
std::optional<Q> rewritten(const Q& q) {
    const auto n = q.get_num_subqueries();
    if (n == 0) return std::nullopt;
    std::vector<Q> subs;
    bool changed = false;
    for (std::size_t i = 0; i < n; ++i) {
        auto sub = rewritten(q.get_subquery(i));
        changed = changed || sub;
        subs.push_back(sub ? *sub : q.get_subquery(i));
    }
    std::optional<Q> node;
    if (changed && !(node = with_subqueries(q, subs))) return std::nullopt;  // a phrase holds words only
    if (q.get_type() == Q::OP_AND_MAYBE && subs.size() == 2) {
        // "+oil (source:a)": the words the user must have, and the filter
        // (or the words it restricts, "+oil gas (source:a)") as the optional
        // side: the filter restricts the whole.
        const Q& right = subs[1];
        if (kind_of(right) != Kind::Weighted) return Q(Q::OP_FILTER, subs[0], right);
        // Only a filter bracketed apart ("+oil gas (source:a)": the parser's
        // "0 * XSa", made a filter above); one the user bracketed with its
        // words ("+oil (gas source:a)", Xapian's own FILTER) restricts them
        // alone (a review).
        if (right.get_type() == Q::OP_FILTER && right.get_num_subqueries() == 2 &&
            kind_of(right.get_subquery(1)) != Kind::Weighted && scaled_apart(right.get_subquery(1)))
            return Q(Q::OP_FILTER, Q(Q::OP_AND_MAYBE, subs[0], right.get_subquery(0)), right.get_subquery(1));
        return node;
    }
    if (q.get_type() != Q::OP_OR) return node;
    std::vector<Q> weighted;
    std::map<Kind, std::vector<Q>> filters;  // by field
    for (const auto& sub : subs) {
        const Kind k = kind_of(sub);
        (k == Kind::Weighted ? weighted : filters[k]).push_back(sub);
    }
    if (weighted.empty() || filters.empty()) return node;
    // "oil source:a OR source:b": Xapian binds the bare source:a to the
    // words, (oil FILTER a) OR 0 * b; the words get both, as two bare
    // filters of one field would.
    if (weighted.size() == 1 && weighted.front().get_type() == Q::OP_FILTER &&
        weighted.front().get_num_subqueries() == 2) {
        const Q own = weighted.front().get_subquery(1);
        if (const auto it = filters.find(kind_of(own)); it != filters.end()) {
            it->second.push_back(own);
            weighted.front() = weighted.front().get_subquery(0);
        }
    }
    std::vector<Q> fields;
    for (const auto& [kind, any_of] : filters) fields.emplace_back(Q::OP_OR, any_of.begin(), any_of.end());
    const Q words = weighted.size() == 1 ? weighted.front() : Q(Q::OP_OR, weighted.begin(), weighted.end());
    return Q(Q::OP_FILTER, words, Q(Q::OP_AND, fields.begin(), fields.end()));
}

}  // namespace

Xapian::Query filters_restrict(const Xapian::Query& q) {
    auto r = rewritten(q);
    return r ? *r : q;
}

}  // namespace trawl::query
