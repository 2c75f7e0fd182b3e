// The query generator: deterministic for a seed, and its phrases and NEAR
// pairs really occur in the passages it drew them from.
#include "bench/perf/query_gen.hpp"

#include <algorithm>
#include <set>

#include <gtest/gtest.h>

#include "indexer/format/analysis.hpp"

namespace trawl::bench {
namespace {

using Kind = PeerQuery::Kind;

std::vector<PeerDoc> sample_docs() {
    std::vector<PeerDoc> docs = {
        {"d1", "Oil", "Crude oil prices rose sharply as OPEC ministers met in Vienna on Monday."},
        {"d2", "Grain", "Wheat exports from Canada fell, the board said; barley shipments were steady."},
        {"d3", "Metals", "Copper and zinc prices eased in London while tin held firm, traders said."},
        {"d4", "Banks", "The central bank raised interest rates to curb inflation, economists said."},
        {"d5", "Coffee", "Brazil's coffee harvest (1987/88) was forecast at 35.2 mln bags by the institute."},
        {"d6", "Shipping", "Tanker rates climbed - freight brokers cited strong demand for crude cargoes."},
    };
    // Repeat the vocabulary in other passages so document frequencies differ.
    for (int i = 0; i < 6; ++i)
        docs.push_back(
            {"r" + std::to_string(i), "Markets", "Prices rose and traders said markets were firm in London."});
    return docs;
}

std::vector<PeerQuery> of_kind(const std::vector<PeerQuery>& qs, Kind kind) {
    std::vector<PeerQuery> out;
    std::copy_if(qs.begin(), qs.end(), std::back_inserter(out), [&](const auto& q) { return q.kind == kind; });
    return out;
}

std::vector<std::string> texts(const std::vector<GenWord>& words) {
    std::vector<std::string> out;
    for (const auto& w : words) out.push_back(w.text);
    return out;
}

TEST(QueryGen, WordsAreLowerCasedAndFlagged) {
    auto words = gen_words("Brazil's coffee (1987/88) rose, the OPEC-led deal");
    EXPECT_EQ(texts(words),
              (std::vector<std::string>{"brazil's", "coffee", "1987", "88", "rose", "the", "opec", "led", "deal"}));
    EXPECT_FALSE(words[0].letters) << "apostrophes make a word that analysers split differently";
    EXPECT_TRUE(words[1].plain);
    EXPECT_TRUE(words[1].joined) << "only a space before 'coffee'";
    EXPECT_FALSE(words[2].letters);
    EXPECT_FALSE(words[2].joined) << "'(' is not white space";
    EXPECT_TRUE(words[4].plain);
    EXPECT_FALSE(words[4].joined);
    EXPECT_TRUE(words[5].letters);
    EXPECT_FALSE(words[5].plain) << "a stop word";
    EXPECT_FALSE(words[5].joined) << "a comma before 'the'";
    EXPECT_FALSE(words[7].joined) << "a hyphen joins no phrase";
    EXPECT_TRUE(words[8].joined);
}

TEST(QueryGen, DeterministicForASeedAndDifferentForAnother) {
    const auto docs = sample_docs();
    const auto a = generate_queries(docs, {7, 5, 10});
    const auto b = generate_queries(docs, {7, 5, 10});
    const auto c = generate_queries(docs, {8, 5, 10});
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].id, b[i].id);
        EXPECT_EQ(a[i].terms, b[i].terms);
    }
    bool differs = a.size() != c.size();
    for (std::size_t i = 0; !differs && i < a.size(); ++i) differs = a[i].terms != c[i].terms;
    EXPECT_TRUE(differs) << "another seed draws other queries";
}

TEST(QueryGen, EveryKindInOrderWithNumberedIds) {
    const auto qs = generate_queries(sample_docs(), {1, 4, 10});
    ASSERT_EQ(of_kind(qs, Kind::Words).size(), 4u);
    ASSERT_EQ(of_kind(qs, Kind::Phrase).size(), 4u);
    ASSERT_EQ(of_kind(qs, Kind::Near).size(), 4u);
    EXPECT_EQ(qs.front().id, "w1");
    EXPECT_EQ(qs[4].id, "p1");
    EXPECT_EQ(qs.back().id, "n4");
    EXPECT_TRUE(generate_queries({}, {1, 4, 10}).empty());
}

