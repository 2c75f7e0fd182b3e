// indexer/prune.hpp: which file a location names, and whether the run's
// inputs name it (the whole --prune runs in tests/e2e/prune_test.cpp).
#include "indexer/prune.hpp"

#include <gtest/gtest.h>

TEST(Prune, TheLocationsFileAndWhetherTheInputsNameIt) {
    using trawl::index::location_file;
    using trawl::index::under_input;
    EXPECT_EQ(location_file("/no/such/feed.jsonl:17"), "/no/such/feed.jsonl");
    EXPECT_EQ(location_file("/no/such/a.txt"), "/no/such/a.txt");
    EXPECT_EQ(location_file("http://example.com/x"), "http://example.com/x") << "no line after the colon";
    EXPECT_EQ(location_file("/no/such/a:b:12"), "/no/such/a:b");
    EXPECT_TRUE(under_input("news/a.txt", "news"));
    EXPECT_TRUE(under_input("news/a.txt", "news/"));
    EXPECT_TRUE(under_input("news/sub/a.txt", "news"));
    EXPECT_TRUE(under_input("feed.jsonl", "feed.jsonl"));
    EXPECT_FALSE(under_input("newsroom/a.txt", "news"));
    EXPECT_FALSE(under_input("./news/a.txt", "news")) << "another spelling names nothing";
    EXPECT_FALSE(under_input("-", "-"));
    EXPECT_FALSE(under_input("news", "news/")) << "the folder itself is no article's file";
}
