// Article evidence: the pure aggregation (article_score.hpp), its statistics
// read from a real index (article_scorer.hpp) and the ranking it changes.
#include "query/article_score.hpp"

#include <algorithm>
#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "query/article_scorer.hpp"
#include "query/searcher.hpp"
#include "tests/testutil/make_index.hpp"
#include "tests/testutil/temp_dir.hpp"

using namespace trawl;
using query::ArticleAggregation;

namespace {

const query::Bm25Params kParams{2.0, 0.6, 0.5};

double unit(double weight, double wdf, double len, double avg) {
    return query::bm25_unit_score(kParams, weight, wdf, len, avg);
}

}  // namespace

TEST(ArticleScore, Bm25PartsByHand) {
    // 10 units, 2 with the term: log(8.5 / 2.5) · (k1 + 1) · 2·1/(1+1).
    EXPECT_NEAR(query::bm25_term_weight(kParams, 10, 2, 1), std::log(8.5 / 2.5) * 3, 1e-12);
    // wqf 3: three times the weight (Xapian sums one leaf per occurrence); scale 0.5 halves it.
    EXPECT_NEAR(query::bm25_term_weight(kParams, 10, 2, 3, 0.5), std::log(8.5 / 2.5) * 3 * 3 * 0.5, 1e-12);
    // A term in most units: the ratio (1.5/9.5) < 2 becomes ratio/2 + 1, never negative.
    EXPECT_NEAR(query::bm25_term_weight(kParams, 10, 9, 1), std::log(1.5 / 9.5 * 0.5 + 1) * 3, 1e-12);
    // wdf 2 in a unit of average length: 2 / (2·1 + 2).
    EXPECT_NEAR(query::bm25_unit_score(kParams, 1.0, 2, 10, 10), 0.5, 1e-12);
    // A unit far shorter than average is normalised as half the average (min_normlen).
    EXPECT_NEAR(query::bm25_unit_score(kParams, 1.0, 1, 1, 10), 1 / (2 * (0.6 * 0.5 + 0.4) + 1), 1e-12);
    EXPECT_EQ(query::bm25_unit_score(kParams, 1.0, 0, 10, 10), 0);
}

TEST(ArticleScore, AggregationsOverPassages) {
    // Two terms; the lead passage has term 0 once, the second term 0 twice and term 1 once.
    const std::vector<query::PassageStats> passages{{10, {1, 0}}, {20, {2, 1}}};
    const std::vector<double> weights{1.0, 3.0};
    const double avg_passage = 15, avg_article = 30;
    const double first = unit(1.0, 1, 10, avg_passage);
    const double second = unit(1.0, 2, 20, avg_passage) + unit(3.0, 1, 20, avg_passage);
    EXPECT_NEAR(query::article_score(passages, weights, kParams, avg_passage, avg_article, ArticleAggregation::FirstP),
                first, 1e-12);
    EXPECT_NEAR(query::article_score(passages, weights, kParams, avg_passage, avg_article, ArticleAggregation::SumP),
                first + second, 1e-12);
    // The article as one unit: wdf 3 and 1 in 30 words.
    EXPECT_NEAR(
        query::article_score(passages, weights, kParams, avg_passage, avg_article, ArticleAggregation::Document),
        unit(1.0, 3, 30, avg_article) + unit(3.0, 1, 30, avg_article), 1e-12);
    EXPECT_EQ(query::article_score({}, weights, kParams, 1, 1, ArticleAggregation::Document), 0);
    EXPECT_EQ(query::combine_scores(2, 4, 0.25), 2.5);
    EXPECT_EQ(query::parse_aggregation("sump"), ArticleAggregation::SumP);
    EXPECT_THROW(query::parse_aggregation("maxp"), UsageError);
}

