#include "query/searcher.hpp"

#include <cctype>
#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "corpus/base/error.hpp"
#include "indexer/delete_articles.hpp"
#include "indexer/format/deletions.hpp"
#include "indexer/format/index_meta.hpp"
#include "query/dead_filter.hpp"
#include "query/printer.hpp"
#include "query/repl.hpp"
#include "tests/testutil/make_index.hpp"
#include "tests/testutil/temp_dir.hpp"

using namespace trawl;
using test::article;

namespace {

class SearcherTest : public ::testing::Test {
protected:
    void SetUp() override {
        test::make_index(
            tmp_.str(),
            {article("oil", "Crude oil prices climb", "Crude oil prices rose on Tuesday. Refiners restocked."),
             article("coal", "Freight rates ease", "The prices of crude oil and coal weighed on freight."),
             article("port", "Harbour crane", "The harbour big red crane lifts ships. Cranes are big."),
             article("long", "Storm day",
                     "A storm came. The storm grew. Then the storm passed. People cleaned up after the "
                     "storm. Another storm is forecast.")},
            8, 2);
    }
    query::Searcher searcher(query::SearchOptions o = {}) {
        o.dbs = {tmp_.str()};
        return query::Searcher(o);
    }
    test::TempDir tmp_;
};

}  // namespace

TEST_F(SearcherTest, PhraseFiltersToExactPhrase) {
    auto s = searcher();
    auto rs = s.search("1", "\"crude oil prices\"");
    ASSERT_FALSE(rs.hits.empty());
    for (const auto& h : rs.hits) EXPECT_EQ(h.article_id, "oil");
}

TEST_F(SearcherTest, StemmedBagOfWordsMatchesInflections) {
    auto rs = searcher().search("1", "crane");
    std::set<std::string> ids;
    for (const auto& h : rs.hits) ids.insert(h.article_id);
    EXPECT_EQ(ids, std::set<std::string>{"port"});
    bool saw_plural_highlight = false;
    for (const auto& h : rs.hits)
        for (auto [b, e] : h.snippet.highlights)
            if (h.snippet.text.substr(b, e - b) == "Cranes") saw_plural_highlight = true;
    EXPECT_TRUE(saw_plural_highlight) << "the stem matches 'Cranes' too";
}

// A wildcard's pattern reaches the highlighter (Xapian lists no terms for an
// unexpanded wildcard; the searcher reads its pattern from the query): every
// word it matches is highlighted, whether the wildcard is bare or a field's.
TEST_F(SearcherTest, WildcardHitsHighlightTheWordsThePatternMatches) {
    for (const char* q : {"cran*", "title:cran*", "CRAN*"}) {
        auto rs = searcher().search("1", q);
        ASSERT_FALSE(rs.hits.empty()) << q;
        std::set<std::string> words;
        for (const auto& h : rs.hits)
            for (auto [b, e] : h.snippet.highlights) words.insert(h.snippet.text.substr(b, e - b));
        EXPECT_TRUE(words.count("crane")) << q;
        EXPECT_TRUE(words.count("Cranes")) << q;
        for (auto w : words) {
            for (char& c : w) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            EXPECT_TRUE(w.starts_with("cran")) << q << ": " << w;
        }
    }
}

// "bank of england" lit every "of" of the snippet: a phrase's stop words
// are highlighted in its place only (a red-team review).
TEST(SearcherHighlights, APhrasesStopWordsAreHighlightedInItsPlaceOnly) {
    test::TempDir tmp;
    test::make_index(tmp.str(),
                     {article("boe", "Sterling news", "The Bank of England said the value of sterling rose."),
                      article("other", "News of note", "Nothing of note, of course.")},
                     0, 0);
    query::SearchOptions o;
    o.dbs = {tmp.str()};
    const auto rs = query::Searcher(o).search("1", "\"bank of england\"");
    ASSERT_EQ(rs.hits.size(), 1u);
    const auto& h = rs.hits[0];
    std::vector<std::string> lit;
    for (auto [b, e] : h.snippet.highlights) lit.push_back(h.snippet.text.substr(b, e - b));
    EXPECT_EQ(lit, (std::vector<std::string>{"Bank", "of", "England"})) << h.snippet.text;
    // A title: phrase's stop words are the headline's: none lit in the text.
    const auto titled = query::Searcher(o).search("1", "title:\"sterling news\" OR title:\"news of note\"");
    ASSERT_FALSE(titled.hits.empty());
    for (const auto& t : titled.hits)
        for (auto [b, e] : t.snippet.highlights) EXPECT_NE(t.snippet.text.substr(b, e - b), "of") << t.snippet.text;
}

