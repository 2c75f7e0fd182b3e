// trawl-query --list-articles: every live article of an index, one line each.
#pragma once

#include <cstdint>
#include <ostream>

#include "query/printer.hpp"
#include "query/searcher.hpp"

namespace trawl::query {

// Prints the articles Searcher::each_article() gives, in id order, past the
// first `offset`, at most `limit`. Text: one
// tab-separated line, `ID PASSAGES DATE SOURCE LOCATION TITLE`, each field as
// stored (bytes as they are, so that the id column can be given to
// trawl-index --delete-from) but for control bytes, as \xHH; an id that
// holds one is named in a warning on `err` (JSON gives it exactly).
// JSON: one object a line, `article_id`, `passages`, `date` and `source`
// (null when none), `location`, `title`, and `article_id_escaped` (as a
// hit's) for an id that is not valid UTF-8. Returns how many were printed.
// (Trec has no line for an article: the caller refuses it.)
std::uint64_t list_articles(Searcher& searcher, OutputFormat format, std::ostream& out, std::ostream& err,
                            std::uint64_t offset, std::uint64_t limit);

}  // namespace trawl::query
