// libFuzzer target for the whole path of a user's query string: query_check,
// the QueryParser from format::make_query_parser, and Searcher::search (parse,
// BM25 match, proximity re-ranking, stored-text decompression, snippets) on a
// tiny index built once in a scratch directory. Only the documented
// exceptions are caught: QuerySyntaxError from query_check/Searcher and
// Xapian::QueryParserError from the parser; anything else is a bug.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <xapian.h>

#include "corpus/base/error.hpp"
#include "indexer/format/analysis.hpp"
#include "indexer/index_builder.hpp"
#include "query/query_check.hpp"
#include "query/searcher.hpp"
#include "tests/fuzz/fuzz_util.hpp"

namespace {

using namespace trawl;

corpus::Article article(std::string id, std::string title, std::string body) {
    corpus::Article a;
    a.location = "fuzz:" + id;
    a.id = std::move(id);
    a.title = std::move(title);
    a.body = std::move(body);
    return a;
}

struct State {
    std::unique_ptr<query::Searcher> plain;     // defaults: OR, no proximity
    std::unique_ptr<query::Searcher> reranked;  // AND, best passage per article, proximity on, offset
    Xapian::Database db;
    Xapian::QueryParser qp;
};

State* state = nullptr;

std::string build_index() {
    const std::string path = (fuzz::scratch_dir() / "index").string();
    corpus::Diagnostics diag;
    index::BuilderOptions opts;
    opts.split.words = 12;
    opts.split.overlap = 3;
    index::IndexBuilder builder(path, opts, diag);
    builder.add(article("econ/1", "Central bank raises interest rates",
                        "The central bank raised interest rates by half a point on Tuesday. Markets fell "
                        "sharply. Mr. Smith said the U.S. economy was still growing at 3.5 percent.\n\n"
                        "Analysts expect further rises in rates before the election."));
    builder.add(article("weather/2", "Storm hits the coast",
                        "A storm with winds of 120 km/h hit the coast overnight. Thousands lost power and "
                        "schools were closed. \u201cIt was the worst storm in years,\u201d a resident said."));
    builder.add(article("sport/3", "Late goal wins the cup",
                        "A late goal won the cup final. The striker scored in the 89th minute; fans stormed "
                        "the pitch. Rates of ticket sales for next season rose."));
    builder.add(article("science/4", "Caf\u00e9 study",
                        "Researchers studied caf\u00e9s, coffee and sleep... and found nothing. Na\u00efve "
                        "readings of the data were rejected by the interest group."));
    builder.finish();
    return path;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    const std::string path = build_index();
    state = new State;
    query::SearchOptions opts;
    opts.dbs = {path};
    opts.limit = 3;
    state->plain = std::make_unique<query::Searcher>(opts);
    opts.match_all = true;
    opts.by_article = true;
    opts.offset = 1;
    opts.snippet_bytes = 40;
    opts.proximity.weight = 1.0;
    state->reranked = std::make_unique<query::Searcher>(opts);
    state->db = Xapian::Database(path);
    state->qp = format::make_query_parser(state->db);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string typed(reinterpret_cast<const char*>(data), size);
    const auto chars_of = [](const std::string& s) {
        std::size_t chars = 0;
        for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
        return chars;
    };
    // The text the Searcher checks and parses: every character still one
    // character, so a column stays right.
    const std::string q = format::fold_query_case(typed);
    TRAWL_FUZZ_CHECK(chars_of(q) == chars_of(typed));

    // query_check alone: a good query or a QuerySyntaxError at a column in
    // 1..characters+1; with every word required (--all) as well, which lets
    // through what the default refuses for its meaning under OR ("gas (+coal
    // tar)" is gas AND (coal AND tar)).
    const auto check = [&](bool match_all) {
        try {
            query::check_query_syntax(q, match_all);
            return true;
        } catch (const QuerySyntaxError& e) {
            TRAWL_FUZZ_CHECK(e.pos >= 1 && e.pos <= chars_of(q) + 1);
            return false;
        }
    };
    const bool checked = check(false);
    const bool checked_all = check(true);

    // Xapian's parser as Trawl configures it, on what query_check lets through
    // (as in the product). Not on what it rejects: Xapian 1.4.22's parser
    // leaks memory on some of those ("-a ADJ b A"; docs/fuzzing.md).
    if (checked) {
        try {
            const Xapian::Query parsed = state->qp.parse_query(q, format::query_parser_flags());
            (void)parsed.get_description();
        } catch (const Xapian::QueryParserError&) {
        } catch (const QuerySyntaxError&) {
            // The date: range processor's error for a date query_check's
            // lexical pass lets through (e.g. "date:a:i..").
        }
    }

    // The Searcher: a result only when query_check lets the query through;
    // a QuerySyntaxError also when Xapian's parser objects or the query
    // names no word to find (check_has_words(), "-oil").
    for (query::Searcher* s : {state->plain.get(), state->reranked.get()}) {
        try {
            const query::ResultSet rs = s->search("q", typed);
            TRAWL_FUZZ_CHECK(s->options().match_all ? checked_all : checked);
            TRAWL_FUZZ_CHECK(rs.hits.size() <= s->options().limit);
        } catch (const QuerySyntaxError&) {
        }
    }
    return 0;
}