// On whole documents an article is one unit, so its score as the scorer
// computes it from the postings is Xapian's own BM25 weight of the hit.
TEST(ArticleScorer, MatchesXapianBm25OnWholeDocuments) {
    test::TempDir tmp;
    test::make_index(tmp.str(),
                     {test::article("a", "Copper", "Copper prices rose as copper stocks fell in the port."),
                      test::article("b", "Grain", "Grain prices eased; copper was flat."),
                      test::article("c", "Rain", "Rain fell on the port all day long and into the night.")},
                     0, 0);
    query::SearchOptions o;
    o.dbs = {tmp.str()};
    o.article.weight = 0;
    query::Searcher s(o);
    // A repeated word weighs twice, as Xapian sums its leaves.
    for (const std::string q : {"copper prices", "copper prices copper", "copper copper copper"}) {
        const auto rs = s.search("1", q);
        ASSERT_EQ(rs.hits.size(), 2u) << q;
        Xapian::Database db(tmp.str());
        format::Deletions none;
        format::StemReader stems(db);
        query::ArticleScorer scorer(db, none, stems, {o.k1, o.b, 0.5});
        const auto terms = query::body_terms(s.parse(q));
        ASSERT_FALSE(terms.empty());
        EXPECT_EQ(terms[0].term, "Zcopper");
        for (const auto& h : rs.hits) {
            const auto doc = scorer.scores({h.article_id}, terms, ArticleAggregation::Document);
            EXPECT_NEAR(doc[0], h.score, 1e-9) << q << ": " << h.article_id;
            const auto sump = scorer.scores({h.article_id}, terms, ArticleAggregation::SumP);
            EXPECT_NEAR(sump[0], h.score, 1e-9) << q << ": " << h.article_id;
        }
    }
}

namespace {

// "brief" says "storm" twice in one short passage; "series" once in each of
// its six passages, with other words between.
class ArticleRanking : public ::testing::Test {
protected:
    void SetUp() override {
        test::make_index(tmp_.str(),
                         {test::article("brief", "Warning", "Storm storm warning issued."),
                          test::article("series", "Week",
                                        "Monday brought a storm to the coast. Tuesday saw the storm reach the hills. "
                                        "Wednesday the storm hit the city. Thursday the storm crossed the river. "
                                        "Friday the storm moved out to sea. Saturday the storm finally ended here."),
                          test::article("calm", "Calm", "A quiet sunny day in the valley with no wind at all.")},
                         8, 0);
    }
    std::vector<std::string> ranking(double weight, bool by_article = true) {
        query::SearchOptions o;
        o.dbs = {tmp_.str()};
        o.by_article = by_article;
        o.article.weight = weight;
        query::Searcher s(o);
        std::vector<std::string> ids;
        for (const auto& h : s.search("1", "storm").hits) ids.push_back(h.article_id);
        return ids;
    }
    test::TempDir tmp_;
};

}  // namespace

TEST_F(ArticleRanking, ArticleEvidenceLiftsTheArticleThatIsAboutTheQuery) {
    EXPECT_EQ(ranking(0), (std::vector<std::string>{"brief", "series"})) << "best passage alone (MaxP)";
    EXPECT_EQ(ranking(1), (std::vector<std::string>{"series", "brief"})) << "the article as a whole";
}

TEST_F(ArticleRanking, PassageHitsCarryTheirArticlesEvidenceToo) {
    const auto passages = ranking(0, false);
    ASSERT_GE(passages.size(), 3u);
    EXPECT_EQ(passages[0], "brief");
    const auto with = ranking(1, false);
    ASSERT_EQ(with.size(), passages.size());
    EXPECT_EQ(with[0], "series") << "every passage of the article scores as the article";
    EXPECT_EQ(with.back(), "brief");
}

