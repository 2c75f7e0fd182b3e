// holds(): the phrase and NEAR rules Trawl checks passages by, compared with
// Xapian's own OP_PHRASE / OP_NEAR on random documents (an in-memory database
// with every position), and the rewriting of parsed queries.
#include "query/verified_positions.hpp"

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <xapian.h>

#include "indexer/format/analysis.hpp"

using namespace trawl;

namespace {

const std::vector<std::string> kWords{"a", "b", "c", "d"};

// The same random passage as Xapian holds it and as format::Words cuts it
// from text: words at positions 1 to 7, then a gap of 5 (as after a title).
struct RandomDoc {
    Xapian::Document doc;
    format::Words words;
};

RandomDoc random_doc(std::mt19937& rng) {
    RandomDoc d;
    std::string head, tail;
    const int n = std::uniform_int_distribution<int>(1, 14)(rng);
    for (int p = 1; p <= n; ++p) {
        const auto& w = kWords[rng() % kWords.size()];
        d.doc.add_posting(w, p + (p > 7 ? 5 : 0));
        (p > 7 ? tail : head) += w + " ";
    }
    d.words.index_text(head);
    d.words.increase_termpos(5);
    d.words.index_text(tail);
    return d;
}

}  // namespace

TEST(VerifiedPositions, HoldsAgreesWithXapiansPhraseAndNear) {
    std::mt19937 rng(7);
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    std::vector<RandomDoc> docs;
    for (int i = 0; i < 400; ++i) {
        docs.push_back(random_doc(rng));
        db.add_document(docs.back().doc);
    }
    int compared = 0, matched = 0;
    for (int q = 0; q < 300; ++q) {
        query::PositionalCheck check;
        check.ordered = q % 2 == 0;
        const int n = std::uniform_int_distribution<int>(2, 3)(rng);
        for (int i = 0; i < n; ++i) check.terms.push_back(kWords[rng() % kWords.size()]);
        check.window = static_cast<Xapian::termcount>(std::uniform_int_distribution<int>(n, n + 6)(rng));
        std::vector<Xapian::Query> subs;
        for (const auto& t : check.terms) subs.emplace_back(t);
        Xapian::Enquire e(db);
        e.set_query(Xapian::Query(check.ordered ? Xapian::Query::OP_PHRASE : Xapian::Query::OP_NEAR, subs.begin(),
                                  subs.end(), check.window));
        const auto mset = e.get_mset(0, db.get_doccount());
        std::vector<bool> xapian(docs.size(), false);
        for (auto m = mset.begin(); m != mset.end(); ++m) xapian[*m - 1] = true;
        for (std::size_t d = 0; d < docs.size(); ++d) {
            ++compared;
            matched += xapian[d];
            ASSERT_EQ(query::holds(docs[d].words, check), xapian[d])
                << (check.ordered ? "PHRASE" : "NEAR") << " window " << check.window << " doc " << d + 1;
        }
    }
    EXPECT_GT(matched, 1000);  // both outcomes were exercised
    EXPECT_LT(matched, compared - 1000);
}

TEST(VerifiedPositions, WindowIsReadFromTheQueryDescription) {
    // verified_positions.cpp reads a phrase's window from its description,
    // for lack of an accessor in Xapian 1.4. If this format changes, it must too.
    auto qp = format::make_query_parser(Xapian::Database());
    EXPECT_EQ(qp.parse_query("oil NEAR/5 prices", format::query_parser_flags()).get_description(),
              "Query((oil@1 NEAR 6 prices@2))");
    EXPECT_EQ(qp.parse_query("oil ADJ/3 prices", format::query_parser_flags()).get_description(),
              "Query((oil@1 PHRASE 4 prices@2))");
}

TEST(VerifiedPositions, OnlyPhrasesWithWordsWithoutPositionsAreRewritten) {
    auto qp = format::make_query_parser(Xapian::Database());
    const auto positional = format::PositionalWords::only({"of", "the", "bank"});
    const auto parse = [&](const std::string& q) { return qp.parse_query(q, format::query_parser_flags()); };
    auto texts =
        std::make_shared<query::PassageTexts>(std::vector<format::PassageCodec*>{}, std::vector<std::string>{});

    // All positional: Xapian checks it.
    auto v = query::verify_positions(parse("\"bank of the\""), positional, texts);
    EXPECT_EQ(v.query.get_description(), parse("\"bank of the\"").get_description());
    EXPECT_FALSE(v.decider);
    // A word without positions, required: AND of the words + the decider.
    v = query::verify_positions(parse("\"bank of england\" -oil"), positional, texts);
    EXPECT_EQ(v.query.get_description(), "Query(((bank@1 AND of@2 AND england@3) AND_NOT Zoil@4))");
    EXPECT_TRUE(v.decider);
    // The same over two shards searched as one: a decider cannot tell the
    // shard of its document (Xapian 1.4 gives it the shard's own docid), so
    // the filter PostingSource checks it, opened on each shard.
    auto two = std::make_shared<query::PassageTexts>(std::vector<format::PassageCodec*>{nullptr, nullptr},
                                                     std::vector<std::string>{"u0", "u1"});
    v = query::verify_positions(parse("\"bank of england\" -oil"), positional, two);
    EXPECT_EQ(v.query.get_description(),
              "Query((((bank@1 AND of@2 AND england@3) FILTER PostingSource(CheckSource())) AND_NOT Zoil@4))");
    EXPECT_FALSE(v.decider);
    // Under OR: a filter, no decider.
    v = query::verify_positions(parse("\"bank of england\" OR oil"), positional, texts);
    EXPECT_EQ(v.query.get_description(),
              "Query((((bank@1 AND of@2 AND england@3) FILTER PostingSource(CheckSource())) OR Zoil@4))");
    EXPECT_FALSE(v.decider);
    // Every word positional in an index that keeps all: untouched.
    v = query::verify_positions(parse("\"bank of england\""), format::PositionalWords::all(), texts);
    EXPECT_EQ(v.query.get_description(), parse("\"bank of england\"").get_description());
}
