#include "query/article_passages.hpp"

#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "indexer/format/passage_document.hpp"
#include "tests/testutil/make_index.hpp"
#include "tests/testutil/temp_dir.hpp"

using namespace trawl;
using test::article;

namespace {

// Accepts the passages of one ordinal only (a stand-in for the phrase checks).
class OrdinalDecider : public Xapian::MatchDecider {
public:
    explicit OrdinalDecider(PassageOrdinal keep) : keep_(keep) {}
    bool operator()(const Xapian::Document& doc) const override { return format::ordinal_of(doc) == keep_; }

private:
    PassageOrdinal keep_;
};

class ArticlePassagesTest : public ::testing::Test {
protected:
    void SetUp() override {
        // Eight words a passage, no overlap: "storm" in five of long's passages.
        test::make_index(tmp_.str(),
                         {article("long", "Weather",
                                  "A storm came over the hills that day. The storm grew through the dark night. "
                                  "Then the storm passed over the old town. People cleaned up after the storm. "
                                  "Another storm is forecast for the coming week. Calm weather returned at last."),
                          article("short", "Storm", "One storm only."), article("other", "Harbour", "No wind.")},
                         8, 0);
        db_ = Xapian::Database(tmp_.str());
    }
    test::TempDir tmp_;
    Xapian::Database db_;
};

}  // namespace

TEST_F(ArticlePassagesTest, CountsEveryMatchingPassageOfTheArticlesAsked) {
    const auto counts = query::matching_passages(db_, Xapian::Query("storm"), nullptr, {"long", "other", "long"});
    EXPECT_EQ(counts, (std::map<std::string, Xapian::doccount>{{"long", 5}}));
    const auto both = query::matching_passages(db_, Xapian::Query("storm"), nullptr, {"short", "long"});
    EXPECT_EQ(both, (std::map<std::string, Xapian::doccount>{{"long", 5}, {"short", 1}}));
    EXPECT_TRUE(query::matching_passages(db_, Xapian::Query("storm"), nullptr, {}).empty());
    EXPECT_TRUE(query::matching_passages(db_, Xapian::Query("storm"), nullptr, {"nosuch"}).empty());
}

TEST_F(ArticlePassagesTest, OnlyWhatTheDeciderAccepts) {
    const OrdinalDecider second(1);
    const auto counts = query::matching_passages(db_, Xapian::Query("storm"), &second, {"long", "short"});
    EXPECT_EQ(counts, (std::map<std::string, Xapian::doccount>{{"long", 1}}));
}