// A stem with several words is an OP_SYNONYM in a words-only index (format
// v5, stems.hpp), scaled to the weight of its exact frequency
// (exact_stems.hpp): the article score uses the same frequency, and the
// words' summed wdf.
TEST(ArticleScorer, MatchesXapianBm25ForAStemOfSeveralWords) {
    test::TempDir tmp;
    test::make_index(tmp.str(),
                     {test::article("a", "Copper", "Copper prices rose as the price of copper rose."),
                      test::article("b", "Grain", "Grain prices eased; copper was flat."),
                      test::article("c", "Rain", "The price of rain: wet ports all day long."),
                      test::article("d", "Tin", "Tin was traded at a steady pace."),
                      test::article("e", "Lead", "Lead was flat."), test::article("f", "Zinc", "Zinc rose.")},
                     0, 0);
    query::SearchOptions o;
    o.dbs = {tmp.str()};
    o.article.weight = 0;
    query::Searcher s(o);
    Xapian::Database db(tmp.str());
    ASSERT_EQ(db.get_termfreq("Zprice"), 0u) << "stems are synonyms, not terms";
    format::Deletions none;
    format::StemReader stems(db);
    EXPECT_EQ(stems.forms("Zprice"), (std::vector<std::string>{"price", "prices"}));
    query::ArticleScorer scorer(db, none, stems, {o.k1, o.b, 0.5});
    for (const std::string q : {"prices", "copper prices rose"}) {
        const auto rs = s.search("1", q);
        ASSERT_EQ(rs.hits.size(), q == "prices" ? 3u : 4u) << q;
        const auto terms = query::body_terms(s.parse(q));
        EXPECT_EQ(terms.back().term, q == "prices" ? "Zprice" : "Zrose");
        for (const auto& h : rs.hits) {
            const auto doc = scorer.scores({h.article_id}, terms, ArticleAggregation::Document);
            EXPECT_NEAR(doc[0], h.score, 1e-9) << q << ": " << h.article_id;
        }
    }
}

// Scored together, each article gets the score it gets alone: the passages of
// all of them are walked in one docid order, each form's postings moved only
// past the passage they are on, rare forms (a few passages) and frequent ones
// (most) alike.
TEST(ArticleScorer, ArticlesScoredTogetherScoreAsEachAlone) {
    test::TempDir tmp;
    std::vector<corpus::Article> articles;
    const std::vector<std::string> words = {"price", "prices", "priced", "oil", "oils", "crude", "barrel", "barrels"};
    std::mt19937 rng(7);
    for (int a = 0; a < 60; ++a) {
        std::string body;
        for (int s = 0; s < 2 + a % 5; ++s) {  // several passages an article
            for (int w = 0; w < 8; ++w)
                body += words[std::min({rng() % words.size(), rng() % words.size(), rng() % words.size()})] + " ";
            body += "went on. ";
        }
        articles.push_back(test::article("a" + std::to_string(a), "Title", body));
    }
    test::make_index(tmp.str(), articles, 12, 0);
    const Xapian::Database db(tmp.str());
    format::Deletions none;
    format::StemReader stems(db);
    ASSERT_GE(stems.forms("Zprice").size(), 2u);
    ASSERT_GE(stems.forms("Zbarrel").size(), 2u);
    ASSERT_GT(db.get_doccount(), 150u);
    query::ArticleScorer scorer(db, none, stems, kParams);
    const std::vector<query::WeightedTerm> terms = {{"Zprice", 1, 1}, {"Zbarrel", 2, 1}, {"crude", 1, 0.5}};
    std::vector<std::string> ids;
    for (int a = 59; a >= 0; a -= 3) ids.push_back("a" + std::to_string(a));  // not in docid order
    for (const auto how : {ArticleAggregation::Document, ArticleAggregation::SumP, ArticleAggregation::FirstP}) {
        const auto together = scorer.scores(ids, terms, how);
        ASSERT_EQ(together.size(), ids.size());
        std::size_t positive = 0;
        for (std::size_t i = 0; i < ids.size(); ++i) {
            EXPECT_EQ(together[i], scorer.scores({ids[i]}, terms, how)[0]) << ids[i];
            positive += together[i] > 0;
        }
        EXPECT_GT(positive, 15u);
    }
}
