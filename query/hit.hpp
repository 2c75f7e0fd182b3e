// One ranked result, as the searcher hands it to a printer.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "corpus/base/types.hpp"
#include "query/snippet.hpp"
#include "query/summary.hpp"

namespace trawl::query {

// One query term's share of a hit's score (--explain).
struct ScorePart {
    std::string term;  // as typed: "oil", "title:cocoa", "export*"
    double score = 0;
};

struct Hit {
    std::uint32_t rank = 0;  // 1-based, includes --offset
    Score score = 0;
    ArticleId article_id;
    PassageOrdinal ordinal = 0;
    std::string passage_id;  // "<article>#<ordinal>"
    std::string title;
    std::string location;  // source file (and line)
    std::string date;
    std::string source;
    std::uint32_t begin = 0, end = 0;  // span of the passage in its article body
    std::string text;                  // full passage text
    Snippet snippet;                   // highlighted excerpt of `text`
    // With --by-article (and --like): the exact number of further passages of
    // this article that matched (not set when the hits carry ids only).
    std::uint32_t collapsed = 0;
    // With --explain: the score per query term, in query order; the score
    // less their sum is the proximity re-ranking's share.
    bool explained = false;
    std::vector<ScorePart> explanation;
};

struct ResultSet {
    std::string query_id;  // "1", "2"... or the id given in a queries file
    std::string query;     // as typed
    std::uint64_t estimated_matches = 0;
    Summary summary;  // counts and the extras asked for (summary.hpp)
    std::vector<Hit> hits;
    // What the user should be told about the query beside its results (one
    // line, no program name; empty when nothing): a query of stop words only
    // that matched nothing as the phrase it was searched as.
    std::string note;
    // The query matched a passage, whether or not this page (--offset) shows
    // one: the exit status says whether a query matched, as grep's does.
    bool matched() const { return !hits.empty() || summary.passages.lower > 0; }
};

}  // namespace trawl::query
