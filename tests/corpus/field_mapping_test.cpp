#include "corpus/read/field_mapping.hpp"

#include <vector>

#include <gtest/gtest.h>

using namespace trawl::corpus;

namespace {
std::size_t col(const FieldColumns& c, Field f) { return c[static_cast<std::size_t>(f)]; }
}  // namespace

TEST(FieldMapping, AutoDetectsCommonNamesCaseInsensitivelyInOrderOfPreference) {
    const std::vector<std::string> header = {"Story",    "Body", "HEADLINE", "pubDate",
                                             "Category", "Site", "uuid",     "DocId"};
    const FieldColumns c = resolve_fields({}, header);
    EXPECT_EQ(col(c, Field::Id), 7u);  // docid comes before uuid in the list
    EXPECT_EQ(col(c, Field::Title), 2u);
    EXPECT_EQ(col(c, Field::Text), 1u);  // body before story
    EXPECT_EQ(col(c, Field::Date), 3u);
    EXPECT_EQ(col(c, Field::Source), 4u);  // category before site
}

TEST(FieldMapping, NamedFieldsExactThenCaseInsensitiveAndNothingElse) {
    const std::vector<std::string> header = {"text", "Summary", "summary", "title"};
    FieldMapping m;
    m.text = "summary";
    m.title = "HEADING";
    const FieldColumns c = resolve_fields(m, header);
    EXPECT_EQ(col(c, Field::Text), 2u);          // the exact spelling wins
    EXPECT_EQ(col(c, Field::Title), kNoColumn);  // a named field is not replaced by a guess
    EXPECT_EQ(col(c, Field::Id), kNoColumn);
    m.text = "SUMMARY";
    EXPECT_EQ(col(resolve_fields(m, header), Field::Text), 1u);
}

TEST(FieldMapping, DescribeNamesWhatWasLookedFor) {
    FieldMapping m;
    EXPECT_EQ(describe(m, Field::Title), "fields title, headline");
    m.id = "key";
    EXPECT_EQ(describe(m, Field::Id), "field \"key\"");
}
