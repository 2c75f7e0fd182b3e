// title: phrases, NEAR and ADJ through the Searcher: the headline belongs to
// every passage of an article, its positions to the lead passage only.
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "query/searcher.hpp"
#include "tests/testutil/make_index.hpp"
#include "tests/testutil/temp_dir.hpp"

using namespace trawl;
using test::article;

namespace {

using Ids = std::set<std::string>;

// Eight sentences of eight words, one passage each at eight words a passage:
// "bundesbank" in the fourth only (passage 3).
std::string eight_passages() {
    std::string body;
    for (int i = 0; i < 8; ++i)
        body += i == 3 ? "Traders said the Bundesbank kept its rates today. "
                       : "Dealers in Frankfurt watched the currency markets closely. ";
    return body;
}

const std::vector<corpus::Article>& corpus_a() {
    static const std::vector<corpus::Article> a{
        article("lead", "Lower mark rate speculation grows", eight_passages()),
        // The words in another order: no phrase, NEAR within 2.
        article("order", "Mark lower rate", "Dealers in Frankfurt watched the currency markets closely."),
    };
    return a;
}

const std::vector<corpus::Article>& corpus_b() {
    static const std::vector<corpus::Article> b{
        // The phrase in the text, not in the headline; "bundesbank" in passage 1.
        article("body", "Currency news", "Analysts expect a lower mark rate soon. The Bundesbank said nothing."),
        article("acro", "U.S. Treasury and U.K. gilts", "The U.S. Treasury sold bills. The u.s. text is lower case."),
    };
    return b;
}

// Passage ids ("lead#3") of the hits of `query`, every hit.
Ids passages(query::Searcher& s, const std::string& query) {
    Ids out;
    for (const auto& h : s.search("1", query).hits) out.insert(h.passage_id);
    return out;
}

Ids lead_passages() {
    Ids all;
    for (int i = 0; i < 8; ++i) all.insert("lead#" + std::to_string(i));
    return all;
}

// One index of both corpora, or two shards searched as one; every word
// with positions, or the frequent ones only (the others checked in the text).
struct Layout {
    bool shards;
    format::PositionsMode positions;
};

class TitlePhraseTest : public ::testing::TestWithParam<Layout> {
protected:
    query::Searcher searcher() {
        const auto layout = GetParam();
        auto build = [&](const std::string& path, std::vector<corpus::Article> articles) {
            test::make_index(path, articles, 8, 0, 2000, false, layout.positions);
        };
        query::SearchOptions o;
        o.limit = 100;
        if (layout.shards) {
            build((tmp_ / "a").string(), corpus_a());
            build((tmp_ / "b").string(), corpus_b());
            o.dbs = {(tmp_ / "a").string(), (tmp_ / "b").string()};
        } else {
            auto all = corpus_a();
            all.insert(all.end(), corpus_b().begin(), corpus_b().end());
            build((tmp_ / "one").string(), all);
            o.dbs = {(tmp_ / "one").string()};
        }
        return query::Searcher(o);
    }
    test::TempDir tmp_;
};

}  // namespace

// title: searches the headline of every passage (README): the phrase too,
// though the index keeps title positions in the lead passage only.
TEST_P(TitlePhraseTest, TitlePhraseFindsEveryPassageOfTheArticle) {
    auto s = searcher();
    ASSERT_EQ(passages(s, "title:lower title:mark title:rate"), [] {
        auto all = lead_passages();
        all.insert("order#0");
        return all;
    }()) << "the title words, each alone";
    EXPECT_EQ(passages(s, "title:\"lower mark rate\""), lead_passages());
    EXPECT_EQ(passages(s, "Title:\"Lower Mark Rate\""), lead_passages()) << "any case";
    EXPECT_EQ(passages(s, "title:\"lower mark\" AND bundesbank"), Ids{"lead#3"});
    auto or_bundesbank = lead_passages();
    or_bundesbank.insert("body#1");
    EXPECT_EQ(passages(s, "title:\"lower mark rate\" bundesbank"), or_bundesbank) << "OR";
    EXPECT_EQ(passages(s, "title:\"mark rate\" OR zeppelin"), lead_passages()) << "under OR";
    EXPECT_EQ(passages(s, "bundesbank -title:\"lower mark\""), Ids{"body#1"}) << "NOT";
    EXPECT_EQ(passages(s, "title:\"rate lower\""), Ids{}) << "the order counts";
    auto near = lead_passages();
    near.insert("order#0");
    EXPECT_EQ(passages(s, "title:lower NEAR/2 title:rate"), near);
    EXPECT_EQ(passages(s, "title:lower ADJ/1 title:mark"), lead_passages());
    EXPECT_EQ(passages(s, "title:mark ADJ/1 title:lower"), Ids{"order#0"}) << "ADJ keeps the order";
    EXPECT_EQ(passages(s, "\"lower mark rate\""), (Ids{"lead#0", "body#0"})) << "a bare phrase: headline in lead only";
}

INSTANTIATE_TEST_SUITE_P(
    Layouts, TitlePhraseTest,
    ::testing::Values(Layout{false, format::PositionsMode::Frequent}, Layout{false, format::PositionsMode::All},
                      Layout{true, format::PositionsMode::Frequent}, Layout{true, format::PositionsMode::All}),
    [](const auto& param_info) {
        return std::string(param_info.param.shards ? "Shards" : "OneIndex") +
               (param_info.param.positions == format::PositionsMode::All ? "AllPositions" : "FrequentPositions");
    });
