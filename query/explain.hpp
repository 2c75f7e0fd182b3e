// --explain: a hit's score broken down per query term. Each weighted unit of
// the query (a term; a wildcard or synonym group as one) is scored alone on
// the hit's passage by the same weighting scheme and the same index
// statistics, so the parts are the very numbers the match added up; with
// --expand the query's own units weigh as in the expanded query and the
// feedback terms are one part, "(expansion)"; what the score holds beyond
// them is the proximity re-ranking's share.
#pragma once

#include <string>
#include <vector>

#include <xapian.h>

#include "query/hit.hpp"

namespace trawl::query {

// The units of `q` that add weight: leaf terms (a term repeated is one unit
// per occurrence), wildcard/synonym groups and other non-additive operators
// whole; the right side of AND_NOT and the filters of FILTER add none.
std::vector<Xapian::Query> weighted_units(const Xapian::Query& q);

// A unit's name as typed: "oil", "title:cocoa", "export*"; stems are their
// word ("rate" for Zrate).
std::string unit_label(const Xapian::Query& unit);

// What `q` alone adds to passage `doc`'s score (article term `article_term`)
// under `weight`; 0 when it does not match it.
double score_alone(const Xapian::Database& db, const Xapian::Weight& weight, const Xapian::Query& q, Xapian::docid doc,
                   const std::string& article_term);

// The parts of passage `doc`'s score (article term `article_term`) under
// `weight`, one per unit that contributes, in query order.
std::vector<ScorePart> explain_score(const Xapian::Database& db, const Xapian::Weight& weight,
                                     const Xapian::Query& parsed, Xapian::docid doc, const std::string& article_term);

}  // namespace trawl::query
