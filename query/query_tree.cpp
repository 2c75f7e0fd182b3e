#include "query/query_tree.hpp"

#include <charconv>
#include <cstdlib>
#include <functional>
#include <string>
#include <string_view>

#include "indexer/format/passage_document.hpp"

namespace trawl::query {

double scale_of(const Xapian::Query& q) {
    const std::string d = q.get_description();
    const auto at = d.find('(');
    return at == std::string::npos ? 1.0 : std::strtod(d.c_str() + at + 1, nullptr);
}

std::optional<Xapian::Query> with_subqueries(const Xapian::Query& q, const std::vector<Xapian::Query>& subs) {
    using Q = Xapian::Query;
    const auto type = q.get_type();
    switch (type) {
        case Q::OP_AND:
        case Q::OP_OR:
        case Q::OP_AND_NOT:
        case Q::OP_XOR:
        case Q::OP_AND_MAYBE:
        case Q::OP_FILTER:
        case Q::OP_SYNONYM:
        case Q::OP_MAX:
            return Q(type, subs.begin(), subs.end());
        case Q::OP_SCALE_WEIGHT:  // --expand weighs the original query (searcher_expand.cpp)
            return Q(type, subs.front(), scale_of(q));
        default:
            return std::nullopt;
    }
}

namespace {

// replace_nodes(), none when nothing below `q` was replaced.
std::optional<Xapian::Query> replaced(
    const Xapian::Query& q, const std::function<std::optional<Xapian::Query>(const Xapian::Query&)>& replace) {
    if (auto r = replace(q)) return r;
    const auto n = q.get_num_subqueries();
    std::vector<Xapian::Query> subs;
    bool changed = false;
    for (std::size_t i = 0; i < n; ++i) {
        auto sub = replaced(q.get_subquery(i), replace);
        changed = changed || sub;
        subs.push_back(sub ? *sub : q.get_subquery(i));
    }
    return changed ? with_subqueries(q, subs) : std::nullopt;
}

}  // namespace

Xapian::Query replace_nodes(const Xapian::Query& q,
                            const std::function<std::optional<Xapian::Query>(const Xapian::Query&)>& replace) {
    auto r = replaced(q, replace);
    return r ? *r : q;
}

Xapian::termcount window_of(const Xapian::Query& q) {
    const std::string d = q.get_description();
    const std::string_view op = q.get_type() == Xapian::Query::OP_NEAR ? " NEAR " : " PHRASE ";
    const auto at = d.find(op);
    Xapian::termcount w = 0;
    if (at != std::string::npos) std::from_chars(d.data() + at + op.size(), d.data() + d.size(), w);
    return w == 0 ? static_cast<Xapian::termcount>(q.get_num_subqueries()) : w;
}

bool has_positional(const Xapian::Query& q) {
    const auto type = q.get_type();
    if (type == Xapian::Query::OP_PHRASE || type == Xapian::Query::OP_NEAR) return true;
    for (std::size_t i = 0; i < q.get_num_subqueries(); ++i)
        if (has_positional(q.get_subquery(i))) return true;
    return false;
}

bool has_title_positional(const Xapian::Query& q) {
    const auto type = q.get_type();
    if (type == Xapian::Query::OP_PHRASE || type == Xapian::Query::OP_NEAR) {
        for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) {
            const auto sub = q.get_subquery(i);
            if (sub.get_type() != Xapian::Query::LEAF_TERM ||
                format::classify_term(*sub.get_terms_begin()).field != format::TermClass::Field::Title)
                return false;
        }
        return q.get_num_subqueries() > 0;
    }
    for (std::size_t i = 0; i < q.get_num_subqueries(); ++i)
        if (has_title_positional(q.get_subquery(i))) return true;
    return false;
}

bool all_words_positional(const Xapian::Query& q) {
    using Q = Xapian::Query;
    switch (q.get_type()) {
        case Q::OP_PHRASE:
        case Q::OP_NEAR:
            return true;
        case Q::OP_FILTER:
            return all_words_positional(q.get_subquery(0));
        case Q::OP_AND:
            for (std::size_t i = 0; i < q.get_num_subqueries(); ++i)
                if (!all_words_positional(q.get_subquery(i))) return false;
            return q.get_num_subqueries() > 0;
        default:
            return false;
    }
}

std::vector<Xapian::Query> left_out_parts(const Xapian::Query& q) {
    std::vector<Xapian::Query> out;
    const std::function<void(const Xapian::Query&)> walk = [&](const Xapian::Query& node) {
        const bool and_not = node.get_type() == Xapian::Query::OP_AND_NOT;
        for (std::size_t i = 0; i < node.get_num_subqueries(); ++i) {
            if (and_not && i > 0) out.push_back(node.get_subquery(i));
            else walk(node.get_subquery(i));
        }
    };
    walk(q);
    return out;
}

Xapian::Query kept_parts(const Xapian::Query& q) {
    return replace_nodes(q, [](const Xapian::Query& node) -> std::optional<Xapian::Query> {
        if (node.get_type() != Xapian::Query::OP_AND_NOT) return std::nullopt;
        return kept_parts(node.get_subquery(0));
    });
}

}  // namespace trawl::query
