#include "corpus/text/date.hpp"

#include <gtest/gtest.h>

using trawl::corpus::normalize_date;

TEST(NormalizeDate, IsoDatesAndTimes) {
    EXPECT_EQ(normalize_date("2022-01-03"), "2022-01-03");
    EXPECT_EQ(normalize_date("  2022-01-03\n"), "2022-01-03");
    EXPECT_EQ(normalize_date("20220103"), "2022-01-03");
    EXPECT_EQ(normalize_date("2022-01-03T10:00:05"), "2022-01-03T10:00:05");
    EXPECT_EQ(normalize_date("2022-01-03T10:00"), "2022-01-03T10:00:00");
    EXPECT_EQ(normalize_date("2022-01-03 10:00:05"), "2022-01-03T10:00:05");
    EXPECT_EQ(normalize_date("2022-01-03T10:00:05.123456"), "2022-01-03T10:00:05");
}

TEST(NormalizeDate, ZonesAreConvertedToUtc) {
    EXPECT_EQ(normalize_date("2022-01-03T10:00:00Z"), "2022-01-03T10:00:00");
    EXPECT_EQ(normalize_date("2022-01-03T10:00:00+02:00"), "2022-01-03T08:00:00");
    EXPECT_EQ(normalize_date("2022-01-03T10:00:00-0530"), "2022-01-03T15:30:00");
    EXPECT_EQ(normalize_date("2022-01-01T01:00:00.5+03:00"), "2021-12-31T22:00:00");  // crosses a year
    EXPECT_EQ(normalize_date("2024-02-28 23:30:00 -01:00"), "2024-02-29T00:30:00");   // leap day
    EXPECT_EQ(normalize_date("2022-01-03 10:00:00 UTC"), "2022-01-03T10:00:00");
}

TEST(NormalizeDate, Rfc2822) {
    EXPECT_EQ(normalize_date("Mon, 03 Jan 2022 10:00:00 GMT"), "2022-01-03T10:00:00");
    EXPECT_EQ(normalize_date("Mon, 3 Jan 2022 10:00:00 +0100"), "2022-01-03T09:00:00");
    EXPECT_EQ(normalize_date("3 January 2022 23:15 EST"), "2022-01-04T04:15:00");
    EXPECT_EQ(normalize_date("Tue, 04 Jan 2022"), "2022-01-04");
    EXPECT_EQ(normalize_date("Mon, 03 Jan 2022 10:00:00"), "2022-01-03T10:00:00");
}

TEST(NormalizeDate, ReutersKeepsTheDateWhenTheTimeIsImpossible) {
    EXPECT_EQ(normalize_date("26-FEB-1987 15:01:01.79"), "1987-02-26T15:01:01");
    EXPECT_EQ(normalize_date(" 5-MAR-1987 10:00:00.00"), "1987-03-05T10:00:00");
    EXPECT_EQ(normalize_date("19-OCT-1987 605:12:19.12"), "1987-10-19");
    EXPECT_EQ(normalize_date("19-OCT-1987 25:12:19"), "1987-10-19");
    EXPECT_EQ(normalize_date("27-MAR-1987 00:02:59.13RM"), "1987-03-27T00:02:59");
}

TEST(NormalizeDate, AmbiguousOrImpossibleGiveEmpty) {
    for (const char* bad : {"", "   ", "yesterday", "03/01/2022", "01/03/2022", "2022-02-30", "2022-13-01",
                            "2022-01-03T24:00:00", "2022-01-03T10:00:00+25:00", "2022-01-03 noon", "940101",
                            "Mon, 03 Foo 2022", "2022-1-3", "20221301", "0999-01-01"})
        EXPECT_EQ(normalize_date(bad), "") << bad;
}

TEST(ParseDate, QueryDatesAreRealDaysInEitherSpelling) {
    using trawl::corpus::parse_date;
    EXPECT_EQ(parse_date("2021-12-01"), "20211201");
    EXPECT_EQ(parse_date("20220131"), "20220131");
    EXPECT_EQ(parse_date("2024-02-29"), "20240229");
    EXPECT_EQ(parse_date("2000-02-29"), "20000229");  // divisible by 400: a leap year
    for (const char* bad : {"2023-02-29", "1900-02-29", "2021-13-01", "2021-00-10", "2021-04-31", "2021-12-1",
                            "2021/12/01", "21-12-01", "2021-12-01T10:00", "202112", "abcdefgh", "", "2021-1a-01",
                            " 2021-12-01", "2021-12-01 ", "3 Jan 2022", "3-JAN-2022", "0999-01-01", "2021120"})
        EXPECT_FALSE(parse_date(bad).has_value()) << bad;
}

// The date slot of a passage and a query's date: range agree on every day
// normalize_date() gives an article.
TEST(ParseDate, ReadsEveryDayNormalizeDateWrites) {
    using trawl::corpus::normalize_date;
    using trawl::corpus::parse_date;
    for (const char* raw : {"26-FEB-1987 15:01:01.79", "Mon, 3 Jan 2022 10:00:00 +0100", "20220103", "2024-02-29"}) {
        const std::string iso = normalize_date(raw);
        ASSERT_GE(iso.size(), 10u) << raw;
        const auto key = parse_date(std::string_view(iso).substr(0, 10));
        ASSERT_TRUE(key.has_value()) << raw;
        EXPECT_EQ(*key, iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2));
    }
}
