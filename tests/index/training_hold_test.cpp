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

// Items that give no sample (articles with ids too long to index) end the
// hold once they weigh four samples' worth: they were held until the end of
// the input (81 MB of them held at --memory 16 on two threads).
TEST(TrainingHold, ItemsWithoutSamplesDoNotPileUp) {
    TrainingHold<int> hold(10);
    EXPECT_FALSE(hold.hold(1, {"abcd"}, 4));
    for (int i = 2; i < 9; ++i) EXPECT_FALSE(hold.hold(i, {}, 4)) << i;  // 4 + 7 x 4 = 32 bytes held
    EXPECT_TRUE(hold.hold(9, {}, 8));                                    // 40 = 4 x 10
    EXPECT_EQ(hold.samples(), (std::vector<std::string>{"abcd"}));
    EXPECT_EQ(hold.release().size(), 9u);
}
