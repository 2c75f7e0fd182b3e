// A Synonyms index's stems (format/stems.hpp) weighed by their exact
// frequency. The query parser makes a stem of several words OP_SYNONYM of
// them, and Xapian 1.4 weighs that by an estimated frequency (its words taken
// as independent): too large when they share passages, as a word's forms do,
// so the stem's idf was too small. BM25Weight's term weight is its idf times
// the factor OP_SCALE_WEIGHT passes down (times the query-side factors, which
// do not depend on the frequency), so scaling the synonym by
// bm25_idf(exact) / bm25_idf(estimate) scores it exactly as BM25 scores the
// stem as one term, as formats v1-v4 and a Terms index do.
#pragma once

#include <string>

#include <xapian.h>

#include "indexer/format/stems.hpp"

namespace trawl::query {

// The factor for `term` in a database of `units` passages: 1 for a word and
// for a Terms index's stem.
double exact_stem_factor(format::StemReader& stems, const std::string& term, double units);

// `q` (as the query parser made it) with each stem the parser expanded through
// the synonym table (format::parsed_stem()) scaled by its factor.
Xapian::Query weigh_stems_exactly(const Xapian::Query& q, format::StemReader& stems, double units);

// stems.query(term), scaled by its factor.
Xapian::Query exact_stem_query(format::StemReader& stems, const std::string& term, double units);

}  // namespace trawl::query
