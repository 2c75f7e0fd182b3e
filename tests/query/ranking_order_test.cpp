// One ranking for every page: -n k is the first k hits of -n m, and pages
// tile (the re-ranking cascade, searcher_rerank.cpp).
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "corpus/base/diagnostics.hpp"
#include "indexer/index_job.hpp"
#include "query/searcher.hpp"
#include "tests/testutil/make_index.hpp"
#include "tests/testutil/temp_dir.hpp"

using namespace trawl;
using test::article;

namespace {

std::vector<std::string> ids(const query::ResultSet& rs) {
    std::vector<std::string> out;
    for (const auto& h : rs.hits) out.push_back(h.passage_id);
    return out;
}

// One article ("herd") whose two first passages say "zebra" often and whose
// last says it once after a long list, and 30 short single-passage articles
// that say it once: herd's last passage ranks below the 30 by BM25, and the
// article evidence (herd is the article most about zebras) lifts it into the
// top 3.
// Re-scoring only the hits fetched for the page, as trawl-query did, gave
// -n 5 without it and -n 50 with it.
class RankingCascade : public ::testing::Test {
protected:
    void SetUp() override {
        std::vector<corpus::Article> articles;
        std::string herd;
        for (int i = 0; i < 4; ++i) herd += "Zebra zebra zebra zebra graze grass. ";
        herd += "Keepers counted lions hyenas giraffes rhinos elephants antelopes buffaloes warthogs one zebra.";
        articles.push_back(article("herd", "Herd", herd));
        for (int i = 0; i < 30; ++i)
            articles.push_back(
                article("f" + std::to_string(10 + i), "Fence", "A zebra stood near fence " + std::to_string(i) + "."));
        test::make_index(tmp_.str(), articles, 12, 0);
    }
    // Re-ranking 50 deep, below which herd's last passage ranks by BM25.
    static query::SearchOptions deep() {
        query::SearchOptions o;
        o.rerank_depth = 50;
        return o;
    }
    query::ResultSet search(unsigned limit, unsigned offset = 0, query::SearchOptions o = deep()) {
        o.dbs = {tmp_.str()};
        o.limit = limit;
        o.offset = offset;
        o.ids_only = true;
        return query::Searcher(o).search("1", "zebra");
    }
    test::TempDir tmp_;
};

}  // namespace

TEST_F(RankingCascade, AShortPageIsThePrefixOfALongerOne) {
    const auto all = ids(search(50));
    ASSERT_EQ(all.size(), 33u);
    // The top 3 are herd's, one of them from below BM25 rank 20 (the 20
    // hits trawl-query re-scored for -n 5), whatever -n is.
    query::SearchOptions plain;
    plain.rerank_depth = 0;
    const auto bm25 = ids(search(50, 0, plain));
    std::size_t deepest = 0;
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(all[i].rfind("herd#", 0), 0u) << all[i];
        deepest = std::max<std::size_t>(deepest, std::find(bm25.begin(), bm25.end(), all[i]) - bm25.begin());
    }
    EXPECT_GE(deepest, 20u);
    for (unsigned k : {1u, 2u, 3u, 5u, 10u, 20u, 32u}) {
        const std::vector<std::string> prefix(all.begin(), all.begin() + k);
        EXPECT_EQ(ids(search(k)), prefix) << "-n " << k;
    }
}

TEST_F(RankingCascade, PagesTileTheRanking) {
    const auto all = ids(search(50));
    for (unsigned size : {5u, 10u}) {
        std::vector<std::string> tiled;
        for (unsigned offset = 0; offset < all.size(); offset += size) {
            const auto page = search(size, offset);
            for (std::size_t i = 0; i < page.hits.size(); ++i) EXPECT_EQ(page.hits[i].rank, offset + i + 1);
            const auto got = ids(page);
            tiled.insert(tiled.end(), got.begin(), got.end());
        }
        EXPECT_EQ(tiled, all) << "pages of " << size;
    }
}

TEST_F(RankingCascade, BelowTheDepthHitsFollowInBm25OrderWithFallingScores) {
    query::SearchOptions o;
    o.rerank_depth = 3;
    const auto reranked = search(50, 0, o);
    o.rerank_depth = 0;
    const auto bm25 = search(50, 0, o);  // no re-ranking: BM25 order
    ASSERT_EQ(reranked.hits.size(), bm25.hits.size());
    // The first 3 of BM25 (herd's, in some order), then BM25's order.
    const auto got = ids(reranked), plain = ids(bm25);
    EXPECT_TRUE(std::is_permutation(got.begin(), got.begin() + 3, plain.begin()));
    EXPECT_TRUE(std::equal(got.begin() + 3, got.end(), plain.begin() + 3));
    // Scores fall in rank order (a run file read by score ranks alike).
    for (std::size_t i = 1; i < reranked.hits.size(); ++i)
        EXPECT_LE(reranked.hits[i].score, reranked.hits[i - 1].score) << "rank " << i + 1;
    // And -n 2 is still the first 2 of that ranking.
    o.rerank_depth = 3;
    EXPECT_EQ(ids(search(2, 0, o)), std::vector<std::string>(got.begin(), got.begin() + 2));
}

TEST_F(RankingCascade, ByArticleIsASliceOfOneRankingToo) {
    query::SearchOptions o = deep();
    o.by_article = true;
    const auto all = ids(search(40, 0, o));
    ASSERT_EQ(all.size(), 31u);
    EXPECT_EQ(all.front().rfind("herd#", 0), 0u) << all.front();
    for (unsigned k : {1u, 4u, 12u}) {
        EXPECT_EQ(ids(search(k, 0, o)), std::vector<std::string>(all.begin(), all.begin() + k)) << "-n " << k;
        EXPECT_EQ(ids(search(k, k, o)), std::vector<std::string>(all.begin() + k, all.begin() + 2 * k))
            << "--offset " << k << " -n " << k;
    }
}
