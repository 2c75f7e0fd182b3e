// The query language through the Searcher: dotted acronyms in any case, and
// "-date:"/"+date:" filters.
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "corpus/base/error.hpp"
#include "query/searcher.hpp"
#include "tests/testutil/make_index.hpp"
#include "tests/testutil/temp_dir.hpp"

using namespace trawl;
using test::article;

namespace {

using Ids = std::set<std::string>;

}  // namespace

namespace {

class QueryLanguageTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto a1 = article("us", "U.S. Treasury sells bills", "The U.S. Treasury sold bills on Monday.");
        a1.date = "1987-03-05";
        auto a2 = article("uk", "U.K. gilts", "U.K. gilts rose as the Bank of England cut rates.");
        a2.date = "1987-04-10";
        auto a3 = article("old", "Treasury notes", "Treasury notes were sold in February.");
        a3.date = "1987-02-01";
        auto a4 = article("none", "Treasury bills", "Treasury bills, undated.");
        test::make_index(tmp_.str(), {a1, a2, a3, a4});
    }
    query::Searcher searcher() {
        query::SearchOptions o;
        o.dbs = {tmp_.str()};
        o.limit = 100;
        return query::Searcher(o);
    }
    Ids articles(const std::string& query) {
        auto s = searcher();
        Ids out;
        for (const auto& h : s.search("1", query).hits) out.insert(h.article_id);
        return out;
    }
    test::TempDir tmp_;
};

}  // namespace

// The indexer makes "U.S." the word "us"; case does not matter in a query,
// so "u.s." is that word too (Xapian's parser read it as the phrase "u s").
TEST_F(QueryLanguageTest, DottedAcronymsInAnyCase) {
    EXPECT_EQ(articles("U.K."), Ids{"uk"});
    EXPECT_EQ(articles("u.k."), Ids{"uk"});
    EXPECT_EQ(articles("u.K"), Ids{"uk"});
    EXPECT_EQ(articles("\"U.S. Treasury\""), Ids{"us"});
    EXPECT_EQ(articles("\"u.s. treasury\""), Ids{"us"});
    EXPECT_EQ(articles("title:u.s."), Ids{"us"});
    auto s = searcher();
    EXPECT_EQ(s.search("1", "u.k.").summary.suggestion, "") << "no did-you-mean for a word that matched";
    // An acronym is one word to the speller too: never a piece of it ("us.x.").
    const auto unknown = s.search("1", "u.x.");
    EXPECT_TRUE(unknown.hits.empty());
    EXPECT_EQ(unknown.summary.suggestion, "");
}

// "-date:" excludes a range as NOT date: does, "+date:" requires it as date: does.
// A bracket touching a word: the check read it as a separator, Xapian's
// parser did not ("oil AND(gas OR coal)" lost its AND and its stems and
// found nothing; a red-team session). Each finds what its spaced form does.
TEST_F(QueryLanguageTest, ABracketTouchingAWordIsASeparator) {
    const std::vector<std::pair<std::string, std::string>> same = {
        {"treasury AND(bills OR gilts)", "treasury AND (bills OR gilts)"},
        {"treasury NOT(notes)", "treasury NOT (notes)"},
        {"treasury(bill)", "treasury (bill)"},
        {"(gilts)treasury", "(gilts) treasury"},
        {"treasury -(notes gilts)", "treasury -(notes gilts)"},
        {"title:(treasury bills)", "title:(treasury bills)"}};
    for (const auto& [touching, spaced] : same) {
        const auto got = articles(touching);
        EXPECT_EQ(got, articles(spaced)) << touching;
        EXPECT_FALSE(got.empty()) << touching;
    }
    EXPECT_EQ(articles("treasury AND(bills OR gilts)"), (Ids{"us", "none"}));
}

TEST_F(QueryLanguageTest, SignedDateRanges) {
    EXPECT_EQ(articles("treasury NOT date:1987-03-01..1987-03-31"), (Ids{"old", "none"}));
    EXPECT_EQ(articles("treasury -date:1987-03-01..1987-03-31"), (Ids{"old", "none"}));
    EXPECT_EQ(articles("treasury -Date:19870301..19870331"), (Ids{"old", "none"}));
    EXPECT_EQ(articles("treasury -date:1987-03-01.."), (Ids{"old", "none"}));
    EXPECT_EQ(articles("treasury -date:1987-02-01..1987-02-28 -date:1987-03-01..1987-03-31"), Ids{"none"})
        << "each range is left out";
    EXPECT_EQ(articles("treasury gilts -date:..1987-02-28"), (Ids{"us", "uk", "none"}));
    EXPECT_EQ(articles("treasury +date:1987-03-01..1987-03-31"), Ids{"us"});
    EXPECT_EQ(articles("treasury date:..1987-02-28 +date:1987-03-01..1987-03-31"), (Ids{"us", "old"}))
        << "ranges are alternatives, signed or not";
    EXPECT_EQ(articles("treasury date:..1987-03-31 -date:1987-02-01..1987-02-28"), Ids{"us"});
    EXPECT_EQ(articles("(treasury -date:1987-02-01..1987-03-31) OR gilts"), (Ids{"uk", "none"}));
    auto s = searcher();
    try {
        s.search("1", "treasury -date:1987-02-30..");
        ADD_FAILURE() << "a bad date in -date: is an error";
    } catch (const QuerySyntaxError& e) {
        EXPECT_EQ(e.pos, 16u) << e.what();
        EXPECT_NE(std::string(e.what()).find("bad date '1987-02-30'"), std::string::npos) << e.what();
    }
}

// Dots in a run outside a date: range are punctuation, as a pasted sentence
// has them: Xapian's parser read ".." as a range only date: has ("Unknown
// range operation" at column 1).
TEST_F(QueryLanguageTest, RunsOfDotsOutsideADateRangeArePunctuation) {
    EXPECT_EQ(articles("treasury sold... monday"), (Ids{"us", "old", "none"}));
    EXPECT_EQ(articles("\"treasury sold... bills\""), Ids{"us"});
    EXPECT_EQ(articles("gilts..rose"), Ids{"uk"});
    EXPECT_EQ(articles("u.k..."), Ids{"uk"});
    // A date range keeps its dots, open ends too.
    EXPECT_EQ(articles("treasury date:1987-03-01..1987-03-31"), Ids{"us"});
    EXPECT_EQ(articles("treasury date:..19870301"), Ids{"old"});
    EXPECT_EQ(articles("treasury -date:1987-02-01..1987-03-31"), (Ids{"none"}));
}