// The words a query leaves out are not highlighted, nor are the stop words
// a wildcard's pattern starts ("opec NOT title:quota" lit the text's
// "quotas"; th* lit every "the": a red-team session).
TEST(SearcherHighlights, WordsLeftOutAndStopWordsOfAWildcardAreNotHighlighted) {
    test::TempDir tmp;
    test::make_index(tmp.str(),
                     {article("a", "Crude report", "Crude oil rose while the price of gas fell on quotas."),
                      article("b", "Oil price", "The oil price rose; crude output quotas held."),
                      article("c", "Thermal power", "The thermal plant said that output rose.")},
                     0, 0);
    query::SearchOptions o;
    o.dbs = {tmp.str()};
    const auto lit_words = [&](const std::string& q) {
        std::set<std::string> lit;
        for (const auto& h : query::Searcher(o).search("1", q).hits)
            for (auto [b, e] : h.snippet.highlights) lit.insert(h.snippet.text.substr(b, e - b));
        return lit;
    };
    EXPECT_EQ(lit_words("crude -\"oil price\""), (std::set<std::string>{"Crude"}));
    EXPECT_EQ(lit_words("crude NOT title:oil"), (std::set<std::string>{"Crude"}));
    EXPECT_EQ(lit_words("crude quotas NOT title:oil"), (std::set<std::string>{"Crude", "quotas"}));
    EXPECT_EQ(lit_words("oil -title:crude"), (std::set<std::string>{"oil"}));
    EXPECT_EQ(lit_words("th*"), (std::set<std::string>{"thermal"})) << "not The, the or that";
    EXPECT_EQ(lit_words("crude oil*"), (std::set<std::string>{"Crude", "crude", "oil"}));
}

// "Did you mean" counts its words in the whole index: under --since, --all
// or as a title: word its suggestion found nothing ("opec quota" since 1988
// on Reuters; a red-team session). A suggestion is made only when it finds
// a passage as the search would.
TEST(SearcherSuggestions, ASuggestionFindsSomethingUnderTheQuerysOwnOptions) {
    test::TempDir tmp;
    std::vector<corpus::Article> articles;
    for (int i = 0; i < 30; ++i) {
        auto a = article("q" + std::to_string(i), "Oil cartel", "The opec quota was cut again.");
        a.date = "1987-03-05";
        articles.push_back(a);
        auto b = article("c" + std::to_string(i), "Cocoa crop", "The cocoa crop grew.");
        b.date = "1988-02-01";
        articles.push_back(b);
    }
    test::make_index(tmp.str(), articles, 0, 0);
    const auto suggestion = [&](const std::string& q, const std::function<void(query::SearchOptions&)>& set) {
        query::SearchOptions o;
        o.dbs = {tmp.str()};
        set(o);
        return query::Searcher(o).search("1", q).summary.suggestion;
    };
    const auto none = [](query::SearchOptions&) {};
    EXPECT_EQ(suggestion("opec qouta", none), "opec quota");
    EXPECT_EQ(suggestion("opec qouta", [](query::SearchOptions& o) { o.since = "19880101"; }), "")
        << "no 1988 passage holds opec or quota";
    EXPECT_EQ(suggestion("cocoa qouta", none), "cocoa quota");
    EXPECT_EQ(suggestion("cocoa qouta", [](query::SearchOptions& o) { o.match_all = true; }), "")
        << "no passage holds cocoa and quota";
    EXPECT_EQ(suggestion("title:qouta", none), "") << "quota is a word of the text, no title's";
}

