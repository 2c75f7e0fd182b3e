#include "query/acronyms.hpp"

#include <algorithm>
#include <optional>

#include "indexer/format/passage_document.hpp"
#include "query/query_tree.hpp"

namespace trawl::query {
namespace {

// The acronym `term` is (its field prefix and its word), if it is one.
struct Acronym {
    std::string prefix, word;
};
std::optional<Acronym> acronym_of(const Xapian::Query& leaf, const std::vector<std::string>& acronyms) {
    if (leaf.get_type() != Xapian::Query::LEAF_TERM) return std::nullopt;
    const std::string term = *leaf.get_terms_begin();
    const auto c = format::classify_term(term);
    if (c.field == format::TermClass::Field::None || c.stemmed) return std::nullopt;
    if (std::find(acronyms.begin(), acronyms.end(), c.word) == acronyms.end()) return std::nullopt;
    return Acronym{term.substr(0, term.size() - c.word.size()), std::string(c.word)};
}

// The leaves of the acronym's letters, in its field.
std::vector<Xapian::Query> letters(const Acronym& a) {
    std::vector<Xapian::Query> out;
    for (const char c : a.word) out.emplace_back(a.prefix + c);
    return out;
}

Xapian::Query letters_phrase(const Acronym& a) {
    const auto l = letters(a);
    return Xapian::Query(Xapian::Query::OP_PHRASE, l.begin(), l.end(), static_cast<Xapian::termcount>(l.size()));
}

// An exact phrase with its acronyms as words or letters; a wider one as it
// is; none when it holds no acronym.
std::optional<Xapian::Query> phrase_forms(const Xapian::Query& q, const std::vector<std::string>& acronyms) {
    const std::size_t n = q.get_num_subqueries();
    if (window_of(q) != n) return q;  // a wider ADJ: left as it is
    std::vector<Xapian::Query> words;
    std::vector<std::optional<Acronym>> found;
    std::size_t count = 0;
    for (std::size_t i = 0; i < n; ++i) {
        words.push_back(q.get_subquery(i));
        found.push_back(acronym_of(words.back(), acronyms));
        count += found.back().has_value();
    }
    if (count == 0) return std::nullopt;  // nothing to change below
    // Each acronym joined (bit clear) or split (bit set); beyond three, all or none.
    std::vector<unsigned> masks;
    if (count <= 3) {
        for (unsigned m = 0; m < (1u << count); ++m) masks.push_back(m);
    } else {
        masks = {0u, ~0u};
    }
    std::vector<Xapian::Query> forms;
    for (const unsigned mask : masks) {
        std::vector<Xapian::Query> terms;
        unsigned bit = 0;
        for (std::size_t i = 0; i < n; ++i) {
            if (found[i] && (mask >> std::min(bit++, 31u) & 1u)) {
                for (auto& l : letters(*found[i])) terms.push_back(std::move(l));
            } else {
                terms.push_back(words[i]);
            }
        }
        forms.emplace_back(Xapian::Query::OP_PHRASE, terms.begin(), terms.end(),
                           static_cast<Xapian::termcount>(terms.size()));
    }
    return Xapian::Query(Xapian::Query::OP_OR, forms.begin(), forms.end());
}

}  // namespace

Xapian::Query with_acronym_letters(const Xapian::Query& q, const std::vector<std::string>& acronyms) {
    if (acronyms.empty()) return q;
    return replace_nodes(q, [&](const Xapian::Query& node) -> std::optional<Xapian::Query> {
        switch (node.get_type()) {
            case Xapian::Query::OP_PHRASE:
                return phrase_forms(node, acronyms);
            case Xapian::Query::OP_NEAR:
                return node;  // letters would take two positions of the window
            case Xapian::Query::LEAF_TERM:
                if (const auto a = acronym_of(node, acronyms))
                    return Xapian::Query(Xapian::Query::OP_OR, node, letters_phrase(*a));
                return std::nullopt;
            case Xapian::Query::OP_SYNONYM:
                // A stem of bag-of-words ("Zus" for "us"): its words and the letters.
                for (std::size_t i = 0; i < node.get_num_subqueries(); ++i)
                    if (const auto a = acronym_of(node.get_subquery(i), acronyms))
                        return Xapian::Query(Xapian::Query::OP_OR, node, letters_phrase(*a));
                return std::nullopt;
            default:
                return std::nullopt;
        }
    });
}

}  // namespace trawl::query
