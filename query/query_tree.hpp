// Rebuilding a Xapian query tree node by node, for the rewrites of the
// parsed query (verified_positions.cpp: phrases checked against the text;
// exact_stems.cpp: stems weighed by their exact frequency), and what the
// searcher asks of its shape.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include <xapian.h>

namespace trawl::query {

// The factor of an OP_SCALE_WEIGHT node, which Xapian 1.4 gives only in its
// description: "Query(0.5 * (a AND b))".
double scale_of(const Xapian::Query& q);

// `q` with its subqueries replaced by `subs` (as many, in order), for the
// operators Trawl's queries are built of: AND, OR, AND_NOT, XOR, AND_MAYBE,
// FILTER, SYNONYM, MAX and SCALE_WEIGHT (its factor kept). None for any other
// (phrases and NEAR, whose window the caller knows; ELITE_SET...).
std::optional<Xapian::Query> with_subqueries(const Xapian::Query& q, const std::vector<Xapian::Query>& subs);

// `q` with each node for which `replace` answers replaced by the answer (the
// nodes below it unvisited), the nodes above rebuilt by with_subqueries();
// `q` itself when nothing was replaced (or a node on the way cannot be rebuilt).
Xapian::Query replace_nodes(const Xapian::Query& q,
                            const std::function<std::optional<Xapian::Query>(const Xapian::Query&)>& replace);

// The window of a phrase or NEAR node (ADJ is a phrase with one). Xapian 1.4
// has no accessor for it; its description says it: "Query((oil@1 NEAR 6
// prices@2))" (verified_positions_test checks that this still holds).
Xapian::termcount window_of(const Xapian::Query& q);

// True when `q` holds a phrase, NEAR or ADJ anywhere: a match must check
// positions (Xapian's, or the passage text's) for each candidate.
bool has_positional(const Xapian::Query& q);

// True when `q` holds a phrase, NEAR or ADJ of title words only
// ("title:\"lower mark\""), which verified_positions.hpp checks on the headline.
bool has_title_positional(const Xapian::Query& q);

// True when every word of `q` stands in a phrase, NEAR or ADJ that every hit
// holds: `q` is one, or the AND of such, under filters (OP_FILTER's right
// side holds filter terms, not words). Such a hit holds the words as typed.
bool all_words_positional(const Xapian::Query& q);

// The parts of `q` it leaves out: the right-hand subqueries of every
// OP_AND_NOT ("oil NOT gas", "oil -gas", "oil NOT (gas coal)", "oil NOT
// title:gas"), as Xapian parsed them.
std::vector<Xapian::Query> left_out_parts(const Xapian::Query& q);

// `q` without the parts it leaves out: each OP_AND_NOT replaced by its left
// side ("crude -\"oil price\"" keeps crude), what a hit's snippet highlights.
Xapian::Query kept_parts(const Xapian::Query& q);

}  // namespace trawl::query
