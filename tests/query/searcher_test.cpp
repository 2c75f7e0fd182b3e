#include "searcher.hpp"

#include <gtest/gtest.h>

#include "error.hpp"
#include "make_index.hpp"
#include "temp_dir.hpp"

using namespace trawl;
using test::article;

namespace {

class SearcherTest : public ::testing::Test {
protected:
    void SetUp() override {
        test::make_index(tmp_.str(),
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

TEST_F(SearcherTest, MissingOrForeignIndexIsAnError) {
    query::SearchOptions o;
    o.dbs = {tmp_.str() + "/nope"};
    EXPECT_THROW(query::Searcher{o}, Error);
}