TEST_F(SearcherTest, HitsCarryStoredFieldsAndRanks) {
    auto rs = searcher().search("q7", "refiners");
    ASSERT_EQ(rs.hits.size(), 1u);
    const auto& h = rs.hits[0];
    EXPECT_EQ(rs.query_id, "q7");
    EXPECT_EQ(h.rank, 1u);
    EXPECT_GT(h.score, 0);
    EXPECT_EQ(h.title, "Crude oil prices climb");
    EXPECT_EQ(h.location, "test:oil");
    EXPECT_NE(h.text.find("Refiners restocked."), std::string::npos);
    EXPECT_EQ(h.passage_id, "oil#" + std::to_string(h.ordinal));
}

TEST_F(SearcherTest, ByArticleCollapsesPassages) {
    auto plain = searcher().search("1", "storm");
    ASSERT_GT(plain.hits.size(), 1u);
    query::SearchOptions o;
    o.by_article = true;
    auto grouped = searcher(o).search("1", "storm");
    ASSERT_EQ(grouped.hits.size(), 1u);
    EXPECT_EQ(grouped.hits[0].article_id, "long");
    EXPECT_EQ(grouped.hits[0].collapsed, plain.hits.size() - 1);
    EXPECT_EQ(grouped.hits[0].passage_id, plain.hits[0].passage_id) << "best passage kept";
}

TEST_F(SearcherTest, LimitAndOffsetPage) {
    query::SearchOptions o;
    o.limit = 1;
    auto all = searcher().search("1", "storm");
    ASSERT_GE(all.hits.size(), 2u);
    o.offset = 1;
    auto second = searcher(o).search("1", "storm");
    ASSERT_EQ(second.hits.size(), 1u);
    EXPECT_EQ(second.hits[0].rank, 2u);
    EXPECT_EQ(second.hits[0].passage_id, all.hits[1].passage_id);
}

TEST_F(SearcherTest, MatchAllRequiresEveryWord) {
    query::SearchOptions o;
    o.match_all = true;
    auto rs = searcher(o).search("1", "crude coal");
    ASSERT_EQ(rs.hits.size(), 1u);
    EXPECT_EQ(rs.hits[0].article_id, "coal");
}

TEST_F(SearcherTest, MalformedQueryThrowsWithPosition) {
    auto s = searcher();
    EXPECT_THROW(s.search("1", "oil AND"), QuerySyntaxError);
}

TEST_F(SearcherTest, ShardsSearchedAsOneIndex) {
    test::TempDir other;
    test::make_index(other.str(), {article("second", "Another storm", "A storm hit the second shard.")}, 8, 2);
    query::SearchOptions o;
    o.dbs = {tmp_.str(), other.str()};
    query::Searcher s(o);
    auto rs = s.search("1", "storm");
    std::set<std::string> ids;
    for (const auto& h : rs.hits) ids.insert(h.article_id);
    EXPECT_EQ(ids, (std::set<std::string>{"long", "second"}));
    for (const auto& h : rs.hits) EXPECT_NE(h.text.find("storm"), std::string::npos) << h.text;
}

TEST(Shards, EachShardIsDecodedWithItsOwnDictionary) {
    // Enough text per shard (over 64 passages, 32 KB) to train a dictionary each.
    auto corpus = [](const std::string& prefix, const std::string& word) {
        std::vector<corpus::Article> v;
        for (int i = 0; i < 40; ++i) {
            std::string body;
            for (int s = 0; s < 12; ++s)
                body += "The " + word + " report " + std::to_string(i * 100 + s) + " of " + prefix +
                        " said traders watched the " + word + " market closely all week. ";
            v.push_back(article(prefix + std::to_string(i), prefix + " " + word, body));
        }
        return v;
    };
    test::TempDir a, b;
    test::make_index(a.str(), corpus("alpha", "copper"), 30, 5);
    test::make_index(b.str(), corpus("beta", "cocoa"), 30, 5);
    const auto dict_a = format::read_dictionary(Xapian::Database(a.str()));
    const auto dict_b = format::read_dictionary(Xapian::Database(b.str()));
    ASSERT_FALSE(dict_a.empty());
    ASSERT_FALSE(dict_b.empty());
    ASSERT_NE(dict_a, dict_b);
    query::SearchOptions o;
    o.dbs = {a.str(), b.str()};
    o.limit = 1000;
    auto rs = query::Searcher(o).search("1", "copper OR cocoa");
    std::set<char> shards_seen;
    for (const auto& h : rs.hits) {
        const std::string word = h.article_id[0] == 'a' ? "copper" : "cocoa";
        EXPECT_NE(h.text.find("the " + word + " market"), std::string::npos) << h.passage_id << ": " << h.text;
        shards_seen.insert(h.article_id[0]);
    }
    EXPECT_EQ(shards_seen, (std::set<char>{'a', 'b'}));
}