TEST(QueryGen, BagOfWordsHasOneToFourDistinctPlainMidFrequencyWords) {
    const auto qs = of_kind(generate_queries(sample_docs(), {3, 20, 10}), Kind::Words);
    ASSERT_FALSE(qs.empty());
    for (const auto& q : qs) {
        EXPECT_GE(q.terms.size(), 1u);
        EXPECT_LE(q.terms.size(), 4u);
        for (const auto& t : q.terms) {
            EXPECT_FALSE(format::is_stop_word(t)) << t;
            EXPECT_TRUE(std::all_of(t.begin(), t.end(), [](char ch) { return ch >= 'a' && ch <= 'z'; })) << t;
            // "said" is in 10 of 12 passages: the top 1% of this vocabulary, left out.
            EXPECT_NE(t, "said");
        }
        auto sorted = q.terms;
        std::sort(sorted.begin(), sorted.end());
        EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end()) << "distinct words";
    }
}

TEST(QueryGen, PhrasesOccurInAPassageAsConsecutiveWords) {
    const auto docs = sample_docs();
    const auto qs = of_kind(generate_queries(docs, {5, 10, 10}), Kind::Phrase);
    ASSERT_FALSE(qs.empty());
    for (const auto& q : qs) {
        ASSERT_GE(q.terms.size(), 2u);
        ASSERT_LE(q.terms.size(), 3u);
        EXPECT_FALSE(format::is_stop_word(q.terms.front()));
        EXPECT_FALSE(format::is_stop_word(q.terms.back()));
        bool found = false;
        for (const auto& d : docs) {
            const auto words = texts(gen_words(d.text));
            found = found || std::search(words.begin(), words.end(), q.terms.begin(), q.terms.end()) != words.end();
        }
        EXPECT_TRUE(found) << q.trawl_syntax();
    }
}

TEST(QueryGen, NearPairsCoOccurWithinTheWindow) {
    const auto docs = sample_docs();
    const unsigned window = 3;
    const auto qs = of_kind(generate_queries(docs, {9, 10, window}), Kind::Near);
    ASSERT_FALSE(qs.empty());
    for (const auto& q : qs) {
        ASSERT_EQ(q.terms.size(), 2u);
        EXPECT_EQ(q.distance, window);
        EXPECT_NE(q.terms[0], q.terms[1]);
        bool found = false;
        for (const auto& d : docs) {
            const auto words = texts(gen_words(d.text));
            for (std::size_t i = 0; i < words.size(); ++i)
                for (std::size_t j = i + 1; j < words.size() && j <= i + window; ++j)
                    found = found || (words[i] == q.terms[0] && words[j] == q.terms[1]);
        }
        EXPECT_TRUE(found) << q.trawl_syntax();
    }
}

TEST(QueryGen, TitleQueriesAreOneToThreeConsecutiveWordsOfAHeadline) {
    const std::vector<PeerDoc> docs = {
        {"d1", "OPEC QUOTA TALKS - Vienna <OPC>", "Ministers met."},
        {"d1", "OPEC QUOTA TALKS - Vienna <OPC>", "A second passage of the same article."},
        {"d2", "U.S. interest rates rise", "Rates rose."},
        {"d3", "Grain", "Wheat."},
    };
    const auto qs = generate_title_queries(docs, {4, 30, 10});
    ASSERT_FALSE(qs.empty());
    std::set<std::vector<std::string>> seen;
    for (const auto& q : qs) {
        EXPECT_EQ(q.kind, Kind::Words);
        EXPECT_EQ(q.id.front(), 't');
        ASSERT_GE(q.terms.size(), 1u);
        ASSERT_LE(q.terms.size(), 3u);
        EXPECT_TRUE(seen.insert(q.terms).second) << "distinct queries";
        bool found = false;
        for (const auto& d : docs) {
            std::vector<std::string> words;
            for (const auto& w : gen_words(d.title)) words.push_back(w.text);
            found = found || std::search(words.begin(), words.end(), q.terms.begin(), q.terms.end()) != words.end();
        }
        EXPECT_TRUE(found) << q.trawl_syntax();
        for (const auto& t : q.terms) {
            EXPECT_FALSE(format::is_stop_word(t)) << t;
            EXPECT_NE(t, "u") << "one letter";
            EXPECT_FALSE(t == "vienna" && q.terms.size() > 1) << "'-' joins no run: " << q.trawl_syntax();
            EXPECT_FALSE(t == "opc" && q.terms.size() > 1) << "'<' joins no run: " << q.trawl_syntax();
            EXPECT_NE(t, "ministers") << "headlines only";
        }
    }
    // Every run of the titles is drawn at some point: 8 + 6 + 1 = 15 distinct queries in all.
    EXPECT_EQ(qs.size(), 15u);
    const auto again = generate_title_queries(docs, {4, 30, 10});
    ASSERT_EQ(again.size(), qs.size());
    for (std::size_t i = 0; i < qs.size(); ++i) EXPECT_EQ(again[i].terms, qs[i].terms);
}

}  // namespace
}  // namespace trawl::bench
