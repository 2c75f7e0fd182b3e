// Output formats are printers: search code never formats.
#pragma once

#include <memory>
#include <ostream>
#include <string>

#include "query/hit.hpp"

namespace trawl::query {

enum class OutputFormat { Text, Json, Trec };
OutputFormat parse_output_format(const std::string& s);  // throws UsageError

struct PrinterOptions {
    bool color = false;       // ANSI highlighting (text only)
    bool by_article = false;  // TREC docid = article id instead of passage id
    std::string run_tag = "trawl";
    bool query_header = false;  // text: "query QID: QUERY" before each count line (a batch)
};

class ResultPrinter {
public:
    virtual ~ResultPrinter() = default;
    virtual void print(const ResultSet& results) = 0;
};

// Text for people, per hit (blank line between hits, also across print calls):
//   "%2u. %.3f  TITLE  [PASSAGE_ID]  (+N more passages)"   rank, score, title (omitted
//        when empty; bold when color), passage id, collapsed count only when > 0
//        ("(+1 more passage)" for one)
//   "    LOCATION · DATE · SOURCE"   empty parts omitted, line omitted when all empty
//   "    SNIPPET"                     highlights in bold red when color; line omitted
//                                    when the snippet is empty
//   e.g. " 1. 12.346  BAHIA COCOA REVIEW  [1#0]  (+2 more passages)"
//        "    reut2-000.sgm:5 · 1987-02-26 · reuters"
//        "    …showers continued throughout the week in the Bahia cocoa zone…"
//   Without color there are no escape codes at all; control characters in the data
//   are printed as spaces. Every query's output starts with its count line
//   (summary_text.hpp: "12 passages in 7 articles (3.1 ms)", also for no hits),
//   after, with query_header (a batch of queries), "query QID: QUERY", which
//   says which query the block answers (the id of a queries file, else the
//   line number; a query whose line was an error has no block),
//   then "did you mean: QUERY" when there is a suggestion, then the hits, each
//   after a blank line; then, when asked for, the timeline and source charts.
// JSON Lines: first a summary object per query, {"summary": {query_id, query,
//   passages: {count, exact, min, max}, articles: {...}, ms, and when present
//   did_you_mean, timeline [[label, articles]...] (the undated articles last,
//   as [null, articles]), sources [{key, name, articles}...] (key as
//   --source matches it, name as stored; the articles without a source last,
//   with a null key and name)}};
//   then one object per hit, fields: query_id, query, rank, score, passage_id,
//   article_id, ordinal, title, location, date, source, begin, end, collapsed, snippet,
//   highlights ([[start,end],...] byte offsets in snippet), text. Invalid UTF-8 is
//   replaced by U+FFFD; for an article id that is not valid UTF-8 the object also has
//   article_id_escaped and passage_id_escaped, the exact ids percent-encoded as in TREC.
// TREC: "qid Q0 docid rank score tag", score with 6 decimals; docid = passage id, or
//   article id with by_article; ids and tag percent-encoded ('%', white space, control
//   bytes and invalid UTF-8 as %XX, reversible); an empty qid or tag is '_'.
std::unique_ptr<ResultPrinter> make_printer(OutputFormat f, std::ostream& out, PrinterOptions opts);

}  // namespace trawl::query