TEST_F(SearcherTest, MissingOrForeignIndexIsAnError) {
    query::SearchOptions o;
    o.dbs = {tmp_.str() + "/nope"};
    EXPECT_THROW(query::Searcher{o}, Error);
}

namespace {

corpus::Article dated(std::string id, std::string date, std::string source, std::string body) {
    auto a = article(std::move(id), "", std::move(body));
    a.date = std::move(date);
    a.source = std::move(source);
    return a;
}

// Whole-article passages ("<id>#0") with dates and sources, every one saying "oil".
class FilterTest : public ::testing::Test {
protected:
    void SetUp() override {
        test::make_index(
            tmp_.str(),
            {dated("a1", "2021-11-30", "Reuters", "Oil output rose in November."),
             dated("a2", "2021-12-01T08:00:00", "BBC News", "Oil prices fell on the first of December."),
             dated("a3", "2021-12-15", "reuters", "Oil tanker traffic slowed. Oil oil oil."),
             dated("a7", "2021-12-15", "Reuters",
                   "Refinery workers ended a strike, and oil shipments resumed slowly across the whole region."),
             dated("a4", "2022-01-31", "bbc  news", "Oil demand outlook."),
             dated("a5", "2022-02-01", "Guardian", "Oil and gas."), dated("a6", "", "", "Oil everywhere.")},
            0, 0);
    }
    std::vector<std::string> ids(query::SearchOptions o, const std::string& q) {
        o.dbs = {tmp_.str()};
        o.limit = 100;
        query::Searcher s(o);
        std::vector<std::string> v;
        for (const auto& h : s.search("1", q).hits) v.push_back(h.article_id);
        return v;
    }
    std::set<std::string> id_set(query::SearchOptions o, const std::string& q) {
        auto v = ids(std::move(o), q);
        return {v.begin(), v.end()};
    }
    test::TempDir tmp_;
};

using Ids = std::set<std::string>;

}  // namespace

TEST_F(FilterTest, SinceAndUntilAreInclusiveAndLeaveOutUndated) {
    query::SearchOptions o;
    o.since = "20211201";
    o.until = "20220131";
    EXPECT_EQ(id_set(o, "oil"), (Ids{"a2", "a3", "a7", "a4"}));
    o.until.clear();
    EXPECT_EQ(id_set(o, "oil"), (Ids{"a2", "a3", "a7", "a4", "a5"}));
    o.since.clear();
    o.until = "20211130";
    EXPECT_EQ(id_set(o, "oil"), (Ids{"a1"}));
}

TEST_F(FilterTest, SourcesMatchInAnySpellingAndRepeatAsOr) {
    query::SearchOptions o;
    o.sources = {"REUTERS"};
    EXPECT_EQ(id_set(o, "oil"), (Ids{"a1", "a3", "a7"}));
    o.sources = {"BBC News", "guardian"};
    EXPECT_EQ(id_set(o, "oil"), (Ids{"a2", "a4", "a5"}));
    o.sources = {"reuters"};
    o.since = "20211201";
    EXPECT_EQ(id_set(o, "oil"), (Ids{"a3", "a7"})) << "date and source filters together";
    o.sources = {"bbc"};
    EXPECT_EQ(id_set(o, "oil"), Ids{}) << "a source is matched whole";
}

TEST_F(FilterTest, QueryLanguageFilters) {
    EXPECT_EQ(id_set({}, "oil date:2021-12-01..2022-01-31 source:reuters"), (Ids{"a3", "a7"}));
    EXPECT_EQ(id_set({}, "oil source:\"BBC News\""), (Ids{"a2", "a4"}));
    EXPECT_EQ(id_set({}, "oil source:bbc-news"), (Ids{"a2", "a4"}));
    EXPECT_EQ(id_set({}, "oil date:..2021-11-30"), (Ids{"a1"}));
    EXPECT_EQ(id_set({}, "oil date:20220101.."), (Ids{"a4", "a5"}));
    EXPECT_EQ(id_set({}, "oil -source:reuters"), (Ids{"a2", "a4", "a5", "a6"}));
    query::SearchOptions o;
    o.sources = {"guardian"};
    EXPECT_EQ(id_set(o, "oil source:reuters"), Ids{}) << "options filter on top of the query's own filters";
}

