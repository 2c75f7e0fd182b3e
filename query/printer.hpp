// Output formats are printers: search code never formats.
#pragma once

#include <memory>
#include <ostream>
#include <string>

#include "hit.hpp"

namespace trawl::query {

enum class OutputFormat { Text, Json, Trec };
OutputFormat parse_output_format(const std::string& s);  // throws UsageError

struct PrinterOptions {
    bool color = false;          // ANSI highlighting (text only)
    bool by_article = false;     // TREC docid = article id instead of passage id
    std::string run_tag = "trawl";
};

class ResultPrinter {
public:
    virtual ~ResultPrinter() = default;
    virtual void print(const ResultSet& results) = 0;
};

// Text for people:
//   " 1. 12.345  BAHIA COCOA REVIEW  [1#0]"
//   "    reut2-000.sgm:5 · 1987-02-26"      (location, then date/source when present)
//   "    …snippet with highlighted words…"
//   blank line between hits; "no results" is not printed (exit code says it).
// JSON Lines: one object per hit, fields: query_id, query, rank, score, passage_id,
//   article_id, ordinal, title, location, date, source, begin, end, snippet,
//   highlights ([[start,end],...] byte offsets in snippet), text.
// TREC: "qid Q0 docid rank score tag", score with 6 decimals.
std::unique_ptr<ResultPrinter> make_printer(OutputFormat f, std::ostream& out, PrinterOptions opts);

}  // namespace trawl::query
