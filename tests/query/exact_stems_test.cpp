// A Synonyms index's stems weighed by their exact frequency (exact_stems.hpp):
// every score equals the one a Terms index (stems as terms, as formats v1-v4
// kept them) gives the same articles, where Xapian counts the stem exactly.
#include "query/exact_stems.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "indexer/index_dir.hpp"
#include "query/article_scorer.hpp"
#include "query/searcher.hpp"
#include "tests/testutil/make_index.hpp"
#include "tests/testutil/temp_dir.hpp"

using namespace trawl;

namespace {

// "price" and "prices" share their articles, so Xapian's estimate of the stem
// (5 of 8, the words taken as independent) is far from its count (3). No
// digits: every word of a Terms index has its Z-term too, so its lengths are
// twice the Synonyms index's and BM25's normalised lengths are the same.
const std::vector<corpus::Article> kArticles = {
    test::article("a", "Oil", "The price of oil and the prices of gas rose as oil traded higher."),
    test::article("b", "Gas", "Gas prices rose as the price of oil fell."),
    test::article("c", "Coal", "Coal prices and the price of coke held."),
    test::article("d", "Tin", "Tin was traded at a steady pace."),
    test::article("e", "Lead", "Lead trading was flat."),
    test::article("f", "Zinc", "Zinc trades rose."),
    test::article("g", "Rain", "Rain fell on the port all day."),
    test::article("h", "Ships", "Ships left the port at dawn."),
};

// The same articles as a Terms index (--termlist), whole articles as units.
void make_terms_index(const std::string& path) {
    corpus::Diagnostics diag;
    index::BuilderOptions opts;
    opts.split.words = 0;
    opts.split.overlap = 0;
    index::IndexBuilder builder(index::open_writable(path, 0, index::Termlist::Keep), path, opts, diag);
    for (const auto& a : kArticles) builder.add(a);
    builder.finish();
}

class ExactStems : public ::testing::Test {
protected:
    void SetUp() override {
        test::make_index(syn_path(), kArticles, 0, 0);
        make_terms_index(terms_path());
    }
    std::string syn_path() const { return tmp_.str() + "/syn"; }
    std::string terms_path() const { return tmp_.str() + "/terms"; }
    query::SearchOptions options(const std::string& path) const {
        query::SearchOptions o;
        o.dbs = {path};
        o.ids_only = true;
        return o;
    }
    // Each index's hits of the same search, in the same order, with the same scores.
    void expect_same_scores(query::SearchOptions o, const std::string& q) {
        o.dbs = {syn_path()};
        query::Searcher syn(o);
        o.dbs = {terms_path()};
        query::Searcher terms(o);
        const auto a = syn.search("1", q);
        const auto b = terms.search("1", q);
        ASSERT_FALSE(a.hits.empty()) << q;
        ASSERT_EQ(a.hits.size(), b.hits.size()) << q;
        for (std::size_t i = 0; i < a.hits.size(); ++i) {
            EXPECT_EQ(a.hits[i].article_id, b.hits[i].article_id) << q << " #" << i;
            EXPECT_NEAR(a.hits[i].score, b.hits[i].score, 1e-9) << q << " #" << i;
        }
    }
    test::TempDir tmp_;
};

}  // namespace

TEST_F(ExactStems, FixtureHasAStemWhoseEstimateIsNotItsCount) {
    Xapian::Database syn(syn_path());
    Xapian::Database terms(terms_path());
    format::StemReader stems(syn);
    ASSERT_EQ(stems.storage(), format::StemStorage::Synonyms);
    EXPECT_EQ(stems.synonym_estimate("Zprice"), 5);
    EXPECT_EQ(stems.termfreq("Zprice"), 3);
    EXPECT_EQ(terms.get_termfreq("Zprice"), 3u);
    // The factor is BM25's idf with the count over its idf with the estimate.
    const double n = syn.get_doccount();
    EXPECT_NEAR(query::exact_stem_factor(stems, "Zprice", n), query::bm25_idf(n, 3) / query::bm25_idf(n, 5), 1e-15);
    EXPECT_EQ(query::exact_stem_factor(stems, "Zoil", n), 1) << "one word: its count";
    format::StemReader term_stems(terms);
    EXPECT_EQ(query::exact_stem_factor(term_stems, "Zprice", n), 1) << "a Terms index counts its stems";
}

TEST_F(ExactStems, PassageScoresEqualBm25WithTheStemsCount) {
    auto o = options("");
    o.article.weight = 0;
    for (const std::string q : {"prices", "oil prices", "gas prices traded", "price -coal", "prices AND oil"})
        expect_same_scores(o, q);
}

TEST_F(ExactStems, ArticleEvidenceExpansionAndLikeUseTheCountToo) {
    expect_same_scores(options(""), "oil prices");  // the default: article evidence
    auto o = options("");
    o.expand.on = true;
    o.expand.docs = 3;
    expect_same_scores(o, "prices");
    o = options("");
    o.dbs = {syn_path()};
    query::Searcher syn(o);
    o.dbs = {terms_path()};
    query::Searcher terms(o);
    const auto a = syn.like("a");
    const auto b = terms.like("a");
    ASSERT_FALSE(a.hits.empty());
    ASSERT_EQ(a.hits.size(), b.hits.size());
    for (std::size_t i = 0; i < a.hits.size(); ++i) {
        EXPECT_EQ(a.hits[i].article_id, b.hits[i].article_id) << i;
        EXPECT_NEAR(a.hits[i].score, b.hits[i].score, 1e-9) << i;
    }
}

// The article evidence computed from the postings is Xapian's own weight of
// a whole-article hit, with the stem counted.
TEST_F(ExactStems, ArticleScorerMatchesTheScaledSynonym) {
    auto o = options(syn_path());
    o.article.weight = 0;
    query::Searcher s(o);
    Xapian::Database db(syn_path());
    format::Deletions none;
    format::StemReader stems(db);
    query::ArticleScorer scorer(db, none, stems, {o.k1, o.b, 0.5});
    const auto rs = s.search("1", "oil prices");
    ASSERT_EQ(rs.hits.size(), 3u);
    const auto terms = query::body_terms(s.parse("oil prices"));
    ASSERT_EQ(terms.size(), 2u);
    EXPECT_EQ(terms[1].term, "Zprice");
    for (const auto& h : rs.hits)
        EXPECT_NEAR(scorer.scores({h.article_id}, terms, query::ArticleAggregation::Document)[0], h.score, 1e-9)
            << h.article_id;
}
