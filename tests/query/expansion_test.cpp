// Query expansion: the relevance model (pure) and --expand on a small index,
// whose feedback terms can only have come from the stored passage text (the
// index has no termlist).
#include "query/expansion.hpp"

#include <algorithm>

#include <gtest/gtest.h>

#include "query/searcher.hpp"
#include "tests/testutil/make_index.hpp"
#include "tests/testutil/temp_dir.hpp"

using namespace trawl;

TEST(Expansion, RelevanceModelWeighsTermsByScoreAndShare) {
    // doc 1 (score 2): a×3, b×1 -> a 2·3/4 = 1.5, b 0.5; doc 2 (score 1): b×1, c×1 -> b 0.5, c 0.5.
    const std::vector<query::FeedbackDoc> docs{{2.0, {{"a", 3}, {"b", 1}}}, {1.0, {{"b", 1}, {"c", 1}}}, {5.0, {}}};
    const auto all = query::relevance_model(docs, 10);
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[0].first, "a");
    EXPECT_NEAR(all[0].second, 1.5 / 3.0, 1e-12);
    EXPECT_EQ(all[1].first, "b");
    EXPECT_NEAR(all[1].second, 1.0 / 3.0, 1e-12);
    EXPECT_EQ(all[2].first, "c");
    const auto two = query::relevance_model(docs, 2);
    ASSERT_EQ(two.size(), 2u);
    EXPECT_NEAR(two[0].second + two[1].second, 1.0, 1e-12) << "the kept terms are normalised again";
    EXPECT_NEAR(two[0].second, 1.5 / 2.5, 1e-12);
    EXPECT_TRUE(query::relevance_model({}, 10).empty());
}

TEST(Expansion, FeedbackTermsAreWordsNotStopWordsOrNumbers) {
    EXPECT_TRUE(query::feedback_term_ok("lava"));
    EXPECT_TRUE(query::feedback_term_ok("covid19"));
    EXPECT_FALSE(query::feedback_term_ok("the"));
    EXPECT_FALSE(query::feedback_term_ok("1987"));
    EXPECT_FALSE(query::feedback_term_ok("x"));
    EXPECT_FALSE(query::feedback_term_ok("caf\xc3\xa9"));
    EXPECT_FALSE(query::feedback_term_ok(std::string(21, 'a')));
}

namespace {

class ExpandRanking : public ::testing::Test {
protected:
    void SetUp() override {
        test::make_index(tmp_.str(),
                         {test::article("v1", "Volcano erupts", "The volcano sent lava and magma down its slopes."),
                          test::article("v2", "Volcano alert", "Lava from the volcano reached the magma fields."),
                          test::article("m1", "Geology", "Magma chambers feed lava tubes under the island."),
                          test::article("f1", "Football", "The cup final ended in a draw after extra time."),
                          test::article("f2", "Markets", "Shares fell as the bank raised rates again."),
                          test::article("f3", "Weather", "Rain and wind are expected over the weekend.")},
                         0, 0);
    }
    std::vector<std::string> ranking(bool expand, bool by_article) {
        query::SearchOptions o;
        o.dbs = {tmp_.str()};
        o.expand.on = expand;
        o.by_article = by_article;
        query::Searcher s(o);
        std::vector<std::string> ids;
        for (const auto& h : s.search("1", "volcano").hits) ids.push_back(h.article_id);
        return ids;
    }
    test::TempDir tmp_;
};

}  // namespace

TEST_F(ExpandRanking, FeedbackTermsFromStoredTextFindTheArticleWithoutTheQueryWord) {
    for (bool by_article : {false, true}) {
        auto plain = ranking(false, by_article);
        std::sort(plain.begin(), plain.end());
        EXPECT_EQ(plain, (std::vector<std::string>{"v1", "v2"})) << by_article;
        const auto expanded = ranking(true, by_article);
        ASSERT_EQ(expanded.size(), 3u) << by_article;
        EXPECT_EQ(expanded[2], "m1") << "found through lava and magma, terms of the top hits' text";
    }
}

TEST_F(ExpandRanking, PhraseQueriesKeepTheirMatches) {
    query::SearchOptions o;
    o.dbs = {tmp_.str()};
    o.expand.on = true;
    query::Searcher s(o);
    const auto rs = s.search("1", "\"volcano erupts\"");
    ASSERT_EQ(rs.hits.size(), 1u) << "the feedback terms add weight, not matches";
    EXPECT_EQ(rs.hits[0].article_id, "v1");
}