// A filter restricts wherever it stands. Alone in brackets, Xapian's parser
// made it an alternative of the words ("oil (source:reuters)" was every
// Reuters passage, with or without oil; a red-team review found it), and an
// explicit OR did the same.
TEST_F(FilterTest, AFilterInBracketsOrAfterOrStillRestricts) {
    const Ids reuters{"a1", "a3", "a7"}, reuters_or_guardian{"a1", "a3", "a7", "a5"};
    // The fixture's passages all hold "oil": an alternative would be all seven.
    ASSERT_EQ(id_set({}, "oil").size(), 7u);
    EXPECT_EQ(id_set({}, "oil (source:reuters)"), reuters);
    EXPECT_EQ(id_set({}, "(source:reuters) oil"), reuters);
    EXPECT_EQ(id_set({}, "oil OR source:reuters"), reuters);
    EXPECT_EQ(id_set({}, "oil OR (source:reuters)"), reuters);
    EXPECT_EQ(id_set({}, "oil (date:2021-12-01..2022-01-31)"), (Ids{"a2", "a3", "a7", "a4"}));
    EXPECT_EQ(id_set({}, "oil (-date:2021-12-01..2022-01-31)"), (Ids{"a1", "a5", "a6"}));
    EXPECT_EQ(id_set({}, "oil (source:reuters) (date:2021-12-01..)"), (Ids{"a3", "a7"})) << "fields: both";
    // One field's filters: either, bracketed or bare, however Xapian groups them.
    EXPECT_EQ(id_set({}, "oil (source:reuters OR source:guardian)"), reuters_or_guardian);
    EXPECT_EQ(id_set({}, "oil (source:reuters source:guardian)"), reuters_or_guardian);
    EXPECT_EQ(id_set({}, "oil source:reuters OR source:guardian"), reuters_or_guardian);
    EXPECT_EQ(id_set({}, "(oil OR gas) (source:guardian)"), Ids{"a5"});
    // Beside a +word, Xapian makes the group AND_MAYBE's optional side (a review).
    EXPECT_EQ(id_set({}, "+oil (source:reuters)"), reuters);
    EXPECT_EQ(id_set({}, "+oil gas (source:guardian)"), Ids{"a5"});
    EXPECT_EQ(id_set({}, "+oil (source:reuters OR source:guardian)"), reuters_or_guardian);
    EXPECT_EQ(id_set({}, "oil +tanker (source:reuters)"), Ids{"a3"});
    // A filter the user bracketed with its words restricts those words only (a review).
    EXPECT_EQ(id_set({}, "+oil (tanker source:guardian)").size(), 7u);
    EXPECT_EQ(id_set({}, "\"oil and gas\" (source:reuters)"), Ids{}) << "a phrase is restricted too";
    EXPECT_EQ(id_set({}, "\"oil and gas\" (source:guardian)"), Ids{"a5"});
    // Filters alone are the passages they name, as before.
    EXPECT_EQ(id_set({}, "(source:reuters)"), reuters);
    EXPECT_EQ(id_set({}, "source:reuters OR source:guardian"), reuters_or_guardian);
    // A word that only looks like a field stays a word.
    EXPECT_EQ(id_set({}, "tanker (refinery)"), (Ids{"a3", "a7"}));
}

TEST_F(FilterTest, SortByDateNewestFirstRelevanceBreaksTies) {
    query::SearchOptions o;
    EXPECT_EQ(ids(o, "oil").at(0), "a3") << "relevance by default";
    o.sort = query::SortOrder::Date;
    EXPECT_EQ(ids(o, "oil"), (std::vector<std::string>{"a5", "a4", "a3", "a7", "a2", "a1", "a6"}));
    o.sources = {"reuters"};
    EXPECT_EQ(ids(o, "oil"), (std::vector<std::string>{"a3", "a7", "a1"}));
    o.proximity.weight = 1;  // re-ranking by relevance does not apply to date order
    EXPECT_EQ(ids(o, "oil oil"), (std::vector<std::string>{"a3", "a7", "a1"}));
}

