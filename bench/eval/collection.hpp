// Test collections: documents, queries and judgments, read from the layouts
// the collections in ../shared/data (and BEIR) come in.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "bench/eval/qrels.hpp"
#include "corpus/base/article.hpp"
#include "corpus/base/diagnostics.hpp"

namespace trawl::bench {

struct EvalQuery {
    std::string id;
    std::string text;  // natural-language text as the collection gives it
};

struct TestCollection {
    std::string name;                        // "cranfield", or the BEIR folder's name
    std::vector<corpus::Article> documents;  // id, title, body (normalised)
    std::vector<EvalQuery> queries;          // only queries with judgments
    // Queries judged relevant-to-something in the qrels but absent from the
    // topics file: never run, so counted rather than silently left out.
    std::size_t judged_without_topic = 0;
    Qrels qrels;            // graded gains, see `gain_note`
    std::string gain_note;  // how the collection's grades became gains
    // What reading dropped, for stderr (DiagnosticLines): the first few
    // records skipped for each reason, file:line, and a count of them all.
    std::vector<std::string> diagnostics;
};

// Collects a reader's (or the indexer's) diagnostics as trawl-index shows
// them: the first few of each reason "file:line: skipped: reason (detail)",
// then "skipped N records (n reason, ...)" when any were.
class DiagnosticLines {
public:
    DiagnosticLines();
    corpus::Diagnostics& sink() { return diag_; }
    // The lines, each prefixed with `who` ("trawl-bench eval: "); none when
    // nothing was reported.
    std::vector<std::string> lines(const std::string& who) const;

private:
    std::vector<std::string> shown_;
    std::map<std::string, int> shown_per_reason_;
    corpus::Diagnostics diag_;
};

// Cranfield in SMART layout: `dir` holds cran.all.1400 (.I/.T/.A/.B/.W),
// cran.qry (.I/.W) and cranqrel ("query doc grade"). Query ids are the
// queries' positions 1..225 (cranqrel numbers them so; the .I numbers of
// cran.qry have gaps). Gain = 5 - grade for grades 1..4, 0 for -1.
// Throws InputError naming file and line on malformed input.
TestCollection load_cranfield(const std::string& dir);

// BEIR layout: corpus.jsonl ({_id, title, text}), queries.jsonl ({_id, text}),
// qrels/<split>.tsv (with header). Plain or .zst/.gz files.
TestCollection load_beir(const std::string& dir, const std::string& split = "test");

// Picks the loader by the files in `dir` (cran.all.1400 or corpus.jsonl*).
TestCollection load_collection(const std::string& dir, const std::string& split = "test");

// Turns a natural-language query into Trawl query syntax that means "any of
// these words, ranked": lower-case word tokens joined by spaces, so that
// punctuation, stray quotes or capitalised AND/OR/NOT in the text can never
// be read as operators.
std::string bag_of_words_query(const std::string& text);

}  // namespace trawl::bench
