#include "corpus/base/ascii.hpp"

#include <cctype>
#include <clocale>

#include <gtest/gtest.h>

using namespace trawl;

// The classes are the C locale's, for every byte (UTF-8 bytes are none of them).
TEST(Ascii, ClassesAgreeWithTheCLocaleForEveryByte) {
    std::setlocale(LC_ALL, "C");
    for (int b = 0; b < 256; ++b) {
        const char c = static_cast<char>(b);
        EXPECT_EQ(is_ascii_space(c), std::isspace(b) != 0) << b;
        EXPECT_EQ(is_ascii_blank(c), std::isblank(b) != 0) << b;
        EXPECT_EQ(is_ascii_alpha(c), std::isalpha(b) != 0) << b;
        EXPECT_EQ(is_ascii_digit(c), std::isdigit(b) != 0) << b;
        EXPECT_EQ(ascii_lower(c), static_cast<char>(std::tolower(b))) << b;
    }
}

TEST(Ascii, CaseInsensitiveComparison) {
    EXPECT_TRUE(ascii_iequals("Reuters", "REUTERS"));
    EXPECT_FALSE(ascii_iequals("Reuter", "Reuters"));
    EXPECT_FALSE(ascii_iequals("\xC3\x89t\xC3\xA9", "\xC3\xA9t\xC3\xA9"));  // É is not folded
    EXPECT_TRUE(ascii_iequals_at("<BODY>", 1, "body"));
    EXPECT_FALSE(ascii_iequals_at("<BOD", 1, "body"));
    EXPECT_FALSE(ascii_iequals_at("x", 5, "body"));
}