TEST_F(FilterTest, HitsCarryDateAndSourceAsStored) {
    query::SearchOptions o;
    o.dbs = {tmp_.str()};
    o.sources = {"bbc news"};
    o.sort = query::SortOrder::Date;
    auto rs = query::Searcher(o).search("1", "oil");
    ASSERT_EQ(rs.hits.size(), 2u);
    EXPECT_EQ(rs.hits[0].date, "2022-01-31");
    EXPECT_EQ(rs.hits[0].source, "bbc  news");
    EXPECT_EQ(rs.hits[1].date, "2021-12-01T08:00:00");
    EXPECT_EQ(rs.hits[1].source, "BBC News");
}

TEST_F(FilterTest, BadDateInTheQueryNamesItsColumn) {
    query::SearchOptions o;
    o.dbs = {tmp_.str()};
    query::Searcher s(o);
    try {
        s.search("1", "oil date:2021-02-30..");
        FAIL() << "no error";
    } catch (const QuerySyntaxError& e) {
        EXPECT_EQ(e.pos, 10u);
        EXPECT_NE(std::string(e.what()).find("bad date '2021-02-30'"), std::string::npos) << e.what();
    }
}

TEST_F(FilterTest, InteractiveModeTakesTheSameFilters) {
    query::QueryOptions o;
    o.dbs = {tmp_.str()};
    o.format = "trec";
    std::ostringstream out, err;
    std::istringstream in("oil source:guardian\noil date:2021-12-01..2021-12-01\noil date:2021-99-01..\n:q\n");
    const auto lines = query::stream_lines(in, out);
    EXPECT_EQ(query::run_repl(o, false, *lines, out, err), 0);
    EXPECT_NE(out.str().find("1 Q0 a5#0 1 "), std::string::npos) << out.str();
    EXPECT_NE(out.str().find("2 Q0 a2#0 1 "), std::string::npos) << out.str();
    EXPECT_EQ(out.str().find(" Q0 a1#0"), std::string::npos) << out.str();
    EXPECT_EQ(err.str(),
              "trawl-query: query error at column 10: bad date '2021-99-01' in date:2021-99-01.. (there is no month "
              "99); want "
              "date:FROM..TO, each end a day as YYYY-MM-DD or YYYYMMDD, either one left out, e.g. "
              "date:1987-03-01..1987-03-31 or date:1987-03-01..\n");
}

TEST_F(FilterTest, PromptCommandsChangeTheFiltersOfLaterQueries) {
    query::QueryOptions o;
    o.dbs = {tmp_.str()};
    o.format = "trec";
    std::ostringstream out, err;
    std::istringstream in(
        ":source guardian\noil\n:source off\n:since 2021-12-01\n:until 2021-12-01\noil\n"
        ":since 2021-99-01\n:n 0\n:by-article maybe\n:q\noil\n");
    const auto lines = query::stream_lines(in, out);
    EXPECT_EQ(query::run_repl(o, false, *lines, out, err), 0);
    EXPECT_NE(out.str().find("1 Q0 a5#0 1 "), std::string::npos) << out.str();
    EXPECT_NE(out.str().find("2 Q0 a2#0 1 "), std::string::npos) << out.str();
    EXPECT_EQ(out.str().find(" Q0 a1#0"), std::string::npos) << out.str();
    EXPECT_EQ(out.str().find("3 Q0"), std::string::npos) << "nothing after :q";
    EXPECT_EQ(err.str(),
              "trawl-query: --since: bad date '2021-99-01' (want YYYY-MM-DD or YYYYMMDD)\n"
              "trawl-query: --limit must be a number from 1 to 4294967295, not 0\n"
              "trawl-query: :by-article takes on or off, not 'maybe'\n");
}

