// Test collections: documents, queries and judgments, read from the layouts
// the collections in ../shared/data (and BEIR) come in.
#pragma once

#include <string>
#include <vector>

#include "bench/eval/qrels.hpp"
#include "corpus/base/article.hpp"

namespace trawl::bench {

struct EvalQuery {
    std::string id;
    std::string text;  // natural-language text as the collection gives it
};

struct TestCollection {
    std::string name;                        // "cranfield", or the BEIR folder's name
    std::vector<corpus::Article> documents;  // id, title, body (normalised)
    std::vector<EvalQuery> queries;          // only queries with judgments
    Qrels qrels;                             // graded gains, see `gain_note`
    std::string gain_note;                   // how the collection's grades became gains
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
