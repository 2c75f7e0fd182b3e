// Trawl run as the peers are (run_trawl): top k with snippets through the
// Searcher, on 1 or 2 threads, results in query order; and the kind labels.
#include "bench/perf/query_bench.hpp"

#include <gtest/gtest.h>

#include "tests/testutil/make_index.hpp"
#include "tests/testutil/temp_dir.hpp"

namespace trawl::bench {
namespace {

using test::article;

class RunTrawl : public ::testing::Test {
protected:
    void SetUp() override {
        test::make_index(dir_.str(), {article("a1", "Oil", "Crude oil prices rose as OPEC met in Vienna."),
                                      article("a2", "Grain", "Wheat exports fell while crude stocks grew."),
                                      article("a3", "Banks", "The central bank raised interest rates again.")});
        search_.dbs = {dir_.str()};
    }
    test::TempDir dir_;
    query::SearchOptions search_;
};

TEST_F(RunTrawl, TopHitsWithSnippetsInQueryOrderOnTwoThreads) {
    const std::vector<std::string> queries = {"crude", "\"interest rates\"", "oil NEAR/3 prices", "zirconium"};
    std::size_t errors = 99;
    auto run = run_trawl(search_, queries, {10, 1, 2, 2, true}, &errors);
    EXPECT_EQ(errors, 0u);
    ASSERT_EQ(run.results.size(), 4u);
    EXPECT_GT(run.wall_seconds, 0);
    ASSERT_EQ(run.results[0].hits.size(), 2u);
    for (const auto& hit : run.results[0].hits)
        EXPECT_NE(hit.snippet.find("rude"), std::string::npos) << hit.snippet;  // "Crude", "crude"
    ASSERT_EQ(run.results[1].hits.size(), 1u);
    EXPECT_EQ(run.results[1].hits[0].doc_id, "a3#0");
    EXPECT_NE(run.results[1].hits[0].snippet.find("interest rates"), std::string::npos);
    ASSERT_EQ(run.results[2].hits.size(), 1u);
    EXPECT_EQ(run.results[2].hits[0].doc_id, "a1#0");
    EXPECT_TRUE(run.results[3].hits.empty());
    for (const auto& r : run.results) EXPECT_GT(r.latency_micros, 0);
}

TEST_F(RunTrawl, MalformedQueriesAreCountedOnceAndMatchNothing) {
    std::size_t errors = 0;
    auto run = run_trawl(search_, {"crude", "\"unclosed"}, {10, 2, 3, 1, false}, &errors);
    EXPECT_EQ(errors, 1u);
    EXPECT_TRUE(run.results[1].hits.empty());
    ASSERT_FALSE(run.results[0].hits.empty());
    EXPECT_TRUE(run.results[0].hits[0].snippet.empty()) << "ids only without snippets";
}

TEST(KindLabel, NamesEachKind) {
    EXPECT_EQ(kind_label(PeerQuery::Kind::Words, 0), "bag-of-words");
    EXPECT_EQ(kind_label(PeerQuery::Kind::Phrase, 0), "phrase");
    EXPECT_EQ(kind_label(PeerQuery::Kind::Near, 10), "NEAR/10");
}

}  // namespace
}  // namespace trawl::bench