// Deleted and replaced articles' passages stay in the tables (format v3) and
// every search leaves them out. With many of them, the filter of one Xapian
// query per dead article cost every search a visit of each (on Reuters with
// 10,000 articles deleted: 2.1 s for "oil prices" instead of 30 ms); a local
// index's filter is now one posting source over the dead passages' docids.
TEST(DeadPassages, ManyDeletedArticlesAreLeftOutByOnePostingSource) {
    test::TempDir tmp;
    std::vector<corpus::Article> articles;
    for (int i = 0; i < 300; ++i)
        articles.push_back(article("a" + std::to_string(i), "Storm " + std::to_string(i),
                                   "A storm came to town " + std::to_string(i) + ". The storm passed."));
    test::make_index(tmp.str(), articles, 8, 2);
    std::vector<std::string> ids;
    for (int i = 0; i < 300; i += 3) ids.push_back("a" + std::to_string(i));
    ASSERT_EQ(index::delete_articles(tmp.str(), ids).articles, 100u);

    std::vector<Xapian::Database> shards{Xapian::Database(tmp.str())};
    const std::vector<format::Deletions> records{format::Deletions::read(shards[0])};
    const auto local = query::dead_passages(shards, records, false);
    EXPECT_EQ(local.filter.get_type(), Xapian::Query::LEAF_POSTING_SOURCE) << local.filter.get_description();
    EXPECT_EQ(local.all, records[0]);
    // A remote shard cannot run it: Xapian's operators there, the filter of
    // the same union that counts the dead passages (one union for both).
    const auto remote = query::dead_passages(shards, records, true);
    EXPECT_EQ(remote.filter.get_type(), Xapian::Query::OP_OR);
    EXPECT_EQ(remote.all, records[0]);
    EXPECT_EQ(remote.filter.get_description(), remote.all.filter().get_description());
    // Two shards' records: their union, in either case.
    format::Deletions other, both = records[0];
    other.add("elsewhere", 7, 3);
    both.merge(other);
    const std::vector<Xapian::Database> two{shards[0], shards[0]};
    for (const bool remote_shard : {false, true}) {
        const auto dead = query::dead_passages(two, {records[0], other}, remote_shard);
        EXPECT_EQ(dead.all, both);
        EXPECT_EQ(dead.all.passages(), records[0].passages() + 3);
        if (remote_shard) {
            EXPECT_EQ(dead.filter.get_description(), both.filter().get_description());
        }
    }
    EXPECT_TRUE(query::dead_passages(two, {format::Deletions{}, format::Deletions{}}, true).filter.empty());

    query::SearchOptions o;
    o.dbs = {tmp.str()};
    o.limit = 1000;
    query::Searcher s(o);
    const auto rs = s.search("1", "storm");
    std::set<std::string> found;
    for (const auto& h : rs.hits) found.insert(h.article_id);
    EXPECT_EQ(found.size(), 200u);
    for (const auto& id : ids) EXPECT_FALSE(found.count(id)) << id << " was deleted";
    EXPECT_TRUE(rs.summary.passages.exact());
    EXPECT_EQ(rs.summary.passages.estimate, rs.hits.size());
    EXPECT_EQ(rs.summary.articles.estimate, 200u);
}

namespace {

// Words typed with capitals (a query that starts a sentence, a name) mean what
// they mean in lower case: Xapian's STEM_SOME alone left "Exports" unstemmed.
class CaseTest : public ::testing::Test {
protected:
    void SetUp() override {
        test::make_index(tmp_.str(),
                         {article("w1", "Wheat exports rise", "Wheat exports rose in March. Grain exports followed."),
                          article("w2", "Grain exported", "The country exported grain to Egypt."),
                          article("w3", "Export duty", "An export duty on grain was lifted."),
                          article("w4", "Grain harvest", "The grain harvest was large.")},
                         0, 0);
    }
    // The hits (article, score) and the passage count of a query.
    struct Result {
        std::vector<std::pair<std::string, double>> hits;
        std::uint64_t passages = 0;
        std::set<std::string> highlights;
        bool operator==(const Result&) const = default;
    };
    Result run(const std::string& q) {
        query::SearchOptions o;
        o.dbs = {tmp_.str()};
        o.limit = 100;
        const auto rs = query::Searcher(o).search("1", q);
        Result r;
        for (const auto& h : rs.hits) {
            r.hits.emplace_back(h.article_id, h.score);
            for (auto [b, e] : h.snippet.highlights) r.highlights.insert(h.snippet.text.substr(b, e - b));
        }
        r.passages = rs.summary.passages.lower;
        return r;
    }
    std::set<std::string> ids(const std::string& q) {
        std::set<std::string> out;
        for (const auto& [id, score] : run(q).hits) out.insert(id);
        return out;
    }
    test::TempDir tmp_;
};

}  // namespace

