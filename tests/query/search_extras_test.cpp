// The pure cores of issue 13's additions: counts from the match's bounds,
// the timeline's bins, the edit distance and the speller on a small index;
// and when the searcher counts exactly and asks for a suggestion.
#include <filesystem>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "indexer/format/schema.hpp"
#include "query/facets.hpp"
#include "query/match_counts.hpp"
#include "query/searcher.hpp"
#include "query/spelling.hpp"
#include "query/summary_text.hpp"
#include "tests/testutil/make_index.hpp"
#include "tests/testutil/temp_dir.hpp"

namespace trawl::query {
namespace {

TEST(MatchCounts, AnExhaustiveMatchCountsExactly) {
    Summary s;
    derive_counts({40, 30, 90}, false, {77, 77, 12}, 1000, true, s);
    EXPECT_EQ(s.passages.estimate, 77u);
    EXPECT_TRUE(s.passages.exact());
    EXPECT_EQ(s.articles.estimate, 12u);
    EXPECT_TRUE(s.articles.exact());
}

TEST(MatchCounts, EstimatesKeepXapiansBoundsAndScaleArticles) {
    Summary s;
    derive_counts({1000, 800, 1500}, false, {100, 100, 50}, 100000, false, s);
    EXPECT_EQ(s.passages.lower, 800u);
    EXPECT_EQ(s.passages.upper, 1500u);
    EXPECT_EQ(s.articles.estimate, 500u);  // half of the passages seen were distinct articles
    EXPECT_EQ(s.articles.lower, 50u);
    EXPECT_EQ(s.articles.upper, 50u + 1400u);  // each passage not seen may be a new article
    EXPECT_FALSE(s.articles.exact());
    // Collapsed by article: Xapian's bounds count articles; passages are scaled.
    derive_counts({200, 150, 300}, true, {90, 90, 30}, 100000, false, s);
    EXPECT_EQ(s.articles.estimate, 200u);
    EXPECT_EQ(s.passages.estimate, 600u);
    EXPECT_EQ(s.passages.lower, 90u);
}

TEST(MatchCounts, ArticlesOfASampleOfThePassagesAreScaled) {
    Summary s;
    // 5,000 passages counted exactly, the articles of the first 1,000 read: 250 of them.
    derive_counts({5000, 5000, 5000}, false, {5000, 1000, 250}, 100000, false, s);
    EXPECT_TRUE(s.passages.exact());
    EXPECT_EQ(s.passages.estimate, 5000u);
    EXPECT_FALSE(s.articles.exact());
    EXPECT_EQ(s.articles.estimate, 1250u);
    EXPECT_EQ(s.articles.lower, 250u);
    EXPECT_EQ(s.articles.upper, 250u + 4000u);
    // Collapsed: 400 articles; the 1,000 passages read held 250 of them.
    derive_counts({400, 400, 400}, true, {5000, 1000, 250}, 100000, false, s);
    EXPECT_TRUE(s.articles.exact());
    EXPECT_TRUE(s.passages.exact());
    EXPECT_EQ(s.passages.estimate, 5000u);
    derive_counts({400, 300, 500}, true, {1200, 1000, 250}, 100000, false, s);
    EXPECT_EQ(s.passages.estimate, 1600u);  // 4 passages an article read
    EXPECT_EQ(s.passages.lower, 1200u);
}

TEST(MatchCounts, TheSpyReadsTheArticlesOfTheFirstPassagesOnly) {
    test::TempDir tmp;
    std::vector<corpus::Article> articles;
    for (int a = 0; a < 10; ++a)
        articles.push_back(test::article("a" + std::to_string(a), "Title",
                                         "Barley harvest report one. Barley harvest report two. Barley crop three."));
    test::make_index(tmp.str(), articles, 4, 0);
    Xapian::Database db(tmp.str());
    ASSERT_GE(db.get_termfreq("barley"), 20u);
    Xapian::Enquire e(db);
    e.set_query(Xapian::Query("barley"));
    ArticleSampleSpy spy(7);
    e.add_matchspy(&spy);
    e.get_mset(0, 10, db.get_doccount());
    const auto c = spy.counts();
    EXPECT_EQ(c.seen, db.get_termfreq("barley"));
    EXPECT_EQ(c.sampled, 7u);
    // The distinct articles of the first 7 passages, in docid order.
    std::set<std::string> first;
    int k = 0;
    for (auto p = db.postlist_begin("barley"); p != db.postlist_end("barley") && k < 7; ++p, ++k)
        first.insert(db.get_document(*p).get_value(format::kSlotArticle));
    EXPECT_EQ(c.distinct, first.size());
    EXPECT_GE(c.distinct, 3u);  // 2 or 3 passages an article
    EXPECT_LT(c.distinct, 7u);
    // The same counts from the table of every passage's article.
    const PassageArticles table(db);
    ArticleSampleSpy from_table(7, &table);
    e.clear_matchspies();
    e.add_matchspy(&from_table);
    e.get_mset(0, 10, db.get_doccount());
    EXPECT_EQ(from_table.counts().seen, c.seen);
    EXPECT_EQ(from_table.counts().sampled, c.sampled);
    EXPECT_EQ(from_table.counts().distinct, c.distinct);
    EXPECT_FALSE(from_table.reads_values());
}

// A handle reopened after another, smaller index was moved into its path
// (rm -rf live.idx && mv new.idx live.idx) reads the new revision's last
// docid beside the old tables' postings and values (Xapian keeps their
// deleted files open): the tables of every passage's article and length,
// sized by get_lastdocid(), were written past their end (heap-buffer-overflow
// in the prompt). Whatever the database gives, they stay within their size.
TEST(InMemoryTables, StayWithinTheirSizeWhenTheDatabaseDisagreesWithItself) {
    test::TempDir tmp;
    const auto live = tmp / "live.idx", fresh = tmp / "new.idx";
    std::vector<corpus::Article> many, few;
    for (int a = 0; a < 300; ++a)
        many.push_back(test::article("m" + std::to_string(a), "Title", "One sentence here. Another one there."));
    for (int a = 0; a < 2; ++a) few.push_back(test::article("f" + std::to_string(a), "Pier", "A pier was rebuilt."));
    test::make_index(live.string(), many, 4, 0);
    Xapian::Database db(live.string());
    test::make_index(fresh.string(), few);
    std::filesystem::remove_all(live);
    std::filesystem::rename(fresh, live);
    db.reopen();
    const PassageArticles articles(db);
    const DocLengths lengths(db);
    EXPECT_EQ(articles[db.get_lastdocid() + 1], 0u);
    EXPECT_EQ(lengths[db.get_lastdocid() + 1], 0u);
    // Only the passages within the table are numbered: an article each at most.
    EXPECT_LE(articles.articles(), db.get_lastdocid());
}

TEST(MatchCounts, TheArticleTableNumbersEachArticleOnce) {
    test::TempDir tmp;
    std::vector<corpus::Article> articles;
    for (int a = 0; a < 25; ++a)
        articles.push_back(test::article("id-" + std::to_string(a * 7), "Title",
                                         "One sentence here. Another sentence there. A third one for luck."));
    test::make_index(tmp.str(), articles, 4, 0);
    Xapian::Database db(tmp.str());
    const PassageArticles table(db);
    EXPECT_EQ(table.articles(), 25u);
    std::map<std::string, std::uint32_t> number_of;
    for (auto p = db.postlist_begin(""); p != db.postlist_end(""); ++p) {
        const auto id = db.get_document(*p).get_value(format::kSlotArticle);
        const auto n = table[*p];
        EXPECT_GE(n, 1u);
        EXPECT_LE(n, 25u);
        const auto [it, fresh] = number_of.emplace(id, n);
        EXPECT_EQ(it->second, n) << id;  // one number an article
    }
    std::set<std::uint32_t> numbers;
    for (const auto& [id, n] : number_of) numbers.insert(n);
    EXPECT_EQ(numbers.size(), 25u);  // and one article a number
    EXPECT_EQ(table[db.get_lastdocid() + 1], 0u);
}

TEST(Timeline, MonthsOverAShortSpanWithEmptyMonthsAndArticlesCountedOnce) {
    const auto m = [](std::uint32_t y, std::uint32_t mo) { return y * 12 + mo - 1; };
    const auto h = timeline_of({{m(1987, 2), 1}, {m(1987, 2), 1}, {m(1987, 4), 2}, {m(1987, 4), 3}, {0, 9}});
    const Histogram want = {{"1987-02", 1}, {"1987-03", 0}, {"1987-04", 2}, {"undated", 1}};
    EXPECT_EQ(h, want);
}

TEST(Timeline, YearsOverALongSpan) {
    const auto m = [](std::uint32_t y, std::uint32_t mo) { return y * 12 + mo - 1; };
    const auto h = timeline_of({{m(2001, 5), 1}, {m(2001, 9), 2}, {m(2005, 1), 3}});
    const Histogram want = {{"2001", 2}, {"2002", 0}, {"2003", 0}, {"2004", 0}, {"2005", 1}};
    EXPECT_EQ(h, want);
    EXPECT_TRUE(timeline_of({}).empty());
}

// A placeholder date (9999-12-31 beside 2024) drew a row for each of the
// 7,975 years between (a red-team review): past 100 years, a run of empty
// years is one row. Single empty years between two with articles stay.
TEST(Timeline, AFarPlaceholderDateDrawsOneRowForTheEmptyYears) {
    const auto m = [](std::uint32_t y, std::uint32_t mo) { return y * 12 + mo - 1; };
    const auto h = timeline_of({{m(2022, 5), 1}, {m(2024, 1), 2}, {m(2024, 3), 3}, {m(9999, 12), 4}, {0, 5}});
    const Histogram want = {{"2022", 1}, {"2023", 0}, {"2024", 2}, {"2025..9998", 0}, {"9999", 1}, {"undated", 1}};
    EXPECT_EQ(h, want);
    // A century exactly (first to last year 99 apart) is drawn year by year.
    const auto century = timeline_of({{m(1900, 1), 1}, {m(1999, 1), 2}});
    EXPECT_EQ(century.size(), 100u);
    EXPECT_EQ(century[1], (std::pair<std::string, std::uint64_t>{"1901", 0}));
    const auto longer = timeline_of({{m(1900, 1), 1}, {m(2000, 1), 2}});
    EXPECT_EQ(longer, (Histogram{{"1900", 1}, {"1901..1999", 0}, {"2000", 1}}));
}

TEST(EditDistance, InsertionDeletionSubstitutionTranspositionCountOne) {
    EXPECT_EQ(edit_distance("quota", "quota", 2), 0u);
    EXPECT_EQ(edit_distance("quota", "qouta", 2), 1u);   // transposition
    EXPECT_EQ(edit_distance("quota", "quotas", 2), 1u);  // insertion
    EXPECT_EQ(edit_distance("quota", "qota", 2), 1u);    // deletion
    EXPECT_EQ(edit_distance("quota", "quote", 2), 1u);   // substitution
    EXPECT_EQ(edit_distance("quota", "qoute", 2), 2u);
    EXPECT_EQ(edit_distance("quota", "xyz", 1), 2u);  // beyond max: max + 1
    EXPECT_EQ(edit_distance("", "ab", 2), 2u);
}

TEST(Speller, SuggestsTheFrequentNeighbourAndLeavesTheRestAsTyped) {
    test::TempDir tmp;
    std::vector<corpus::Article> articles;
    for (int i = 0; i < 12; ++i)
        articles.push_back(test::article(std::to_string(i), "Quota talks", "The quota was set by the ministers."));
    articles.push_back(test::article("x", "Quote", "A quote."));
    test::make_index(tmp.str(), articles);
    Speller s{Xapian::Database(tmp.str())};
    EXPECT_EQ(s.correct("qouta"), "quota");
    EXPECT_EQ(s.correct("quota"), "");
    EXPECT_EQ(s.suggest("opec AND Qouta title:minsters"), "opec AND quota title:ministers");
    EXPECT_EQ(s.suggest("quota source:qouta date:2021-01-01.. \"the quota\""), "");
    EXPECT_EQ(s.suggest("qout*"), "");
}

// Above kExactCountLimit passages the match may stop early: the counts are
// then Xapian's estimate with its bounds. Here the first 100 passages hold
// both words; once they fill the top hits, passages of "alpha" alone cannot
// enter, so after kExactCountLimit examined the match stops.
TEST(MatchCounts, AboveTheExactLimitTheCountIsAnEstimateWithBounds) {
    test::TempDir tmp;
    std::vector<corpus::Article> articles;
    const int n = 1500;  // more than kExactCountLimit (1000), which Lucene counts to too
    for (int i = 0; i < n; ++i)
        articles.push_back(test::article(std::to_string(i), "Report " + std::to_string(i),
                                         i < 100 ? "alpha zeta" : "alpha and some other words"));
    test::make_index(tmp.str(), articles);
    SearchOptions o;
    o.dbs = {tmp.str()};
    Searcher s(o);
    const auto rs = s.search("q", "alpha zeta");
    EXPECT_EQ(rs.summary.passages.upper, static_cast<std::uint64_t>(n));
    EXPECT_FALSE(rs.summary.articles.exact()) << count_line(rs.summary);
    EXPECT_LT(rs.summary.articles.lower, static_cast<std::uint64_t>(n));
    EXPECT_NE(count_line(rs.summary).find("about"), std::string::npos) << count_line(rs.summary);
    // At or below the limit, exact.
    EXPECT_TRUE(s.search("q", "zeta").summary.articles.exact());
}

// "Did you mean" is asked of a query that finds little: one matching fewer
// than kSuggestBelow passages, or with a word as typed that the speller
// weighs against its neighbours (in fewer than `suspect` passages), the only
// such word, that no passage holds with the other words (`interest rats`
// matches thousands of passages by `interest`, none with rats); not of a
// phrase that matched, nor of a query of frequent words matching many
// passages.
TEST(SearcherSuggestion, AskedOfAQueryThatFindsLittleOrHasARareWord) {
    test::TempDir tmp;
    std::vector<corpus::Article> articles;
    const int n = static_cast<int>(kSuggestBelow) + 20;
    for (int i = 0; i < n; ++i)
        articles.push_back(test::article(std::to_string(i), "Quota talks", "The ministers quota was set."));
    for (int i = 0; i < 5; ++i) articles.push_back(test::article("q" + std::to_string(i), "Quote", "A quote of note."));
    articles.push_back(test::article("p", "Pastor", "The ministers quotta was noted."));
    articles.push_back(test::article("m", "Abbey", "Minsters of the north."));
    test::make_index(tmp.str(), articles);
    SearchOptions o;
    o.dbs = {tmp.str()};
    Searcher s(o);
    const auto suggestion = [&](const std::string& q) { return s.search("q", q).summary.suggestion; };
    EXPECT_EQ(suggestion("qouta"), "quota");                      // matches nothing
    EXPECT_EQ(suggestion("ministers qouta"), "ministers quota");  // a word in no passage
    // Asked (one matching passage), but a word the index holds is a word of
    // the vocabulary (a floor of one passage), so it is kept as typed.
    EXPECT_EQ(suggestion("pastor quotta"), "");
    // Over kSuggestBelow passages, but minsters is in one: asked, and the
    // ministers quota of 220 passages is far likelier than minsters, which
    // no passage holds with quota (before, a query matching that many
    // passages was never asked).
    EXPECT_EQ(suggestion("minsters quota"), "ministers quota");
    EXPECT_EQ(suggestion("ministers quotta"), "") << "a passage holds both: it finds what it names";
    EXPECT_EQ(suggestion("ministers quotaa"), "ministers quota");         // in no passage
    EXPECT_EQ(suggestion("\"ministers qouta\""), "\"ministers quota\"");  // a phrase that matched nothing
    EXPECT_EQ(suggestion("\"ministers quotta\""), "");                    // matched: its hit holds the words as typed
    EXPECT_EQ(suggestion("quota quote"), "");  // quote is rare, but "quota quota" is no query
    // Whether the speller was asked, suggestion or not (trawl-bench spelling counts it).
    const auto asked = [&](const std::string& q) { return s.search("q", q).summary.suggestion_asked; };
    EXPECT_TRUE(asked("qouta"));
    EXPECT_TRUE(asked("pastor quotta")) << "asked, though it suggests nothing";
    EXPECT_TRUE(asked("quota quote")) << "quote is in fewer than 20 passages, none with quota";
    EXPECT_TRUE(asked("minsters quota"));
    EXPECT_FALSE(asked("ministers quotta")) << "quotta is rare, but a passage holds it with ministers";
    EXPECT_FALSE(asked("quota quotta quote")) << "two rare words: a query about rare things";
    EXPECT_TRUE(asked("minsters minsters quota")) << "one rare word, typed twice (a review)";
    // A word the query leaves out is in no passage with the others by design.
    EXPECT_FALSE(asked("quota NOT minsters"));
    EXPECT_FALSE(asked("quota -minsters"));
    // As Xapian reads the query: a field's word, a bracketed group (a review).
    EXPECT_TRUE(asked("quota title:abbey")) << "abbey: one headline, none with quota";
    EXPECT_FALSE(asked("quota NOT title:abbey"));
    EXPECT_FALSE(asked("quota -title:abbey"));
    EXPECT_FALSE(asked("quota NOT (note abbey)"));
    EXPECT_FALSE(asked("quota AND NOT (abbey)"));
    EXPECT_TRUE(asked("quota abbey -title:abbey")) << "abbey is wanted too (a review)";
    EXPECT_TRUE(asked("quota quotta qoute")) << "a word in no passage";
    EXPECT_FALSE(asked("\"ministers quotta\"")) << "a phrase that matched";
    EXPECT_FALSE(asked("quota ministers")) << "frequent words, over kSuggestBelow passages";
}

}  // namespace
}  // namespace trawl::query
