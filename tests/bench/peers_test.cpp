// The peer engines (SQLite FTS5, Lucene 8) on a handful of literal documents:
// ranking, phrase order, proximity distance and stemming, checked by content.
// A peer whose dependencies were not found at build time is skipped with why.
#include <algorithm>

#include <gtest/gtest.h>

#include "bench/peers/peer.hpp"
#include "corpus/base/error.hpp"
#include "tests/testutil/temp_dir.hpp"

namespace trawl::bench {
namespace {

using Kind = PeerQuery::Kind;

TEST(PeerQuery, TrawlSyntaxMatchesTheQueryLanguage) {
    EXPECT_EQ((PeerQuery{"q", Kind::Words, {"oil", "price"}, 0}).trawl_syntax(), "oil price");
    EXPECT_EQ((PeerQuery{"q", Kind::Phrase, {"interest", "rates"}, 0}).trawl_syntax(), "\"interest rates\"");
    EXPECT_EQ((PeerQuery{"q", Kind::Near, {"oil", "tanker", "spill"}, 3}).trawl_syntax(),
              "oil NEAR/3 tanker NEAR/3 spill");
    EXPECT_EQ((PeerQuery{"q", Kind::Adj, {"oil", "tanker"}, 2}).trawl_syntax(), "oil ADJ/2 tanker");
}

// The peers index Trawl's units: a title-only article is one passage of no
// text with its title (as Trawl indexes it), or a whole document of its title;
// an article with neither is no unit.
TEST(PeerDocs, ATitleOnlyArticleIsOnePassageWithItsTitle) {
    corpus::Article brief;
    brief.id = "76";
    brief.title = "Commercial paper falls";
    corpus::Article story;
    story.id = "10";
    story.title = "Fed adds reserves";
    story.body = "The Fed added reserves. Dealers said so.";
    corpus::Article none;
    none.id = "77";
    const auto docs = peer_docs({brief, story, none}, {.words = 100, .overlap = 20});
    ASSERT_EQ(docs.size(), 2u);
    EXPECT_EQ(docs[0].id, "76#0");
    EXPECT_EQ(docs[0].title, "Commercial paper falls");
    EXPECT_EQ(docs[0].text, "");
    EXPECT_EQ(docs[1].id, "10#0");
    const auto whole = peer_docs({brief}, {.words = 0, .overlap = 0});
    ASSERT_EQ(whole.size(), 1u);
    EXPECT_EQ(whole[0].id, "76");
    EXPECT_EQ(whole[0].title, "Commercial paper falls");
}

struct PeerCase {
    const char* name;
    std::unique_ptr<Peer> (*make)(std::string& why);
    bool adj_is_ordered;  // FTS5 has no ordered proximity and runs ADJ as NEAR
};
void PrintTo(const PeerCase& c, std::ostream* os) { *os << c.name; }  // stable ctest names

std::vector<PeerDoc> sample_docs() {
    return {
        {"d-most", "Copper report", "Copper prices rose as copper output and copper demand grew."},
        {"d-stem", "Chile", "Chile exported more copper this year."},
        {"d-phrase", "Central bank", "The central bank raised interest rates on Monday."},
        {"d-reversed", "Markets", "Traders said rates interest them less than inflation."},
        {"d-near2", "Shipping", "Oil futures lifted tanker charters."},       // oil _ _ tanker
        {"d-near4", "Shipping", "Oil buyers chartered another big tanker."},  // oil _ _ _ _ tanker
        {"d-near2-reversed", "Spill", "Tanker crews spotted oil slicks."},    // tanker _ _ oil
    };
}

class PeerTest : public ::testing::TestWithParam<PeerCase> {
protected:
    void SetUp() override {
        std::string why;
        peer_ = GetParam().make(why);
        if (!peer_) GTEST_SKIP() << GetParam().name << " peer unavailable: " << why;
        report_ = peer_->build(sample_docs(), dir_.str(), 2);
    }

    PeerQueryResult search(Kind kind, std::vector<std::string> terms, unsigned distance = 0) {
        auto results = peer_->search({{"q1", kind, std::move(terms), distance}}, 10, 1, 3);
        EXPECT_EQ(results.size(), 1u);
        return results.at(0);
    }

    static std::vector<std::string> ids(const PeerQueryResult& r) {
        std::vector<std::string> out;
        for (const auto& hit : r.hits) out.push_back(hit.doc_id);
        return out;
    }

    static std::vector<std::string> sorted_ids(const PeerQueryResult& r) {
        auto out = ids(r);
        std::sort(out.begin(), out.end());
        return out;
    }

