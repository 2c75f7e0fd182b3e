#include "query/proximity.hpp"

#include <gtest/gtest.h>

#include "query/searcher.hpp"
#include "tests/testutil/make_index.hpp"
#include "tests/testutil/temp_dir.hpp"

using namespace trawl;
using query::TermOccurrence;

TEST(Proximity, LengthNormIsBm25s) {
    EXPECT_DOUBLE_EQ(query::bm25_length_norm(1.2, 0.75, 10, 10), 1.2);
    // k1 * ((1 - b) + b * 20/10) = 1.2 * (0.25 + 1.5) = 2.1
    EXPECT_DOUBLE_EQ(query::bm25_length_norm(1.2, 0.75, 20, 10), 2.1);
}

TEST(Proximity, AdjacentPairScoresByHand) {
    // Terms 0 and 1 adjacent (d = 1): acc0 = idf1 = 2, acc1 = idf0 = 3.
    // prox = min(1,3)*2*(k1+1)/(2+K) + min(1,2)*3*(k1+1)/(3+K), k1 = 1, K = 1
    //      = 2*2/3 + 3*2/4 = 1.3333 + 1.5 = 2.8333
    std::vector<TermOccurrence> occ{{5, 0}, {6, 1}};
    EXPECT_NEAR(query::proximity_score(occ, {3.0, 2.0}, 1.0, 1.0, 10), 4.0 / 3.0 + 1.5, 1e-12);
}

TEST(Proximity, DistanceDecaysAsInverseSquare) {
    // d = 2: acc0 = 2/4 = 0.5, acc1 = 3/4 = 0.75.
    // prox = 0.5*2/1.5 + 0.75*2/1.75 = 0.6667 + 0.8571
    std::vector<TermOccurrence> occ{{5, 0}, {7, 1}};
    EXPECT_NEAR(query::proximity_score(occ, {3.0, 2.0}, 1.0, 1.0, 10), 1.0 / 1.5 + 1.5 / 1.75, 1e-12);
}

TEST(Proximity, OnlyNeighboursOfDifferentTermsWithinTheWindowCount) {
    const std::vector<double> idf{1.0, 1.0};
    // Same term twice: nothing.
    EXPECT_EQ(query::proximity_score({{1, 0}, {2, 0}}, idf, 1.0, 1.0, 10), 0.0);
    // Beyond the window: nothing; at the window: something.
    EXPECT_EQ(query::proximity_score({{1, 0}, {12, 1}}, idf, 1.0, 1.0, 10), 0.0);
    EXPECT_GT(query::proximity_score({{1, 0}, {11, 1}}, idf, 1.0, 1.0, 10), 0.0);
    // A third occurrence in between breaks the pair: 0 _ 0 1 counts only (0@3, 1@4).
    const double between = query::proximity_score({{1, 0}, {3, 0}, {4, 1}}, idf, 1.0, 1.0, 10);
    EXPECT_DOUBLE_EQ(between, query::proximity_score({{3, 0}, {4, 1}}, idf, 1.0, 1.0, 10));
}

TEST(Proximity, CloserIsBetterAndLowIdfIsCapped) {
    const std::vector<double> idf{0.5, 4.0};
    const double near = query::proximity_score({{1, 0}, {2, 1}}, idf, 1.2, 1.2, 10);
    const double far = query::proximity_score({{1, 0}, {5, 1}}, idf, 1.2, 1.2, 10);
    EXPECT_GT(near, far);
    // A longer passage (bigger K) scores less for the same occurrences.
    EXPECT_GT(near, query::proximity_score({{1, 0}, {2, 1}}, idf, 1.2, 3.0, 10));
}

namespace {

// Two passages with the same words and lengths: in one the query's words are
// adjacent, in the other far apart. BM25 cannot tell them apart; proximity can.
// The other articles give the query words an idf above zero.
class ProximityRanking : public ::testing::Test {
protected:
    void SetUp() override {
        test::make_index(tmp_.str(),
                         {test::article("apart", "One",
                                        "Solar output rose in the north while the main wind of the season died down "
                                        "and farms waited for panels."),
                          test::article("close", "Two",
                                        "The season died down in the north while solar panels rose on farms and the "
                                        "main wind of output waited."),
                          test::article("other", "Three", "Rain fell on the town."),
                          test::article("more", "Four", "The market closed early.")},
                         0, 0);
    }
    std::vector<std::string> ranking(double weight) {
        query::SearchOptions o;
        o.dbs = {tmp_.str()};
        o.proximity.weight = weight;
        query::Searcher s(o);
        auto rs = s.search("1", "solar panels");
        std::vector<std::string> ids;
        for (const auto& h : rs.hits) ids.push_back(h.article_id);
        scores_.clear();
        for (const auto& h : rs.hits) scores_.push_back(h.score);
        return ids;
    }
    test::TempDir tmp_;
    std::vector<double> scores_;
};

}  // namespace

TEST_F(ProximityRanking, AdjacentWordsRankFirstOnlyWithProximity) {
    auto plain = ranking(0);
    ASSERT_EQ(plain.size(), 2u);
    EXPECT_DOUBLE_EQ(scores_[0], scores_[1]) << "same words, same length: BM25 ties";
    EXPECT_EQ(ranking(1.0), (std::vector<std::string>{"close", "apart"}));
    EXPECT_GT(scores_[0], scores_[1]);
}

TEST_F(ProximityRanking, StemsMatchInflectedWords) {
    query::SearchOptions o;
    o.dbs = {tmp_.str()};
    o.proximity.weight = 1.0;
    query::Searcher s(o);
    // "panel" (stem of "panels") and "solar": adjacent only in "close".
    auto rs = s.search("1", "solar panel");
    ASSERT_EQ(rs.hits.size(), 2u);
    EXPECT_EQ(rs.hits[0].article_id, "close");
}

TEST_F(ProximityRanking, IdsOnlyHitsCarryIdsWithoutText) {
    query::SearchOptions o;
    o.dbs = {tmp_.str()};
    o.ids_only = true;
    query::Searcher s(o);
    auto rs = s.search("1", "farms");
    ASSERT_EQ(rs.hits.size(), 2u);
    for (const auto& h : rs.hits) {
        EXPECT_TRUE(h.article_id == "close" || h.article_id == "apart");
        EXPECT_EQ(h.passage_id, h.article_id + "#0");
        EXPECT_TRUE(h.text.empty());
        EXPECT_TRUE(h.snippet.text.empty());
    }
}