TEST_F(CaseTest, CapitalisedWordsAreStemmedAsInLowerCase) {
    const auto lower = run("exports");
    EXPECT_EQ(ids("exports"), (Ids{"w1", "w2", "w3"})) << "the stem finds export, exported, exports";
    EXPECT_EQ(lower.passages, 3u);
    for (const char* q : {"Exports", "EXPORTS", "eXports"}) EXPECT_EQ(run(q), lower) << q;
    // The highlighter marks every form the capitalised word found.
    EXPECT_TRUE(run("Exports").highlights.count("exported"));
    EXPECT_EQ(run("Grain Exports"), run("grain exports"));
    EXPECT_EQ(run("Wheat AND Exports"), run("wheat AND exports"));
    EXPECT_EQ(ids("Grain NOT Exports"), Ids{"w4"});
    EXPECT_EQ(ids("Wheat OR Export"), (Ids{"w1", "w2", "w3"}));
    EXPECT_EQ(ids("+Grain -Exports"), Ids{"w4"}) << "a hated word is stemmed too";
    EXPECT_EQ(run("+Grain -Exports"), run("+grain -exports"));
    EXPECT_EQ(run("Export*"), run("export*"));
}

TEST_F(CaseTest, TitleWordsPhrasesAndNearIgnoreCase) {
    EXPECT_EQ(ids("title:exports"), (Ids{"w1", "w2", "w3"}));
    for (const char* q : {"title:Exports", "title:EXPORTS", "Title:Exports", "TITLE:exports"})
        EXPECT_EQ(run(q), run("title:exports")) << q;
    // A phrase matches its words as written, whatever their case.
    EXPECT_EQ(ids("\"grain exports\""), Ids{"w1"});
    EXPECT_EQ(run("\"Grain Exports\""), run("\"grain exports\""));
    EXPECT_EQ(run("\"GRAIN EXPORTS\""), run("\"grain exports\""));
    EXPECT_EQ(ids("Exported NEAR/2 Grain"), Ids{"w2"});
    EXPECT_EQ(run("Exported ADJ Grain"), run("exported ADJ grain"));
}

// Field names are case-insensitive; before, "Source:reuters" was silently
// the phrase "source reuters", and "Date:..." an unknown range.
TEST_F(FilterTest, FieldNamesIgnoreCase) {
    for (const char* q : {"oil Source:reuters", "oil SOURCE:reuters", "oil Source:Reuters"})
        EXPECT_EQ(id_set({}, q), (Ids{"a1", "a3", "a7"})) << q;
    EXPECT_EQ(id_set({}, "oil Source:\"BBC News\""), (Ids{"a2", "a4"}));
    EXPECT_EQ(id_set({}, "oil -Source:reuters"), (Ids{"a2", "a4", "a5", "a6"}));
    EXPECT_EQ(id_set({}, "oil Date:2021-12-01..2022-01-31"), (Ids{"a2", "a3", "a7", "a4"}));
    EXPECT_EQ(id_set({}, "oil DATE:..2021-11-30"), (Ids{"a1"}));
    EXPECT_EQ(id_set({}, "Title:oil"), id_set({}, "title:oil"));
    // Other "word:word" text is read as before: a phrase of its words.
    EXPECT_EQ(id_set({}, "Oil:Tanker"), Ids{"a3"});
    EXPECT_EQ(id_set({}, "Oil:Tanker"), id_set({}, "oil:tanker"));
    query::SearchOptions o;
    o.dbs = {tmp_.str()};
    query::Searcher s(o);
    try {
        s.search("1", "oil Date:2021-02-30..");
        FAIL() << "no error";
    } catch (const QuerySyntaxError& e) {
        EXPECT_EQ(e.pos, 10u);
        EXPECT_NE(std::string(e.what()).find("bad date '2021-02-30'"), std::string::npos) << e.what();
    }
    EXPECT_THROW(s.search("1", "oil Title:"), QuerySyntaxError) << "a field prefix with nothing after it";
}
