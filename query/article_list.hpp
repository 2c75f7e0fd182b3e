// trawl-query --list-articles: every live article of an index, one line each.
#pragma once

#include <cstdint>
#include <ostream>

#include "query/printer.hpp"
#include "query/searcher.hpp"

namespace trawl::query {

// Prints each article Searcher::each_article() gives, in id order. Text: one
// tab-separated line, `ID PASSAGES DATE SOURCE LOCATION TITLE`, each field as
// stored with control bytes, backslashes and invalid UTF-8 as \xHH
// (format::printable(); an id that holds one is given exactly by JSON).
// JSON: one object a line, `article_id`, `passages`, `date` and `source`
// (null when none), `location`, `title`, and `article_id_escaped` (as a
// hit's) for an id that is not valid UTF-8. Returns how many were printed.
// (Trec has no line for an article: the caller refuses it.)
std::uint64_t list_articles(Searcher& searcher, OutputFormat format, std::ostream& out);

}  // namespace trawl::query
