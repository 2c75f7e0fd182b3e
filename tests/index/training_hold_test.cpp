#include "indexer/training_hold.hpp"

#include <gtest/gtest.h>

using trawl::index::TrainingHold;

// Items wait, in order, until their samples reach the byte budget; items
// without samples (articles that will be skipped) wait too but add nothing.
TEST(TrainingHold, HoldsUntilTheSampleIsCompleteThenReleasesInOrder) {
    TrainingHold<int> hold(10);
    EXPECT_TRUE(hold.empty());
    EXPECT_FALSE(hold.hold(1, {"abcd"}));
    EXPECT_FALSE(hold.hold(2, {}));
    EXPECT_FALSE(hold.hold(3, {"ef", "gh"}));
    EXPECT_EQ(hold.articles(), 2u);
    EXPECT_TRUE(hold.hold(4, {"ij"}));  // 4 + 2 + 2 + 2 = 10 bytes
    EXPECT_EQ(hold.samples(), (std::vector<std::string>{"abcd", "ef", "gh", "ij"}));
    EXPECT_EQ(hold.release(), (std::vector<int>{1, 2, 3, 4}));
    EXPECT_TRUE(hold.empty());
    EXPECT_TRUE(hold.samples().empty());
    EXPECT_EQ(hold.articles(), 0u);
    EXPECT_FALSE(hold.hold(5, {"klmnopqrs"}));  // the budget starts again
}
