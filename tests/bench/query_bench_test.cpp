// Trawl run as the peers are (run_trawl): top k with snippets through the
// Searcher, on 1 or 2 threads, results in query order; and the kind labels.
#include "bench/perf/query_bench.hpp"

#include <sstream>

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

// A peer that finds nothing, instantly: what matters is Trawl's row.
class NullPeer : public Peer {
public:
    std::string name() const override { return "null"; }
    PeerIndexReport build(const std::vector<PeerDoc>&, const std::string&, unsigned) override { return {}; }
    PeerRun run(const std::vector<PeerQuery>& queries, const PeerRunOptions&) override {
        PeerRun r;
        for (const auto& q : queries) r.results.push_back({q.id, {}, 1.0});
        r.wall_seconds = 1e-3;
        return r;
    }
};

// compare's tables: Trawl refusing queries as malformed (here NEAR/5000,
// beyond trawl-query's 1..1000) is counted in its row, said under the table,
// and gives no ratio row, which would compare a refusal with a search.
TEST_F(RunTrawl, SideBySideCountsMalformedQueriesAndDropsTheirRatios) {
    NullPeer peer;
    LatencyBenchOptions lo;
    lo.search = search_;
    lo.warmup = 0;
    lo.repetitions = 1;
    lo.threads = {1};
    lo.by_article = false;
    std::vector<PeerQuery> queries;
    for (unsigned distance : {5000u, 5000u}) {
        PeerQuery q;
        q.id = std::to_string(queries.size() + 1);
        q.kind = PeerQuery::Kind::Near;
        q.terms = {"crude", "oil"};
        q.distance = distance;
        queries.push_back(q);
    }
    PeerQuery words;
    words.id = "w";
    words.terms = {"crude"};
    queries.push_back(words);
    const auto tables = latency_side_by_side(queries, lo, {&peer}, {});
    ASSERT_EQ(tables.size(), 2u);
    const auto& near = tables[1];
    ASSERT_EQ(near.rows.size(), 2u);
    EXPECT_EQ(near.rows[0].malformed, 2u);
    EXPECT_EQ(near.rows[1].malformed, 0u);
    EXPECT_TRUE(ratio_rows(near).empty());
    std::ostringstream text;
    print_latency_table(text, near);
    EXPECT_NE(text.str().find("trawl: 2 of 2 queries were malformed and returned nothing (no ratio rows)"),
              std::string::npos)
        << text.str();
    EXPECT_EQ(text.str().find("trawl/null"), std::string::npos) << text.str();
    // The bag-of-words table, all well formed, keeps its ratio row.
    EXPECT_EQ(tables[0].rows[0].malformed, 0u);
    EXPECT_EQ(ratio_rows(tables[0]).size(), 1u);
}

TEST(KindLabel, NamesEachKind) {
    EXPECT_EQ(kind_label(PeerQuery::Kind::Words, 0), "bag-of-words");
    EXPECT_EQ(kind_label(PeerQuery::Kind::Phrase, 0), "phrase");
    EXPECT_EQ(kind_label(PeerQuery::Kind::Near, 10), "NEAR/10");
}

}  // namespace
}  // namespace trawl::bench
