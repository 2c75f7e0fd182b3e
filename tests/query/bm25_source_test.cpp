// Stems scored from passage lengths in memory (query/bm25_source.hpp) score
// exactly as Xapian's BM25Weight does: the same hits, the same scores to the
// last bit, the same counts, whichever operators the stems stand under.
#include "query/bm25_source.hpp"

#include <cmath>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "indexer/format/stems.hpp"
#include "query/searcher.hpp"
#include "tests/testutil/make_index.hpp"
#include "tests/testutil/temp_dir.hpp"

namespace trawl::query {
namespace {

// Articles of words with several forms each (model, models, modelled...), of
// uneven lengths and word counts, so that stems have several words, wdfs
// above 1 and passages of many lengths.
std::vector<corpus::Article> corpus_of_forms() {
    const std::vector<std::string> words = {
        "model",   "models",   "modelled", "modelling", "harvest", "harvests", "harvested", "report",
        "reports", "reported", "price",    "prices",    "priced",  "oil",      "oils",      "barley",
        "crop",    "crops",    "cropped",  "trade",     "trades",  "traded",   "trading",   "nation",
        "nations", "national", "the",      "of",        "and",     "rare",     "rarely",    "zeppelin"};
    std::mt19937 rng(11);
    std::vector<corpus::Article> out;
    for (int a = 0; a < 120; ++a) {
        std::string body;
        const int sentences = 1 + static_cast<int>(rng() % 9);
        for (int s = 0; s < sentences; ++s) {
            const int n = 3 + static_cast<int>(rng() % 14);
            for (int w = 0; w < n; ++w) {
                // Skewed: the first words are far more frequent than the last.
                const auto k = std::min<std::size_t>(words.size() - 1, (rng() % words.size()) * (rng() % 3) / 2);
                body += (w ? " " : "") + words[k];
            }
            body += ". ";
        }
        out.push_back(test::article("a" + std::to_string(a), "Title " + words[rng() % words.size()], body));
        out.back().source = a % 3 ? "wire" : "paper";
    }
    return out;
}

ResultSet search(const std::string& db, InMemoryTables when, const std::string& q, bool article = false,
                 double k1 = kDefaultK1) {
    SearchOptions o;
    o.dbs = {db};
    o.k1 = k1;
    o.in_memory_tables = when;
    o.limit = 50;
    o.suggest = false;
    if (!article) o.article.weight = 0;
    Searcher s(o);
    return s.search("q", q);
}

TEST(Bm25Source, StemsScoreAsXapiansBm25ToTheLastBit) {
    test::TempDir tmp;
    test::make_index(tmp.str(), corpus_of_forms(), 12, 0);
    const std::vector<std::string> queries = {"models",
                                              "modelled harvest",
                                              "prices oil trading nations",
                                              "rarely zeppelin crops",
                                              "model model prices",
                                              "+harvest models -oil",
                                              "harvest AND (prices OR traded)",
                                              "crop NOT national",
                                              "title:harvest reports",
                                              "\"oil prices\" crops",
                                              "trad* models",
                                              "(harvest NEAR/3 crop) report"};
    for (const auto& q : queries) {
        for (const bool article : {false, true}) {
            const auto want = search(tmp.str(), InMemoryTables::Never, q, article);
            const auto got = search(tmp.str(), InMemoryTables::Always, q, article);
            ASSERT_FALSE(want.hits.empty()) << q;
            ASSERT_EQ(got.hits.size(), want.hits.size()) << q;
            for (std::size_t i = 0; i < want.hits.size(); ++i) {
                EXPECT_EQ(got.hits[i].passage_id, want.hits[i].passage_id) << q << " #" << i;
                EXPECT_EQ(got.hits[i].score, want.hits[i].score) << q << " #" << i;  // bit for bit
            }
            EXPECT_EQ(got.summary.passages.estimate, want.summary.passages.estimate) << q;
            EXPECT_EQ(got.summary.articles.estimate, want.summary.articles.estimate) << q;
        }
    }
}

TEST(InMemoryTables, CountsAreTheSameFromTheArticleTable) {
    test::TempDir tmp;
    std::vector<corpus::Article> articles;
    for (int i = 0; i < 1500; ++i)  // more passages than the spy reads the articles of
        articles.push_back(test::article(std::to_string(i), "Report",
                                         i % 3 ? "alpha beta gamma. delta alpha." : "alpha and other words."));
    test::make_index(tmp.str(), articles, 4, 0);
    for (const std::string q : {"alpha", "alpha beta", "gamma", "words -beta"}) {
        const auto want = search(tmp.str(), InMemoryTables::Never, q);
        const auto got = search(tmp.str(), InMemoryTables::Always, q);
        EXPECT_EQ(got.summary.passages.estimate, want.summary.passages.estimate) << q;
        EXPECT_EQ(got.summary.passages.lower, want.summary.passages.lower) << q;
        EXPECT_EQ(got.summary.articles.estimate, want.summary.articles.estimate) << q;
        EXPECT_EQ(got.summary.articles.lower, want.summary.articles.lower) << q;
        EXPECT_EQ(got.summary.articles.upper, want.summary.articles.upper) << q;
    }
    EXPECT_GT(search(tmp.str(), InMemoryTables::Always, "alpha").summary.passages.upper, 1000u);
}

// The tables are bought for the queries to come, on the lookups of earlier
// ones: a one-shot search never reads them (on Wikipedia, reading the
// lengths for "world war" itself made it 36 ms instead of 16.5).
TEST(InMemoryTables, BoughtAfterAQueryThatWouldPayNotForIt) {
    test::TempDir tmp;
    std::vector<corpus::Article> articles;
    for (int i = 0; i < 1500; ++i)
        articles.push_back(test::article(std::to_string(i), "Report", "alpha beta gamma. delta alpha."));
    test::make_index(tmp.str(), articles, 4, 0);
    SearchOptions o;
    o.dbs = {tmp.str()};
    o.limit = 20;
    o.suggest = false;
    Searcher s(o);
    const auto first = s.search("q1", "alpha delta");  // every passage's postings, twice
    EXPECT_FALSE(s.holds_lengths());
    EXPECT_FALSE(s.holds_articles());
    const auto second = s.search("q2", "alpha delta");
    EXPECT_TRUE(s.holds_lengths());
    EXPECT_TRUE(s.holds_articles());
    ASSERT_EQ(second.hits.size(), first.hits.size());
    for (std::size_t i = 0; i < first.hits.size(); ++i) {
        EXPECT_EQ(second.hits[i].passage_id, first.hits[i].passage_id) << i;
        EXPECT_EQ(second.hits[i].score, first.hits[i].score) << i;
    }
    EXPECT_EQ(second.summary.articles.estimate, first.summary.articles.estimate);
}

// A filter term among words ("0 * XSwire": never weighed) is left to Xapian:
// scored by a source, it made 0 x 0 / 0 = NaN with k1 = 0 (a review found it).
TEST(Bm25Source, FilterTermsAmongWordsStayUnweighted) {
    test::TempDir tmp;
    test::make_index(tmp.str(), corpus_of_forms(), 12, 0);
    for (const double k1 : {0.0, kDefaultK1})
        for (const std::string q : {"source:wire", "source:wire AND (oil OR prices)", "oil OR source:paper",
                                    "source:wire -harvest", "source:wire NOT oil"}) {
            const auto want = search(tmp.str(), InMemoryTables::Never, q, false, k1);
            const auto got = search(tmp.str(), InMemoryTables::Always, q, false, k1);
            ASSERT_FALSE(want.hits.empty()) << q;
            ASSERT_EQ(got.hits.size(), want.hits.size()) << q << " k1 " << k1;
            for (std::size_t i = 0; i < want.hits.size(); ++i) {
                EXPECT_EQ(got.hits[i].passage_id, want.hits[i].passage_id) << q << " k1 " << k1;
                EXPECT_EQ(got.hits[i].score, want.hits[i].score) << q << " k1 " << k1;
                EXPECT_FALSE(std::isnan(got.hits[i].score)) << q << " k1 " << k1;
            }
        }
}

TEST(Bm25Source, ReplacesStemsOutsidePhrasesOnly) {
    test::TempDir tmp;
    test::make_index(tmp.str(), corpus_of_forms(), 12, 0);
    const Xapian::Database db(tmp.str());
    format::StemReader stems(db);
    const auto lengths = std::make_shared<const DocLengths>(db);
    SearchOptions o;
    o.dbs = {tmp.str()};
    Searcher searcher(o);
    const auto sources_in = [&](const std::string& text) {
        const auto q = searcher.parse(text);
        std::uint64_t postings = 0;
        const auto d = with_bm25_sources(q, db, stems, {2.0, 0.6, 0.5}, lengths, &postings).get_description();
        std::size_t n = 0;
        for (auto at = d.find("trawl::Bm25Source"); at != std::string::npos; at = d.find("trawl::Bm25Source", at + 1))
            ++n;
        return std::pair{n, postings};
    };
    EXPECT_EQ(sources_in("models harvest").first, 2u);
    // A stem's postings: its words' (no more than the passages).
    const auto stem_postings = [&](std::vector<std::string> forms) {
        std::uint64_t n = 0;
        for (const auto& f : forms) n += db.get_termfreq(f);
        return std::min<std::uint64_t>(n, db.get_doccount());
    };
    EXPECT_EQ(sources_in("models harvest").second, stem_postings({"model", "models", "modelled", "modelling"}) +
                                                       stem_postings({"harvest", "harvests", "harvested"}));
    EXPECT_EQ(sources_in("\"models harvest\"").first, 0u);
    EXPECT_EQ(sources_in("models -harvest").first, 1u);  // what is left out is never scored
}

// A source walks its words' postings merged: one word by its own postings
// (no heap), several by the heap; every passage of either once, in docid
// order, with the wdfs summed, whether reached by next() or skip_to().
TEST(Bm25Source, WalksItsWordsPostingsByNextAndSkipTo) {
    test::TempDir tmp;
    test::make_index(tmp.str(), corpus_of_forms(), 12, 0);
    const Xapian::Database db(tmp.str());
    const auto lengths = std::make_shared<const DocLengths>(db);
    Bm25Term term;
    term.termweight = 1;
    term.len_factor = 1 / db.get_avlength();
    term.params = {kDefaultK1, 0.75, 0.5};
    const std::vector<std::vector<std::string>> word_sets = {
        {"harvest"}, {"zeppelin"}, {"model", "models", "modelled", "modelling"}, {"oil", "oils"}};
    for (const auto& words : word_sets) {
        // What the source should give: each passage of any word, its wdfs summed.
        std::map<Xapian::docid, Xapian::termcount> want;
        for (const auto& w : words)
            for (auto p = db.postlist_begin(w); p != db.postlist_end(w); ++p) want[*p] += p.get_wdf();
        ASSERT_FALSE(want.empty()) << words[0];
        const auto weight_of = [&](Xapian::docid did) {
            const auto length = (*lengths)[did];
            return bm25_sumpart(term, std::min(want.at(did), length), length);
        };
        for (const Xapian::docid stride : {1u, 2u, 7u}) {
            auto expect = want;
            Bm25Source src(words, term, {}, lengths);
            src.init(db);
            // Every `stride`-th step a skip_to the docid after the current
            // one, else next(): skips land on the next passage at or after.
            std::vector<Xapian::docid> got;
            src.next(0);
            for (std::size_t step = 0; !src.at_end(); ++step) {
                got.push_back(src.get_docid());
                EXPECT_EQ(src.get_weight(), weight_of(src.get_docid())) << words[0] << " " << src.get_docid();
                if (step % stride == 1) {
                    const auto target = src.get_docid() + 2;
                    src.skip_to(target, 0);
                    if (!src.at_end()) {
                        EXPECT_EQ(src.get_docid(), expect.lower_bound(target)->first) << words[0];
                    }
                    // The passages skipped over are not expected.
                    for (auto it = expect.upper_bound(got.back()); it != expect.end() && it->first < target;)
                        it = expect.erase(it);
                } else {
                    src.next(0);
                }
            }
            std::vector<Xapian::docid> expected;
            for (const auto& [did, wdf] : expect) expected.push_back(did);
            EXPECT_EQ(got, expected) << words[0] << " stride " << stride;
        }
    }
}

TEST(DocLengths, EveryPassagesLengthAsXapianHoldsIt) {
    test::TempDir tmp;
    test::make_index(tmp.str(), corpus_of_forms(), 12, 0);
    const Xapian::Database db(tmp.str());
    const DocLengths lengths(db);
    ASSERT_GT(db.get_doccount(), 100u);
    for (auto p = db.postlist_begin(""); p != db.postlist_end(""); ++p)
        EXPECT_EQ(lengths[*p], db.get_doclength(*p)) << *p;
    EXPECT_EQ(lengths[db.get_lastdocid() + 1], 0u);
}

TEST(InMemoryTables, ParsedFromTheOption) {
    EXPECT_EQ(parse_in_memory_tables("auto"), InMemoryTables::WhenTheyPay);
    EXPECT_EQ(parse_in_memory_tables("always"), InMemoryTables::Always);
    EXPECT_EQ(parse_in_memory_tables("never"), InMemoryTables::Never);
    EXPECT_THROW(parse_in_memory_tables("sometimes"), UsageError);
}

}  // namespace
}  // namespace trawl::query
