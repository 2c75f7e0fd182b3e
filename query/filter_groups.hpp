// Filters (source:, date:, -date:) keep only the passages they name,
// wherever they stand in a query.
//
// Xapian's parser makes a bare filter restrict ("opec source:reuters" is
// `opec FILTER XSreuters`), but a filter alone in brackets is a subquery of
// its own, joined to the words by the default operator, OR: "opec
// (source:reuters)" was `opec OR 0 * XSreuters`, every Reuters passage, and
// "oil (source:business OR source:tech)" every passage of both sources, most
// without the word; "oil OR source:reuters" likewise. filters_restrict()
// gives each the bare filter's meaning: a filter never adds passages to
// words, it restricts them.
#pragma once

#include <xapian.h>

namespace trawl::query {

// `q` with every OR of weighted subqueries and filters (subqueries that
// match by source terms and date ranges only, in any combination) made the
// OR of the weighted ones, filtered by the filters: ORed within a field,
// ANDed across fields, as Xapian combines bare filters. An OR of filters
// only stays as it is. Likewise an AND_MAYBE ("+oil (source:a)") whose
// optional side is filters, or words a filter restricts: the filter
// restricts the whole. `q` itself when it has no such node.
Xapian::Query filters_restrict(const Xapian::Query& q);

}  // namespace trawl::query