    trawl::test::TempDir dir_;
    std::unique_ptr<Peer> peer_;
    PeerIndexReport report_;
};

TEST_P(PeerTest, IndexReportsSizeTimeAndMemory) {
    EXPECT_GT(report_.index_bytes, 0u);
    EXPECT_GT(report_.wall_seconds, 0);
    EXPECT_GE(report_.cpu_seconds, 0);
    EXPECT_GT(report_.peak_rss_bytes, 0u);
}

TEST_P(PeerTest, WordsRankTheDocWithMostMatchesFirst) {
    auto r = search(Kind::Words, {"copper", "prices"});
    EXPECT_EQ(r.query_id, "q1");
    EXPECT_EQ(sorted_ids(r), (std::vector<std::string>{"d-most", "d-stem"}));
    ASSERT_FALSE(r.hits.empty());
    EXPECT_EQ(r.hits.front().doc_id, "d-most");
    for (std::size_t i = 1; i < r.hits.size(); ++i) EXPECT_GE(r.hits[i - 1].score, r.hits[i].score);
    EXPECT_GT(r.hits.back().score, 0);
    EXPECT_GT(r.latency_micros, 0);
}

TEST_P(PeerTest, PhraseNeedsTheWordsInOrder) {
    auto r = search(Kind::Phrase, {"interest", "rates"});
    EXPECT_EQ(ids(r), (std::vector<std::string>{"d-phrase"}));  // not d-reversed ("rates interest")
    EXPECT_GT(r.latency_micros, 0);
}

TEST_P(PeerTest, NearMatchesWithinTheDistanceInEitherOrder) {
    auto r = search(Kind::Near, {"oil", "tanker"}, 2);
    EXPECT_EQ(sorted_ids(r), (std::vector<std::string>{"d-near2", "d-near2-reversed"}));  // not d-near4
    EXPECT_GT(r.latency_micros, 0);
}

TEST_P(PeerTest, AdjMatchesWithinTheDistanceInOrder) {
    auto r = search(Kind::Adj, {"oil", "tanker"}, 2);
    if (GetParam().adj_is_ordered) EXPECT_EQ(ids(r), (std::vector<std::string>{"d-near2"}));
    else EXPECT_EQ(sorted_ids(r), (std::vector<std::string>{"d-near2", "d-near2-reversed"}));
}

TEST_P(PeerTest, StemmingMatchesOtherInflections) {
    auto r = search(Kind::Words, {"exports"});
    EXPECT_EQ(ids(r), (std::vector<std::string>{"d-stem"}));  // "exported"
}

TEST_P(PeerTest, RunWithSnippetsAndTwoThreadsKeepsQueryOrder) {
    std::vector<PeerQuery> queries = {{"q-copper", Kind::Words, {"copper"}, 0},
                                      {"q-rates", Kind::Phrase, {"interest", "rates"}, 0},
                                      {"q-oil", Kind::Near, {"oil", "tanker"}, 2},
                                      {"q-none", Kind::Words, {"zirconium"}, 0}};
    auto run = peer_->run(queries, {10, 1, 2, 2, true});
    ASSERT_EQ(run.results.size(), queries.size());
    for (std::size_t i = 0; i < queries.size(); ++i) {
        EXPECT_EQ(run.results[i].query_id, queries[i].id);
        EXPECT_GT(run.results[i].latency_micros, 0);
    }
    EXPECT_GT(run.wall_seconds, 0);
    EXPECT_TRUE(run.results[3].hits.empty());
    ASSERT_EQ(ids(run.results[1]), (std::vector<std::string>{"d-phrase"}));
    const auto& snippet = run.results[1].hits[0].snippet;
    EXPECT_NE(snippet.find("interest"), std::string::npos) << snippet;
    EXPECT_NE(snippet.find("rates"), std::string::npos) << snippet;
    EXPECT_TRUE(snippet.find("[interest") != std::string::npos || snippet.find("<b>interest") != std::string::npos)
        << "the match is marked: " << snippet;
    for (const auto& hit : run.results[0].hits) EXPECT_NE(hit.snippet.find("opper"), std::string::npos) << hit.snippet;
    // Without snippets the hits carry none.
    auto plain = peer_->run(queries, {10, 0, 1, 1, false});
    ASSERT_FALSE(plain.results[0].hits.empty());
    EXPECT_TRUE(plain.results[0].hits[0].snippet.empty());
}

TEST_P(PeerTest, SearchBeforeBuildThrows) {
    std::string why;
    auto fresh = GetParam().make(why);
    EXPECT_THROW(fresh->search({{"q1", Kind::Words, {"copper"}, 0}}, 10, 0, 1), trawl::Error);
}

INSTANTIATE_TEST_SUITE_P(Peers, PeerTest,
                         ::testing::Values(PeerCase{"fts5", make_fts5_peer, false},
                                           PeerCase{"lucene", make_lucene_peer, true}),
                         [](const auto& test) { return std::string(test.param.name); });

}  // namespace
}  // namespace trawl::bench
